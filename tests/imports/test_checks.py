"""Every error code, spreadsheet damage, and the same answers as the form's check_worker."""

import datetime as dt
import os

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lindung.imports.checks import ERRORS, WARNINGS, Context, check_rows, tolerate
from lindung.imports.reading import read_table
from lindung.people.validation import check_worker
from tests.factories import TODAY, nik_for
from tests.imports.files import BATUBULAN, KETEWEL, row, to_csv, to_xlsx

pytestmark = pytest.mark.django_db


def checked(rows, *, user=None, xlsx=False, cell_types=None, default_village=""):
    data = to_xlsx(rows, cell_types=cell_types) if xlsx else to_csv(rows)
    table = read_table(data, "x.xlsx" if xlsx else "x.csv", village_given=bool(default_village))
    context = Context(user=user, today=TODAY, default_village=default_village)
    return check_rows(table.frame, context)


def codes(frame):
    return [(r["row"], list(r[ERRORS])) for r in frame.iter_rows(named=True)]


def test_clean_rows_pass_with_clean_values():
    woman = nik_for("51.04.01", dt.date(1985, 2, 19), "P", 2)
    result = checked([row(1), row(2, nama="  Ni   Luh  ", jenis_kelamin="p", nik=woman)])
    assert codes(result) == [(2, []), (3, [])]
    first = result.row(0, named=True)
    assert first["birth_date"] == dt.date(1985, 2, 19)
    assert first["village_id"] == BATUBULAN and first["district_code"] == "51.04.01"
    assert first["occupation_id"] is not None and first["occupation_text"] == ""
    assert first["declared_income"] == 1_000_000
    assert result.row(1, named=True)["full_name"] == "Ni Luh"


ERROR_CASES = [
    ({"nik": ""}, "nik_missing"),
    ({"nik": "5.10401E+15"}, "nik_scientific_notation"),
    ({"nik": "51040119028500"}, "nik_format"),
    ({"nik": "5104011902850000"}, "nik_format"),
    ({"nik": "9904011902850001"}, "nik_region"),
    ({"nik": "5104013202850001"}, "nik_date"),
    ({"nama": ""}, "name_missing"),
    ({"nama": "I Made 2"}, "name_invalid"),
    ({"jenis_kelamin": ""}, "sex_missing"),
    ({"jenis_kelamin": "X"}, "sex_invalid"),
    ({"jenis_kelamin": "P"}, "sex_mismatch"),
    ({"tanggal_lahir": ""}, "birth_date_missing"),
    ({"tanggal_lahir": "31/02/1985"}, "birth_date_invalid"),
    ({"tanggal_lahir": "20/02/1985"}, "birth_date_mismatch"),
    ({"kode_desa": ""}, "village_missing"),
    ({"kode_desa": "51.04.01.9999"}, "village_unknown"),
    ({"no_hp": "12345"}, "phone_invalid"),
    ({"kategori": ""}, "category_missing"),
    ({"kategori": "pegawai"}, "category_unknown"),
    ({"penghasilan": ""}, "income_missing"),
    ({"penghasilan": "1,5 juta"}, "income_invalid"),
    ({"penghasilan": "2000000000"}, "income_invalid"),
]


@pytest.mark.parametrize("change,code", ERROR_CASES)
def test_every_error_code(change, code):
    result = checked([row(**change)])
    assert codes(result) == [(2, [code])]


def test_village_out_of_scope_for_an_operator(operator):
    result = checked([row(1), row(2, kode_desa=KETEWEL)], user=operator)
    assert codes(result) == [(2, []), (3, ["village_out_of_scope"])]


def test_duplicate_in_file_keeps_the_first():
    result = checked([row(1), row(2), row(1, nama="I Made Dobel")])
    assert codes(result) == [(2, []), (3, []), (4, ["duplicate_in_file"])]
    assert result.row(2, named=True)["first_row"] == 2


def test_errors_are_listed_in_column_order():
    result = checked([row(nik="", nama="", kategori="x", penghasilan="y")])
    assert codes(result) == [
        (2, ["nik_missing", "name_missing", "category_unknown", "income_invalid"])
    ]


def test_warnings_keep_the_row():
    result = checked(
        [row(1, pekerjaan="Pembuat canang"), row(2, pekerjaan="petani  sawah"),
         row(3, nik=nik_for("51.04.99", dt.date(1985, 2, 19), "L", 3))]
    )  # fmt: skip
    assert [list(w) for w in result.get_column(WARNINGS)] == [
        ["occupation_unknown"],
        ["occupation_unknown"],
        ["nik_region_district_unknown"],
    ]
    assert codes(result) == [(2, []), (3, []), (4, [])]
    assert result.row(0, named=True)["occupation_text"] == "Pembuat canang"


def test_spelling_variant_of_an_occupation_is_matched():
    result = checked([row(pekerjaan="Pedagan")])
    assert result.row(0, named=True)["occupation_text"] == ""
    assert list(result.get_column(WARNINGS)[0]) == []


@pytest.mark.parametrize(
    "nik",
    [
        "5104011902850001.0",  # a number cell saved as text
        " 5104 0119 0285 0001 ",
        "'5104011902850001",  # Excel's text marker
        "5104011902850001\u00a0",
    ],
)
def test_excel_mangled_but_complete_niks_are_accepted(nik):
    result = checked([row(nik=nik)])
    assert codes(result) == [(2, [])]
    assert result.row(0, named=True)["nik"] == "5104011902850001"


def test_excel_cells_numbers_dates_and_lost_zeros():
    rows = [
        row(1, no_hp="81234567890", penghasilan="1000000"),
        row(2, tanggal_lahir="19/02/1985"),
        row(3, tanggal_lahir="31097"),  # 19/02/1985 as an Excel serial number
        row(4, tanggal_lahir="1985-02-19", penghasilan="1.500.000"),
    ]
    types = {"no_hp": "number", "tanggal_lahir": "date", "penghasilan": "number", "nik": "number"}
    result = checked(rows, xlsx=True, cell_types=types)
    assert codes(result) == [(2, []), (3, []), (4, []), (5, [])]
    assert result.get_column("birth_date").to_list() == [dt.date(1985, 2, 19)] * 4
    assert result.row(0, named=True)["phone"] == "081234567890"
    assert result.get_column("declared_income").to_list()[-1] == 1_500_000


def test_default_village_fills_blank_cells_only():
    result = checked([row(1, kode_desa=""), row(2)], default_village=KETEWEL)
    assert result.get_column("village_id").to_list() == [KETEWEL, BATUBULAN]


def test_village_code_without_dots():
    assert checked([row(kode_desa="5104012001")]).row(0, named=True)["village_id"] == BATUBULAN


def test_fifty_thousand_rows_are_checked_in_a_moment():
    from tests.imports.files import clean_csv

    table = read_table(clean_csv(50_000, seed=3), "x.csv")
    result = check_rows(table.frame, Context(today=TODAY))
    assert result.height == 50_000
    assert result.filter(pl.col(ERRORS).list.len() > 0).height == 0


# ---- the same answers as the form ------------------------------------------------------

FIELD_OF = {
    "nik": "nik",
    "nama": "full_name",
    "jenis_kelamin": "sex",
    "tanggal_lahir": "birth_date",
    "kode_desa": "village_code",
    "alamat": "address",
    "no_hp": "phone",
    "pekerjaan": "occupation",
    "kategori": "category",
    "penghasilan": "declared_income",
}
cells = st.one_of(
    st.sampled_from(["", " ", "L", "P", "x", "12", "19/02/1985", "1985-02-19", "31/02/1985",
                     "01/01/2030", "51.04.01.2001", "51.04.01.2002", "51.04.01", "petani",
                     "pekerja_rentan", "kader desa", "1.000.000", "1000000", "Rp 1.500.000",
                     "-5", "081234567890", "+62 812-3456-7890", "0812", "I Made", "O'Neil-Ana",
                     "Ni Luh 2", "5104011902850001", "5104015902850001", "5.10401E+15",
                     "5104011902850000", "9904011902850001", "5104013202850001",
                     "5104991902850001", "5104011902850001.0", "٥١٠٤٠١١٩٠٢٨٥٠٠٠١"]),
    st.text(
        alphabet=st.characters(max_codepoint=0x1FFF, exclude_categories=["Cs", "Cc"]),
        max_size=12,
    ),
)  # fmt: skip


@settings(
    max_examples=int(os.environ.get("LINDUNG_HYPOTHESIS_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(values=st.fixed_dictionaries({k: cells for k in FIELD_OF}))
def test_same_codes_as_check_worker(values):
    frame = pl.DataFrame({FIELD_OF[k]: [v] for k, v in values.items()}).with_columns(
        pl.lit(2, dtype=pl.Int64).alias("row"), pl.lit(False).alias("ragged")
    )
    context = Context(today=TODAY)
    ours = check_rows(frame, context)
    # The spreadsheet repairs (Excel serial dates, lost leading zeros…) come first in both.
    repaired = tolerate(frame, context).row(0, named=True)
    theirs = check_worker({f: repaired[f] for f in FIELD_OF.values()}, today=TODAY)
    assert set(ours.get_column(ERRORS)[0]) == {p.code for p in theirs.errors}
    assert set(ours.get_column(WARNINGS)[0]) == {p.code for p in theirs.warnings}


def test_a_number_cell_that_lost_its_last_digit_is_named_as_such():
    """Excel keeps 15 digits of a number: a NIK typed into a number cell ends in 0."""
    lost = nik_for("51.04.01", dt.date(1985, 2, 19), "L", 10)  # ...0010: ends in 0
    kept = nik_for("51.04.01", dt.date(1985, 2, 19), "L", 13)  # a number cell, all digits
    rows = [row(1, nik=lost), row(2, nik=kept)]
    result = checked(rows, xlsx=True, cell_types={"nik": "number"})
    assert codes(result) == [(2, ["nik_precision_lost"]), (3, [])]


def test_a_nik_ending_in_0_written_as_text_is_a_good_nik():
    good = nik_for("51.04.01", dt.date(1985, 2, 19), "L", 10)
    assert codes(checked([row(1, nik=good)], xlsx=True)) == [(2, [])]
    assert codes(checked([row(1, nik=good)])) == [(2, [])]


def test_the_precision_message_says_what_happened_and_how_to_fix_it():
    from lindung.people import nik as nik_rules

    text = nik_rules.message(nik_rules.NIK_PRECISION_LOST)
    assert "15 angka" in text and "Teks" in text
