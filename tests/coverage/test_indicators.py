"""Every indicator of the hand-built Gianyar (see conftest.py), worked out by hand."""

import datetime as dt

import pytest

from lindung.coverage import indicators, summary

D = dt.date
MID = D(2024, 7, 25)
END = D(2024, 12, 31)


def figures(code, day):
    return indicators.figures_for([code], day)[0]


def test_covered_sponsored_and_self_paid_at_a_date(gianyar):
    gianyar_ = figures("51.04", MID)
    # Sponsored: p3 (from 20/07) and p6 (to 31/08); self-paid: p1 (from 01/07 to 05/11).
    assert (gianyar_.total.sponsored, gianyar_.total.self_paid) == (2, 1)
    assert gianyar_.total.registry == 3
    # The insurer's 100 formal members outside the registry (as of 30/06) count too.
    assert gianyar_.total.covered == 103
    assert figures("51.04.01.2001", MID).total.registry == 2  # p6 sponsored, p1 self-paid
    assert figures("51.04.01.2002", MID).total.registry == 1  # p3
    assert figures("51.04.01.2003", MID).total.registry == 0  # p5 only submitted
    assert figures("51.04.01", MID).total.registry == 3
    # Bali = Gianyar + Jembrana's p7 (sponsored 01/02 to 31/07).
    assert figures("51", MID).total.registry == 4
    assert figures("", MID).total.registry == 4


def test_the_day_boundaries(gianyar):
    # p1 and p2 are sponsored to 30/06 inclusive; p1 is self-paid from 01/07.
    assert figures("51.04", D(2024, 6, 30)).total.sponsored == 3  # p1, p2, p6
    on_first = figures("51.04", D(2024, 7, 1)).total
    assert (on_first.sponsored, on_first.self_paid) == (1, 1)
    # p1 lapsed on 05/11: not covered that day.
    assert figures("51.04", D(2024, 11, 4)).total.self_paid == 1
    assert figures("51.04", D(2024, 11, 5)).total.self_paid == 0
    assert figures("51.04", D(2024, 1, 14)).total.registry == 0
    assert figures("51.04", D(2024, 1, 15)).total.sponsored == 2


def test_coverage_rate_uses_the_preferred_denominator_and_shows_the_other(gianyar):
    total = figures("51.04", MID).total
    assert total.workforce.count == 1000
    assert total.workforce.definition == "penduduk_bekerja"
    assert total.rate == 10.3  # 103 / 1000
    ((alternative, rate),) = total.alternative_rates()
    assert (alternative.definition, alternative.count, rate) == ("total_tenaga_kerja", 500, 20.6)


def test_a_region_without_a_workforce_figure_has_no_rate(gianyar):
    sukawati = figures("51.04.01", MID)
    assert sukawati.total.workforce is None
    assert sukawati.total.rate is None
    # ...and its segments neither.
    assert figures("51.04", MID).segments["formal"].rate is None


def test_segments(gianyar):
    gianyar_ = figures("51.04", MID)
    informal, formal = gianyar_.segments["informal"], gianyar_.segments["formal"]
    assert (informal.registry, informal.covered) == (3, 3)
    assert (formal.registry, formal.reported_count, formal.covered) == (0, 100, 100)
    # Before the report's date the formal members are unknown.
    assert figures("51.04", D(2024, 6, 29)).segments["formal"].covered == 0


def test_sponsored_in_the_year_and_the_count_target(gianyar):
    gianyar_ = figures("51.04", MID)
    assert gianyar_.total.started == 4  # p1, p2 (15/01), p6 (01/03), p3 (20/07)
    assert figures("51.04", D(2024, 2, 1)).total.started == 2
    assert figures("51.04", D(2025, 3, 1)).total.started == 0  # a new year
    target = gianyar_.primary_target
    assert (target.target.metric, target.target.value, target.actual) == ("sponsored", 12, 4)
    assert (target.achievement, target.status) == (33, "red")


def test_a_rate_target_is_inherited_from_the_province(gianyar):
    gianyar_ = figures("51.04", MID)
    inherited = [p for p in gianyar_.targets if p.inherited_from]
    assert [(p.target.metric, p.inherited_from, p.actual) for p in inherited] == [
        ("rate", "51", 1030)
    ]
    assert inherited[0].achievement == 25  # 10.30% of 40%
    # A village without a workforce figure cannot be measured against a rate.
    batubulan = figures("51.04.01.2001", MID)
    assert batubulan.primary_target.actual is None
    assert batubulan.status == "none"


def test_breakdowns(gianyar):
    parts = indicators.breakdowns("51.04", MID)
    assert parts.by_category == {"pekerja_rentan": 3}  # p1, p3, p6
    assert parts.by_sex == {"L": 2, "P": 1}
    assert set(parts.by_funder.items()) == {("apbd", 1), ("province", 1)}
    occupations = indicators_occupations(parts)
    assert occupations == {"petani": 1, "pedagang": 1, "nelayan": 1}
    assert parts.by_state == {"active": 2, "continued": 1, "lapsed": 1, "rejected": 1}
    # Quota: regency 3 villages × 2 rounds × 100 + province 1 × 100; places held by p1,
    # p2, p3, p6 (a rejection gives its place back, p5 is not proposed yet on 25/07).
    assert (parts.quota_places, parts.quota_used) == (700, 4)
    assert parts.quota_fill_bp == 57  # 0.57%


def indicators_occupations(parts):
    from lindung.coverage.api import occupation_codes

    codes = occupation_codes(parts.by_occupation)
    return {codes[k]: v for k, v in parts.by_occupation.items()}


def test_expiring_within_30_days(gianyar):
    assert indicators.breakdowns("51.04", MID).expiring == 0  # p6 ends 31/08: 37 days
    assert indicators.breakdowns("51.04", D(2024, 8, 5)).expiring == 1
    assert indicators.breakdowns("51.04", D(2024, 8, 31)).expiring == 1
    assert indicators.breakdowns("51.04", D(2024, 9, 1)).expiring == 0
    # p3 (ends 31/12) is expiring from 01/12, not before it started.
    assert indicators.breakdowns("51.04", D(2024, 12, 1)).expiring == 1
    assert indicators.breakdowns("51.04", D(2024, 6, 1)).expiring == 2  # p1, p2 end 30/06


def test_retention_after_sponsorship(gianyar):
    parts = indicators.breakdowns("51.04", D(2024, 12, 31))
    # Ended spells: p1 and p2 on 30/06, p6 on 31/08. p1 paid on his own until 05/11.
    assert parts.retention == {1: (3, 1), 3: (3, 1), 6: (2, 0)}
    assert indicators.breakdowns("51.04", MID).retention == {1: (0, 0), 3: (0, 0), 6: (0, 0)}


def test_monthly_series(gianyar):
    points = indicators.series("51.04", D(2024, 1, 1), D(2024, 12, 1))
    assert [p.month.month for p in points] == list(range(1, 13))
    assert [p.day for p in points][:2] == [D(2024, 1, 31), D(2024, 2, 29)]
    assert [p.sponsored for p in points] == [2, 2, 3, 3, 3, 3, 2, 2, 1, 1, 1, 1]
    assert [p.self_paid for p in points] == [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0]
    assert [p.reported for p in points] == [0, 0, 0, 0, 0, 100] + [100] * 6
    assert [p.started_in_year for p in points] == [2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4]
    assert points[6].rate == 10.3  # July: 2 + 1 + 100 of 1,000
    assert points[6].by_segment == {"informal": 3, "formal": 100}
    # Read up to a day: the month containing it ends there.
    capped = indicators.series("51.04", D(2024, 6, 1), D(2024, 7, 1), until=D(2024, 7, 2))
    assert capped[-1].day == D(2024, 7, 2)


def test_children_tables(gianyar):
    districts = indicators.children_figures("51.04", MID)
    assert len(districts) == 7  # every district of Gianyar, with or without data
    sukawati = next(d for d in districts if d.code == "51.04.01")
    assert sukawati.total.registry == 3
    villages = indicators.children_figures("51.04", MID, depth=2)
    assert len(villages) == 70  # 64 desa + 6 kelurahan
    found = {v.code: v.total.registry for v in villages if v.total.registry}
    assert found == {"51.04.01.2001": 2, "51.04.01.2002": 1}
    regencies = indicators.children_figures("51", MID)
    assert {r.code: r.total.registry for r in regencies if r.total.registry} == {
        "51.01": 1,
        "51.04": 3,
    }


def test_regions_below_get_segment_figures_for_a_segment_target(gianyar):
    """A village list reads formal/informal figures only when some village needs them: a
    target of that segment, its own or inherited."""
    from lindung.targets.models import Target

    def ketewel():
        villages = indicators.children_figures("51.04", MID, depth=2)
        return next(v for v in villages if v.code == "51.04.01.2002")

    assert set(ketewel().segments) == {"total"}
    Target.objects.create(
        region_id="51.04.01.2002", year=2024, segment="informal", metric="sponsored", value=2
    )
    village = ketewel()
    assert village.segments["informal"].sponsored == 1  # p3, informal (BPU)
    (progress,) = [p for p in village.targets if p.target.segment == "informal"]
    assert (progress.actual, progress.achievement) == (1, 50)
    # A sponsorship started before 1 January is not "sponsored in the year".
    late = indicators.figures_for(["51.04.01.2002"], D(2025, 2, 1))[0]
    assert late.total.started == 0 and village.total.started == 1


def test_the_summary_equals_a_full_recomputation(gianyar):
    assert summary.verify() == []
    summary.rebuild()
    assert summary.verify() == []


def test_retention_per_program(gianyar):
    """The regency's round kept p1 (continued) and lost p2 after one and three months, both
    after six; the province's program lost p6. Per program, the totals add up."""
    regency, province = str(gianyar.regency.pk), str(gianyar.province.pk)
    per_program = indicators.retention_by("51.04", END, "prog")
    assert per_program == {
        regency: {1: (2, 1), 3: (2, 1), 6: (2, 0)},
        province: {1: (1, 0), 3: (1, 0), 6: (0, 0)},
    }
    total = indicators.breakdowns("51.04", END).retention
    for k, (ended, kept) in total.items():
        assert ended == sum(months[k][0] for months in per_program.values())
        assert kept == sum(months[k][1] for months in per_program.values())
    assert indicators.retention_by("51.04.01.2002", END, "prog") == {}  # Ketewel: p3 in 2025
    with pytest.raises(ValueError):
        indicators.retention_by("51.04", END, "nothing")
