"""A region's figures are kept until a write can have moved them: a refresh of the
summary, a target saved, a payment recorded; and never shared across versions."""

import datetime as dt

import pytest
from django.core.cache import cache as django_cache

from lindung.coverage import cache, selectors
from lindung.coverage.models import DirtyVillage
from lindung.targets import services as targets

D = dt.date
END = D(2024, 12, 31)


@pytest.fixture
def kept(settings):
    settings.LINDUNG_FIGURES_CACHE_SECONDS = 60
    django_cache.clear()
    yield
    django_cache.clear()


@pytest.mark.django_db
def test_the_same_figures_are_computed_once(kept):
    calls = []
    first = cache.remember("x", ("51.04", END), lambda: calls.append(1) or "figures")
    again = cache.remember("x", ("51.04", END), lambda: calls.append(1) or "other")
    assert (first, again, len(calls)) == ("figures", "figures", 1)
    assert cache.remember("x", ("51.04", D(2024, 6, 30)), lambda: "another day") == "another day"


def test_without_seconds_nothing_is_kept(settings):
    settings.LINDUNG_FIGURES_CACHE_SECONDS = 0
    values = iter(["a", "b"])
    assert [cache.remember("x", (1,), lambda: next(values)) for _ in range(2)] == ["a", "b"]


@pytest.mark.django_db
def test_a_refresh_makes_kept_figures_old(kept, gianyar, system_admin):
    before = selectors.dashboard(system_admin, "51.04", END)
    assert selectors.dashboard(system_admin, "51.04", END) is not before  # unpickled copy
    version = cache.version()
    DirtyVillage.objects.create(village_code="51.04.01.2001")
    selectors.dashboard(system_admin, "51.04", END)  # refreshes first, then reads
    assert cache.version() == version + 1


@pytest.mark.django_db
def test_a_saved_target_shows_at_once(
    kept, gianyar, regency_admin, django_capture_on_commit_callbacks
):
    def sponsored_target(user):
        progress = selectors.dashboard(user, "51.04", END).figures.targets
        return [t.target.value for t in progress if t.target.metric == "sponsored"]

    assert 999 not in sponsored_target(regency_admin)
    with django_capture_on_commit_callbacks(execute=True):
        targets.save_target(
            user=regency_admin,
            data={"region_code": "51.04", "year": "2024", "segment": "total",
                  "metric": "sponsored", "value": "999"},
        )  # fmt: skip
    assert 999 in sponsored_target(regency_admin)


@pytest.mark.django_db
def test_the_village_table_is_kept_as_written_and_still_scoped(
    kept, gianyar, viewer, make_user, monkeypatch
):
    from django.test import Client

    from lindung.accounts.models import Role

    calls = []
    real = selectors.villages_of
    monkeypatch.setattr(selectors, "villages_of", lambda *a: calls.append(a) or real(*a))
    client = Client()
    client.force_login(viewer)
    url = f"/dasbor/51.04/desa/?tanggal={END}"
    first, again = client.get(url), client.get(url)
    assert first.status_code == again.status_code == 200
    assert first.content == again.content and len(calls) == 1
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get(url)
    assert english.content != first.content and len(calls) == 2
    outsider = Client()
    outsider.force_login(make_user("jembrana.viewer", Role.VIEWER, "51.01"))
    assert outsider.get(url).status_code == 404
