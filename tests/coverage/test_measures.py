"""The summary's measures are declared once (``summary.MEASURES``): their codes fit the
``measure`` column and are unique, and a measure over an app that is not installed is left
out of the recomputation rather than failing it."""

import pytest

from lindung.coverage import summary
from lindung.coverage.models import Tally
from lindung.programs.models import Enrollment


def test_codes_are_unique_and_fit_the_column():
    codes = [code for measure in summary.MEASURES for code in measure.codes]
    assert len(codes) == len(set(codes))
    width = Tally._meta.get_field("measure").max_length
    assert all(0 < len(code) <= width for code in codes)


def test_every_measure_writes_its_rows_into_the_recomputation():
    sql = summary.derive_sql(summary._Dialect("sqlite"))
    for measure in summary.measures_in_use():
        assert measure.rows(summary._Dialect("sqlite")).strip() in sql


def test_a_measure_of_an_app_not_installed_is_left_out(monkeypatch):
    absent = summary.Measure(
        ("zz",), lambda d: "\n  SELECT v, 'zz', '', '', day, 1 FROM nowhere", app="lindung.none"
    )
    monkeypatch.setattr(summary, "MEASURES", (*summary.MEASURES, absent))
    assert absent not in summary.measures_in_use()
    assert "nowhere" not in summary.derive_sql(summary._Dialect("sqlite"))


@pytest.mark.django_db
def test_an_added_measure_is_counted_refreshed_and_verified(gianyar, monkeypatch):
    """One declaration is all a new figure needs in the summary: here, one row per
    enrollment of the village on its effective date. ``rebuild`` writes it for the village
    and every region above; ``verify`` finds the summary equal afterwards."""
    enrolled = summary.Measure(
        ("enr",),
        lambda d: "\n  SELECT v, 'enr', '', '', eff, 1 FROM enr WHERE mine = 1 AND eff IS NOT NULL",
    )
    monkeypatch.setattr(summary, "MEASURES", (*summary.MEASURES, enrolled))
    summary.rebuild()

    def total(code: str) -> int:
        rows = Tally.objects.filter(measure="enr", dim="", region_code=code)
        return sum(rows.values_list("delta", flat=True))

    dated = Enrollment.objects.filter(effective_date__isnull=False)
    assert total("") == dated.count() > 0  # the country: every village's rows added up
    assert total("51.04.01.2001") == dated.filter(village_id="51.04.01.2001").count()
    assert total("51.04") == dated.filter(village__code__startswith="51.04.").count()
    assert summary.verify() == []
