"""The demo's employers: the article's picture of the formal sector, loaded once."""

import pytest
from django.db.models import Sum

from lindung.demo.employers import load_demo_employers
from lindung.demo.services import load_demo
from lindung.employers import selectors
from lindung.employers.models import Action, Employer, Event
from tests.factories import TODAY

pytestmark = pytest.mark.django_db


def share(queryset) -> float:
    sums = queryset.aggregate(total=Sum("total_workers"), registered=Sum("registered_workers"))
    return sums["registered"] / sums["total"]


def test_demo_employers_tell_the_article_and_load_once():
    load_demo(today=TODAY)
    employers = Employer.objects.all()
    assert 250 <= employers.count() <= 400
    assert {e.regency_code for e in employers} == {"51.01", "51.04"}
    assert 0.40 <= share(employers) <= 0.56  # about the article's 48 %
    fish = employers.filter(kbli_code="10213")
    assert fish.exists() and share(fish) > 0.85
    assert share(employers.filter(kbli_code="47111")) == 1
    assert share(employers.filter(legal_form__in=["lpd", "koperasi"])) < 0.35
    assert Event.objects.count() == 2
    assert Action.objects.filter(kind="letter").exists()
    work = list(selectors.work_list(None, {}, today=TODAY)[:5])
    assert work[0].next_follow_up and work[0].next_follow_up <= TODAY  # overdue first
    counts = (Employer.objects.count(), Action.objects.count())
    assert load_demo_employers(today=TODAY) == 0
    assert (Employer.objects.count(), Action.objects.count()) == counts
