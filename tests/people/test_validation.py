import datetime as dt

import pytest

from lindung.people.validation import (
    MESSAGES,
    OccupationMatcher,
    check_worker,
    parse_date,
    parse_income,
)
from tests.factories import TODAY, worker_data

pytestmark = pytest.mark.django_db


def codes(checked):
    return sorted(p.code for p in checked.errors)


def test_a_clean_worker_passes_with_parsed_values(operator):
    checked = check_worker(worker_data(), user=operator, today=TODAY)
    assert checked.ok, checked.errors
    values = checked.values
    assert values["nik"] == "5104011902850001"
    assert values["birth_date"] == dt.date(1985, 2, 19)
    assert values["village"].code == "51.04.01.2001"
    assert values["category"] == "pekerja_rentan"
    assert values["declared_income"] == 1_000_000
    assert values["occupation"].code == "petani"


@pytest.mark.parametrize(
    ("field", "code"),
    [
        ("nik", "nik_missing"),
        ("full_name", "name_missing"),
        ("sex", "sex_missing"),
        ("birth_date", "birth_date_missing"),
        ("village_code", "village_missing"),
        ("category", "category_missing"),
        ("declared_income", "income_missing"),
    ],
)
def test_required_fields(field, code, operator):
    assert code in codes(check_worker(worker_data(**{field: "  "}), user=operator, today=TODAY))


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"full_name": "I Made 123"}, "name_invalid"),
        ({"sex": "X"}, "sex_invalid"),
        ({"birth_date": "31/02/1985"}, "birth_date_invalid"),
        ({"birth_date": "01/01/2030"}, "birth_date_invalid"),
        ({"village_code": "51.04.01.9999"}, "village_unknown"),
        ({"village_code": "51.04"}, "village_unknown"),
        ({"village_code": "51.04.01.2002"}, "village_out_of_scope"),
        ({"category": "petani"}, "category_unknown"),
        ({"declared_income": "1,5 juta"}, "income_invalid"),
        ({"declared_income": "-1"}, "income_invalid"),
        ({"declared_income": 1.5}, "income_invalid"),
        ({"phone": "12345"}, "phone_invalid"),
        ({"segment": "XYZ"}, "segment_invalid"),
        ({"welfare_decile": "11"}, "decile_invalid"),
        ({"sex": "P"}, "sex_mismatch"),
        ({"birth_date": "20/02/1985"}, "birth_date_mismatch"),
        ({"nik": "5.10401E+15"}, "nik_scientific_notation"),
    ],
)
def test_each_error_code(overrides, code, operator):
    checked = check_worker(worker_data(**overrides), user=operator, today=TODAY)
    assert code in codes(checked)
    problem = next(p for p in checked.errors if p.code == code)
    if not problem.facts:
        assert problem.message == str(MESSAGES[code])  # every code explains itself
    else:  # told with the fact it needs (see test_messages_name_the_fact)
        assert problem.message and problem.message != str(MESSAGES[code])


def test_messages_name_the_fact(operator):
    """A NIK of the wrong length says how many digits were typed; a NIK that disagrees with
    the birth date says which date the NIK holds, under the NIK field."""
    short = check_worker(worker_data(nik="510401190285001"), user=operator, today=TODAY)
    [problem] = [p for p in short.errors if p.code == "nik_format"]
    assert problem.field == "nik"
    assert "yang diisi 15 angka" in problem.message
    assert problem.as_dict()["code"] == "nik_format"  # the code stays for the API and files
    mismatch = check_worker(worker_data(birth_date="20/02/1985"), user=operator, today=TODAY)
    [problem] = [p for p in mismatch.errors if p.code == "birth_date_mismatch"]
    assert problem.field == "nik"
    assert "NIK ini memuat tanggal lahir 19/02/1985" in problem.message
    letters = check_worker(worker_data(nik="51040119028500AB"), user=operator, today=TODAY)
    [problem] = [p for p in letters.errors if p.code == "nik_format"]
    assert problem.message == str(MESSAGES["nik_format"])  # no digit count to give


def test_labels_and_codes_of_categories_in_any_case(operator):
    for written in ["Petugas Parkir", "PETUGAS_PARKIR", "petugas parkir", "Juru parkir"]:
        checked = check_worker(worker_data(category=written), user=operator, today=TODAY)
        assert checked.values["category"] == "petugas_parkir"


def test_unknown_occupation_is_kept_with_a_warning(operator):
    checked = check_worker(worker_data(occupation="Penyelam mutiara"), user=operator, today=TODAY)
    assert checked.ok
    assert checked.values["occupation"] is None
    assert checked.values["occupation_text"] == "Penyelam mutiara"
    assert [p.code for p in checked.warnings] == ["occupation_unknown"]


def test_occupation_spelling_variants_match_the_list():
    matcher = OccupationMatcher()
    assert matcher.match("PETANI").code == "petani"
    assert matcher.match("Pedagan").code == "pedagang"
    assert matcher.match("parking attendant").code == "petugas_parkir"
    assert matcher.match("astronot") is None


def test_system_wide_user_may_register_anywhere():
    checked = check_worker(worker_data(village_code="51.01.01.2001"), user=None, today=TODAY)
    assert "village_out_of_scope" not in codes(checked)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("19/02/1985", dt.date(1985, 2, 19)),
        ("1985-02-19", dt.date(1985, 2, 19)),
        ("19-02-1985", dt.date(1985, 2, 19)),
        ("30/02/1985", None),
        ("kemarin", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1000000", 1_000_000),
        ("1.000.000", 1_000_000),
        ("Rp 1.500.000", 1_500_000),
        (2_000_000, 2_000_000),
        (1000000.0, 1_000_000),
        ("1,5", None),
        ("10.00", None),
        (True, None),
        ("99999999999", None),
    ],
)
def test_parse_income(text, expected):
    assert parse_income(text) == expected


@pytest.mark.parametrize("text", ["²", "1²", "٣٠٠", "½"])
def test_unicode_digits_never_crash_the_parsers(text, operator):
    parse_income(text)  # a verdict, never an exception
    check_worker(worker_data(declared_income=text, welfare_decile=text), user=operator)
