"""The demo's figures reproduce the article: Gianyar 6,400 and 12,800; Jembrana 34% now,
40% targeted, formal workers 48%."""

import datetime as dt

import pytest

from lindung.coverage import indicators
from lindung.demo.targets import load_demo_targets
from lindung.targets.models import ReportedCoverage, Target, WorkforceFigure

pytestmark = pytest.mark.django_db


def test_demo_targets_and_denominators():
    load_demo_targets()
    counts = (Target.objects.count(), WorkforceFigure.objects.count(),
              ReportedCoverage.objects.count())  # fmt: skip
    gianyar = {t.year: t.value for t in Target.objects.filter(region_id="51.04")}
    assert gianyar == {2023: 6400, 2024: 12800}
    for year, each in ((2023, 100), (2024, 200)):
        desa = Target.objects.filter(
            year=year, region__code__startswith="51.04.", region__level=4, metric="sponsored"
        )
        assert desa.count() == 64 and {t.value for t in desa} == {each}
        # The districts' targets are their desa's sums, adding up to the regency's.
        districts = Target.objects.filter(
            year=year, region__level=3, region__code__startswith="51.04."
        )
        assert sum(t.value for t in districts) == 64 * each and districts.count() == 7
    jembrana = indicators.figures_for(["51.01"], dt.date(2024, 1, 31))[0]
    assert jembrana.total.rate == 34.0
    assert jembrana.segments["formal"].rate == 48.0
    ((alternative, rate),) = jembrana.total.alternative_rates()
    assert alternative.count == 109_417 and rate == pytest.approx(53.45, abs=0.01)
    target = jembrana.primary_target
    assert (target.target.metric, target.target.value, target.achievement) == ("rate", 4000, 85)
    # Gianyar has a (demo) workforce figure, so its dashboard shows a rate; its villages not.
    gianyar_total = indicators.figures_for(["51.04"], dt.date(2024, 12, 31))[0].total
    assert gianyar_total.workforce.count == 310_000 and gianyar_total.rate is not None
    assert indicators.figures_for(["51.04.01.2001"], dt.date(2024, 12, 31))[0].total.rate is None
    load_demo_targets()  # loading twice changes nothing
    assert counts == (Target.objects.count(), WorkforceFigure.objects.count(),
                      ReportedCoverage.objects.count())  # fmt: skip
