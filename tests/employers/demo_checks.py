"""The demo's employers: the article's picture of the formal sector, and each segment's
coverage against its target on the dashboards.

Run by ``tests/test_demo.py`` on the demo it loads once for every app's checks."""

from django.db.models import Sum

from lindung.employers import selectors
from lindung.employers.models import Action, Employer, Event
from lindung.targets.models import Target
from tests.factories import TODAY

PENGAMBENGAN = "51.01.01.2011"


def share(queryset) -> float:
    sums = queryset.aggregate(total=Sum("total_workers"), registered=Sum("registered_workers"))
    return sums["registered"] / sums["total"]


def check_employers_tell_the_article():
    employers = Employer.objects.all()
    assert 250 <= employers.count() <= 400
    assert {e.regency_code for e in employers} == {"51.01", "51.04"}
    # The fish processors of Pengambengan: hundreds to thousands of workers, mostly registered.
    fish = employers.filter(kbli_code="10213")
    assert fish.exists() and share(fish) > 0.85
    assert set(fish.values_list("village_id", flat=True)) == {PENGAMBENGAN}
    assert min(fish.values_list("total_workers", flat=True)) >= 500
    assert share(employers.filter(kbli_code="47111")) == 1
    # The small ones lag: UMKM, cooperatives and LPD.
    assert share(employers.filter(legal_form__in=["lpd", "koperasi"])) < 0.35
    assert share(employers.filter(legal_form="perorangan")) < 0.1
    assert Event.objects.count() == 2
    assert Action.objects.filter(kind="letter").exists()
    work = list(selectors.work_list(None, {}, today=TODAY)[:5])
    assert work[0].next_follow_up and work[0].next_follow_up <= TODAY  # overdue first


def check_dashboards_show_formal_and_informal_each_against_its_target():
    from lindung.coverage import formal
    from lindung.coverage import selectors as coverage

    for code, wanted in (("51.01", (5500, 3300)), ("51.04", (5000, 1000))):
        rows = formal.side_by_side(coverage.formal_of(coverage.dashboard(None, code, TODAY)))
        assert [r["segment"] for r in rows] == [
            "Formal (penerima upah)",
            "Informal (bukan penerima upah)",
        ]
        for row, value in zip(rows, wanted, strict=True):
            assert row["target"] is not None, (code, row["segment"])
            assert (row["target"].target.metric, row["target"].target.value) == ("rate", value)
            # Each segment has its own workforce, so each shows a rate against its target.
            assert row["workforce"] is not None and row["rate_bp"] is not None
            assert row["target"].achievement is not None


def check_formal_coverage_reads_the_article_at_once():
    """Jembrana's formal coverage on its dashboard is the article's 48 % (45–50 %) of its
    52,000 formal workers, below its 55 % target; Gianyar's is well below its 50 %."""
    from lindung.coverage import selectors as coverage

    for code, low, high, target in (("51.01", 4500, 5000, 5500), ("51.04", 2500, 4500, 5000)):
        figures = coverage.formal_of(coverage.dashboard(None, code, TODAY))
        assert low <= figures.region.rate_bp <= high, (code, figures.region.rate_bp)
        assert figures.targets[0].target.value == target
        assert figures.targets[0].actual == figures.region.rate_bp
    jembrana = coverage.formal_of(coverage.dashboard(None, "51.01", TODAY))
    assert jembrana.workforce.count == 52_000
    # Most of them at the fish processors (KBLI C, manufacturing).
    sectors = {g.key: g.registered_workers for g in jembrana.by_sector}
    assert sectors["C"] > jembrana.region.registered_workers / 2


COUNTED = (Employer, Action, Event, Target)
