"""The one premium function: base tables, relief rules, rounding, and its properties.

Most tests price with a :class:`RateBook` built in memory from the default rows (the same
rows the migrations load), so hypothesis can try thousands of cases without a database;
one test checks that the database holds exactly those rows.
"""

import datetime as dt

import pytest
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from lindung.contributions import defaults
from lindung.contributions.models import (
    BpuRateVersion,
    Payer,
    PuRateVersion,
    ReliefRule,
    WageCap,
)
from lindung.contributions.premiums import (
    NoRateInForce,
    PremiumInputInvalid,
    RateBook,
    UnknownProgram,
    after_relief,
    percent,
    premium,
)


def default_book(extra_bpu=()) -> RateBook:
    caps = [
        WageCap(program=p, effective_from=d, amount=a, legal_basis=b)
        for p, d, a, b, _ in defaults.WAGE_CAPS
    ]
    return RateBook(
        [BpuRateVersion(**v) for v in defaults.BPU_VERSIONS] + list(extra_bpu),
        [PuRateVersion(**v) for v in defaults.PU_VERSIONS],
        caps,
        [ReliefRule(**r) for r in defaults.RELIEF_RULES],
    )


BOOK = default_book()
JKK_JKM = ["JKK", "JKM"]


def month_of(index: int) -> dt.date:
    return dt.date(2015 + index // 12, index % 12 + 1, 1)


months = st.integers(min_value=6, max_value=15 * 12).map(month_of)  # 07/2015 … 2030
incomes = st.integers(min_value=0, max_value=10**10)
payers = st.sampled_from(Payer.values)
bpu_programs = st.sets(st.sampled_from(["JKK", "JKM", "JHT"]), min_size=1)
pu_programs = st.sets(st.sampled_from(["JKK", "JKM", "JHT", "JP", "JKP"]), min_size=1)
risk_classes = st.integers(min_value=1, max_value=5)


# --- figures --------------------------------------------------------------------------------


def test_lowest_bpu_package_is_16800_in_every_month_of_the_base_table():
    for index in range(6, 12 * 15):  # 07/2015 … 12/2029
        month = month_of(index)
        quote = BOOK.premium("BPU", JKK_JKM, 1_000_000, month, relief=False)
        assert quote.total == 16_800, month
        assert quote.amounts == {"JKK": 10_000, "JKM": 6_800}


def test_jkk_is_one_percent_of_the_bracket_between_its_minimum_and_maximum():
    assert BOOK.premium("BPU", ["JKK"], 0, dt.date(2024, 1, 1)).total == 10_000
    assert BOOK.premium("BPU", ["JKK"], 3_000_000, dt.date(2024, 1, 1)).total == 30_000
    assert BOOK.premium("BPU", ["JKK"], 3_499_999, dt.date(2024, 1, 1)).basis == 3_000_000
    assert BOOK.premium("BPU", ["JKK"], 10**9, dt.date(2024, 1, 1)).total == 207_000


def test_optional_jht_is_two_percent():
    quote = BOOK.premium("BPU", ["JKK", "JKM", "JHT"], 2_000_000, dt.date(2024, 1, 1))
    assert quote.amounts == {"JKK": 20_000, "JKM": 6_800, "JHT": 40_000}


def test_formal_sector_rates_by_risk_class():
    wage = 10_000_000
    expected = {1: 24_000, 2: 54_000, 3: 89_000, 4: 127_000, 5: 174_000}
    for risk_class, jkk in expected.items():
        quote = BOOK.premium("PU", ["JKK"], wage, dt.date(2024, 6, 1), risk_class=risk_class)
        assert quote.total == jkk
    quote = BOOK.premium("PU", ["JKM", "JHT"], wage, dt.date(2024, 6, 1), payer=Payer.EMPLOYER)
    assert quote.amounts == {"JKM": 30_000, "JHT": 570_000}
    jht = next(line for line in quote.lines if line.program == "JHT")
    assert (jht.employer, jht.worker) == (370_000, 200_000)


def test_pension_stops_at_the_wage_cap_of_the_month():
    before = BOOK.premium("PU", ["JP"], 20_000_000, dt.date(2024, 2, 1))
    after = BOOK.premium("PU", ["JP"], 20_000_000, dt.date(2024, 3, 1))
    assert before.total == percent(9_559_600, 300)
    assert after.total == percent(10_042_300, 300) == 301_269
    assert BOOK.premium("PU", ["JP"], 4_000_000, dt.date(2024, 3, 1)).total == 120_000


def test_job_loss_share_of_the_government_is_shown_but_not_paid_by_the_employer():
    quote = BOOK.premium("PU", ["JKK", "JKP"], 8_000_000, dt.date(2025, 6, 1), risk_class=1)
    assert quote.total == 19_200  # JKK 0.24% only
    assert quote.government_total == 11_000  # 0.22% of the Rp 5,000,000 cap
    assert BOOK.premium("PU", ["JKP"], 8_000_000, dt.date(2020, 6, 1)).government_total == 0


def test_rounding_is_half_up_to_the_rupiah():
    assert percent(1_250, 100) == 13  # 12.5 → 13
    assert percent(1_249, 100) == 12
    assert after_relief(15_001, 5_000) == 7_501  # 7,500.5 → 7,501
    assert after_relief(6_800, 9_900) == 68


# --- relief rules ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "month, transport, payer, total",
    [
        (dt.date(2025, 12, 1), True, Payer.SELF, 16_800),
        (dt.date(2026, 1, 1), True, Payer.SELF, 8_400),
        (dt.date(2027, 3, 1), True, Payer.SELF, 8_400),
        (dt.date(2027, 4, 1), True, Payer.SELF, 16_800),
        (dt.date(2026, 3, 1), False, Payer.SELF, 16_800),
        (dt.date(2026, 4, 1), False, Payer.SELF, 8_400),
        (dt.date(2026, 12, 1), False, Payer.SELF, 8_400),
        (dt.date(2027, 1, 1), False, Payer.SELF, 16_800),
        (dt.date(2026, 6, 1), False, Payer.APBD, 16_800),
        (dt.date(2026, 6, 1), True, Payer.APBN, 16_800),
        (dt.date(2026, 6, 1), False, Payer.APBD_PROVINCE, 16_800),
        (dt.date(2026, 6, 1), False, Payer.OTHER, 8_400),
        (dt.date(2026, 6, 1), False, Payer.APBDES, 16_800),
    ],
)
def test_pp_50_2025_periods_and_payers(month, transport, payer, total):
    quote = BOOK.premium("BPU", JKK_JKM, 1_000_000, month, payer=payer, transport=transport)
    assert quote.total == total
    if total == 8_400:
        assert quote.rule.legal_basis == "PP 50/2025"
        assert "PP 50/2025" in quote.rule_label and "−50%" in quote.rule_label


def test_a_regency_sponsored_worker_pays_full_price_and_says_why():
    quote = BOOK.premium("BPU", JKK_JKM, 1_000_000, dt.date(2026, 6, 1), payer=Payer.APBD)
    assert quote.rule is None
    assert "tidak berlaku" in quote.rule_label and "APBD" in quote.rule_label


def test_village_budget_exclusion_is_a_setting():
    with override_settings(LINDUNG_RELIEF_EXCLUDES_APBDES=False):
        quote = BOOK.premium("BPU", JKK_JKM, 1_000_000, dt.date(2026, 6, 1), payer=Payer.APBDES)
    assert quote.total == 8_400


def test_relief_leaves_jht_alone():
    quote = BOOK.premium("BPU", ["JKK", "JKM", "JHT"], 1_000_000, dt.date(2026, 6, 1))
    assert quote.amounts == {"JKK": 5_000, "JKM": 3_400, "JHT": 20_000}


def test_pp_49_2020_is_kept_as_history():
    quote = BOOK.premium("BPU", JKK_JKM, 1_000_000, dt.date(2020, 9, 1), payer=Payer.APBD)
    assert quote.total == 100 + 68
    assert BOOK.premium("BPU", JKK_JKM, 1_000_000, dt.date(2021, 2, 1)).total == 16_800


# --- refusals -------------------------------------------------------------------------------


def test_bad_input_is_refused_with_a_code_and_an_indonesian_message():
    with pytest.raises(PremiumInputInvalid) as refused:
        BOOK.premium("PU", ["JKK"], 5_000_000, dt.date(2024, 1, 1))
    assert refused.value.code == "risk_class_missing"
    assert "Kelompok risiko" in refused.value.message
    for income in (-1, 1.5, "abc", None):
        with pytest.raises(PremiumInputInvalid, match="income_invalid"):
            BOOK.premium("BPU", JKK_JKM, income, dt.date(2024, 1, 1))
    with pytest.raises(PremiumInputInvalid, match="payer_invalid"):
        BOOK.premium("BPU", JKK_JKM, 1_000_000, dt.date(2024, 1, 1), payer="bank")
    with pytest.raises(UnknownProgram):
        BOOK.premium("BPU", ["JKK", "JP"], 1_000_000, dt.date(2024, 1, 1))
    with pytest.raises(NoRateInForce, match="06/2015"):
        BOOK.premium("BPU", JKK_JKM, 1_000_000, dt.date(2015, 6, 1))


# --- properties -----------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(bpu_programs, incomes, months, payers, st.booleans())
def test_bpu_premium_is_never_negative(programs, income, month, payer, transport):
    quote = BOOK.premium("BPU", programs, income, month, payer=payer, transport=transport)
    assert all(line.amount >= 0 and line.base >= line.amount for line in quote.lines)
    assert 0 <= quote.total <= quote.base_total


@settings(max_examples=300, deadline=None)
@given(pu_programs, incomes, months, payers, risk_classes)
def test_pu_premium_is_never_negative(programs, wage, month, payer, risk_class):
    quote = BOOK.premium("PU", programs, wage, month, risk_class=risk_class, payer=payer)
    assert all(line.amount >= 0 and line.government >= 0 for line in quote.lines)
    assert quote.total >= 0


@settings(max_examples=300, deadline=None)
@given(bpu_programs, incomes, incomes, months, payers, st.booleans())
def test_bpu_premium_is_monotone_in_income(programs, a, b, month, payer, transport):
    low, high = sorted((a, b))
    price = lambda income: BOOK.premium(  # noqa: E731
        "BPU", programs, income, month, payer=payer, transport=transport
    )
    assert price(low).total <= price(high).total


@settings(max_examples=300, deadline=None)
@given(pu_programs, incomes, incomes, months, risk_classes)
def test_pu_premium_is_monotone_in_wage(programs, a, b, month, risk_class):
    low, high = sorted((a, b))
    price = lambda wage: BOOK.premium("PU", programs, wage, month, risk_class=risk_class)  # noqa: E731
    assert price(low).total <= price(high).total


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=12 * 12, max_value=20 * 12).map(month_of),
    st.integers(min_value=0, max_value=30),
    months,
    incomes,
)
def test_a_rate_change_applies_from_its_date_only(start, day, month, income):
    effective = start.replace(day=1 + day % 28)
    new = BpuRateVersion(
        effective_from=effective,
        jkk_rate_bp=120,
        jkk_min=12_000,
        jkk_max=250_000,
        jkm_amount=8_000,
        jht_rate_bp=200,
        income_floor=1_000_000,
        income_step=500_000,
        legal_basis="uji",
    )
    changed = default_book(extra_bpu=[new])
    before = BOOK.premium("BPU", JKK_JKM, income, month, payer=Payer.APBD)
    after = changed.premium("BPU", JKK_JKM, income, month, payer=Payer.APBD)
    if month >= effective:
        assert after.version is new and after.amount_of("JKM") == 8_000
    else:
        assert after.total == before.total and after.version is not new


# --- the database holds the same rows -------------------------------------------------------


@pytest.mark.django_db
def test_migrations_load_the_default_rows_and_premium_reads_them():
    assert BpuRateVersion.objects.count() >= len(defaults.BPU_VERSIONS)
    assert PuRateVersion.objects.count() >= len(defaults.PU_VERSIONS)
    assert WageCap.objects.count() >= len(defaults.WAGE_CAPS)
    assert set(ReliefRule.objects.values_list("code", flat=True)) >= {
        r["code"] for r in defaults.RELIEF_RULES
    }
    quote = premium("BPU", JKK_JKM, 1_000_000, dt.date(2026, 6, 1))
    assert quote.total == 8_400 and quote.rule.code == "pp50-2025-other"
    assert premium("BPU", JKK_JKM, 1_000_000, dt.date(2024, 2, 19), payer="apbd").total == 16_800


# --- the programs app's entry point, and the admin -----------------------------------------


@pytest.mark.django_db
def test_bpu_monthly_premium_is_the_base_table_unless_a_payer_is_given():
    from lindung.contributions.premiums import bpu_monthly_premium

    month = dt.date(2026, 6, 1)
    assert bpu_monthly_premium(1_000_000, JKK_JKM, month) == 16_800
    assert bpu_monthly_premium(1_000_000, JKK_JKM, month, payer="apbd") == 16_800
    assert bpu_monthly_premium(1_000_000, JKK_JKM, month, payer="self") == 8_400


@pytest.mark.django_db
def test_the_system_admin_adds_a_version_and_cannot_rewrite_an_old_one(client, system_admin):
    client.force_login(system_admin)
    response = client.post(
        "/admin/contributions/bpurateversion/add/",
        {
            "effective_from": "2031-01-01", "jkk_rate_bp": 100, "jkk_min": 10000,
            "jkk_max": 207000, "jkm_amount": 7200, "jht_rate_bp": 200,
            "income_floor": 1000000, "income_step": 500000,
            "legal_basis": "PP uji 1/2030", "notes": "",
        },
    )  # fmt: skip
    assert response.status_code == 302
    assert premium("BPU", JKK_JKM, 1_000_000, dt.date(2031, 1, 1)).total == 17_200
    assert premium("BPU", JKK_JKM, 1_000_000, dt.date(2030, 12, 1), payer="apbd").total == 16_800
    old = BpuRateVersion.objects.get(effective_from=dt.date(2015, 7, 1))
    page = client.get(f"/admin/contributions/bpurateversion/{old.pk}/change/").content.decode()
    assert 'name="jkm_amount"' not in page and 'name="legal_basis"' in page
    assert client.post(f"/admin/contributions/bpurateversion/{old.pk}/delete/").status_code == 403
