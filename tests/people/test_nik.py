import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lindung.people import nik as rules
from lindung.people.nik import check_nik, mask_nik
from lindung.regions import codes
from tests.factories import TODAY, nik_for

DISTRICTS = sorted(r.code for r in codes.official_codes() if r.level == codes.DISTRICT)


def test_valid_male_nik_is_parsed():
    result = check_nik("5104011902850001", today=TODAY)
    assert result.valid and result.errors == []
    assert result.sex == "L"
    assert result.birth_date == dt.date(1985, 2, 19)
    assert result.district_code == "51.04.01"
    assert result.regency_code == "51.04"
    assert result.province_code == "51"
    assert result.serial == "0001"


def test_women_have_forty_added_to_the_day():
    result = check_nik("5104015902850002", today=TODAY)
    assert result.valid
    assert result.sex == "P"
    assert result.birth_date == dt.date(1985, 2, 19)


@pytest.mark.parametrize(
    "raw",
    ["510401190285000", "51040119028500011", "51040119O2850001", "", "5104011902850000", None],
)
def test_wrong_shape_is_nik_format(raw):
    assert check_nik(raw, today=TODAY).errors == [rules.NIK_FORMAT]


@pytest.mark.parametrize("raw", ["5.10401E+15", "5,10401E+15", "5.104011902850E+15", "5E15"])
def test_scientific_notation_is_recognised(raw):
    assert check_nik(raw, today=TODAY).errors == [rules.NIK_SCIENTIFIC]


def test_number_cells_and_spaces_are_tolerated():
    assert check_nik("5104011902850001.0", today=TODAY).valid
    assert check_nik(" 5104 0119 0285 0001 ", today=TODAY).valid
    assert check_nik(5104011902850001, today=TODAY).valid


def test_unknown_region_is_refused():
    assert rules.NIK_REGION in check_nik("9999011902850001", today=TODAY).errors


def test_unknown_district_of_a_known_regency_is_a_warning():
    result = check_nik("5104991902850001", today=TODAY)
    assert result.valid
    assert result.warnings == [rules.NIK_REGION_DISTRICT_UNKNOWN]
    assert result.regency_code == "51.04"
    assert result.district_code is None


@pytest.mark.parametrize("date_part", ["320285", "310485", "001285", "191385", "720285"])
def test_impossible_birth_dates_are_nik_date(date_part):
    assert rules.NIK_DATE in check_nik(f"510401{date_part}0001", today=TODAY).errors


def test_leap_day():
    assert check_nik("5104012902840001", today=TODAY).valid  # 29/02/1984
    assert rules.NIK_DATE in check_nik("5104012902850001", today=TODAY).errors


def test_stated_sex_and_birth_date_are_cross_checked():
    nik = "5104011902850001"
    assert check_nik(nik, sex="P", today=TODAY).errors == [rules.SEX_MISMATCH]
    mismatch = check_nik(nik, birth_date=dt.date(1985, 2, 20), today=TODAY)
    assert mismatch.errors == [rules.BIRTH_DATE_MISMATCH]
    assert check_nik(nik, sex="l", birth_date=dt.date(1985, 2, 19), today=TODAY).valid


def test_two_digit_years_take_the_latest_past_century():
    assert check_nik("5104010101100001", today=TODAY).birth_date.year == 2010
    assert check_nik("5104010101300001", today=TODAY).birth_date.year == 1930
    # A stated birth date decides the century when the NIK cannot.
    stated = dt.date(1926, 1, 1)
    assert check_nik("5104010101260001", birth_date=stated, today=TODAY).birth_date == stated


def test_masking_hides_the_birth_date():
    assert mask_nik("5104011902850001") == "510401******0001"


def test_json_shape():
    data = check_nik("5104015902850002", today=TODAY).as_json()
    assert data == {
        "nik": "5104015902850002",
        "valid": True,
        "errors": [],
        "warnings": [],
        "sex": "P",
        "birth_date": "1985-02-19",
        "district_code": "51.04.01",
    }


@given(
    district=st.sampled_from(DISTRICTS),
    born=st.dates(min_value=dt.date(1927, 1, 1), max_value=TODAY),
    sex=st.sampled_from(["L", "P"]),
    serial=st.integers(min_value=1, max_value=9999),
)
def test_round_trip_of_generated_niks(district, born, sex, serial):
    nik = nik_for(district, born, sex, serial)
    result = check_nik(nik, sex=sex, birth_date=born, today=TODAY)
    assert result.valid, result.errors
    assert (result.sex, result.birth_date, result.district_code) == (sex, born, district)
    assert result.serial == f"{serial:04d}"
    # Without the stated date the century is the latest one not in the future.
    alone = check_nik(nik, today=TODAY)
    assert alone.valid and alone.sex == sex
    assert (alone.birth_date.day, alone.birth_date.month) == (born.day, born.month)
    assert alone.birth_date.year % 100 == born.year % 100


@given(st.text(max_size=30))
def test_any_text_gives_a_verdict_never_an_exception(text):
    result = check_nik(text, today=TODAY)
    assert result.valid or result.errors
    assert all(code in rules.MESSAGES for code in result.errors + result.warnings)
