"""The BPU premium comes from the dated rate table in force in the covered month."""

import datetime as dt

import pytest

from lindung.contributions.models import BpuRateVersion
from lindung.contributions.premiums import (
    NoRateInForce,
    UnknownProgram,
    bpu_monthly_premium,
    bpu_quote,
)

pytestmark = pytest.mark.django_db
MONTH = dt.date(2024, 1, 1)


def test_lowest_package_is_16800():
    assert bpu_monthly_premium(1_000_000, ["JKK", "JKM"], MONTH) == 16_800


def test_income_below_the_lowest_bracket_pays_the_lowest_bracket():
    assert bpu_monthly_premium(500_000, ["JKK", "JKM"], MONTH) == 16_800


def test_jht_is_two_percent_of_the_bracket():
    quote = bpu_quote(2_000_000, ["jkk", "jkm", "jht"], MONTH)
    assert quote.amounts == {"JKK": 20_000, "JKM": 6_800, "JHT": 40_000}
    assert quote.total == 66_800
    assert quote.income_bracket == 2_000_000


def test_income_is_rounded_down_to_its_bracket():
    assert bpu_quote(1_740_000, ["JKK"], MONTH).income_bracket == 1_500_000
    assert bpu_monthly_premium(1_740_000, ["JKK"], MONTH) == 15_000


def test_jkk_is_capped():
    assert bpu_monthly_premium(50_000_000, ["JKK"], MONTH) == 207_000


def test_six_sponsored_months_cost_100800():
    months = [dt.date(2024, m, 1) for m in range(1, 7)]
    assert sum(bpu_monthly_premium(1_000_000, ["JKK", "JKM"], m) for m in months) == 100_800


def test_a_new_version_applies_from_its_date_only():
    BpuRateVersion.objects.create(
        effective_from=dt.date(2030, 1, 1),
        jkk_rate_bp=100,
        jkk_min=10_000,
        jkk_max=207_000,
        jkm_amount=7_000,
        jht_rate_bp=200,
        income_floor=1_000_000,
        income_step=500_000,
        legal_basis="uji",
    )
    assert bpu_monthly_premium(1_000_000, ["JKK", "JKM"], dt.date(2029, 12, 1)) == 16_800
    assert bpu_monthly_premium(1_000_000, ["JKK", "JKM"], dt.date(2030, 1, 15)) == 17_000


def test_no_rate_before_the_first_version():
    with pytest.raises(NoRateInForce, match="06/2015"):
        bpu_monthly_premium(1_000_000, ["JKK", "JKM"], dt.date(2015, 6, 1))


def test_unknown_program_is_refused():
    with pytest.raises(UnknownProgram):
        bpu_monthly_premium(1_000_000, ["JKK", "JP"], MONTH)
