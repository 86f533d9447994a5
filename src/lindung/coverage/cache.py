"""A region's computed figures at a date, kept until the figures behind them change.

A regency's dashboard reads a few thousand summary rows and works them into its figures;
the Bupati, the office and the districts open the same page many times between two
refreshes. What a selector computed is kept in Django's cache under the current
:class:`~lindung.coverage.models.FiguresVersion`, which grows with every write that can
move a figure (see :func:`bump` and ``CoverageConfig.ready``): a kept answer is never
older than the summary it was read from. Writes that reach no signal (a bulk SQL update
of budgets or region names) show at the latest after ``LINDUNG_FIGURES_CACHE_SECONDS``
(default 60). The scope check stays outside: what is kept is the same for every user
allowed to see the region.
"""

from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F

from lindung.coverage.models import FiguresVersion

T = TypeVar("T")
PREFIX = "lindung:figures"


def version() -> int:
    found = FiguresVersion.objects.values_list("value", flat=True).first()
    return found or 0


def bump_now() -> None:
    """The figures may have changed: what was kept is not to be used again. Inside the
    writer's transaction (the summary's refresh), so readers see both at once."""
    if not FiguresVersion.objects.update(value=F("value") + 1):
        FiguresVersion.objects.create(value=1)


def bump(sender=None, **kwargs) -> None:
    """As :func:`bump_now`, once the writer's transaction commits (a signal receiver)."""
    transaction.on_commit(bump_now)


def remember(name: str, key: tuple, compute: Callable[[], T]) -> T:
    """``compute()``, or what it gave for the same ``name`` and ``key`` at this version."""
    seconds = getattr(settings, "LINDUNG_FIGURES_CACHE_SECONDS", 60)
    if not seconds:
        return compute()
    cache_key = f"{PREFIX}:{version()}:{name}:" + ":".join(map(str, key))
    found = cache.get(cache_key)
    if found is None:
        found = compute()
        cache.set(cache_key, found, seconds)
    return found
