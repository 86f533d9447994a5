"""Reads for the start page."""

from django.db.models import Count

from lindung.people.categories import Category
from lindung.people.selectors import workers_for
from lindung.regions.selectors import get_region


def home_summary(user) -> dict:
    workers = workers_for(user)
    by_category = dict(workers.order_by().values_list("category").annotate(n=Count("id")))
    return {
        "region": get_region(user.region_id) if user.region_id else None,
        "workers": sum(by_category.values()),
        "by_category": [(Category(code).label, n) for code, n in sorted(by_category.items())],
    }
