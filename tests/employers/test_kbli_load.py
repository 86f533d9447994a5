"""Loading the full KBLI 2020 table from the BPS file: every level read, the 5-digit codes
kept, Excel's lost zeros named, the whole file or nothing, idempotent."""

import io
import json

import pytest
import xlsxwriter
from django.core.management import CommandError, call_command
from django.utils import timezone

from lindung.employers import kbli, services
from lindung.employers.models import KbliCode
from tests.employers.conftest import make_employer

pytestmark = pytest.mark.django_db

# A slice of the table as BPS sets it out: every level, codes as text.
TABLE = [
    ("A", "Pertanian, Kehutanan dan Perikanan"),
    ("01", "Pertanian Tanaman, Peternakan, Perburuan dan Kegiatan YBDI"),
    ("011", "Pertanian Tanaman Semusim"),
    ("0111", "Pertanian Serealia (Bukan Padi), Aneka Kacang dan Biji-Bijian Penghasil Minyak"),
    ("01111", "Pertanian Jagung"),
    ("01112", "Pertanian Gandum"),
    ("C", "Industri Pengolahan"),
    ("10", "Industri Makanan"),
    ("102", "Industri Pengolahan dan Pengawetan Ikan dan Biota Air"),
    ("1021", "Industri Pengolahan dan Pengawetan Produk Ikan dan Biota Air"),
    ("10213", "Industri Pembekuan Ikan"),
    ("10215", "Industri Pemindangan Ikan"),
]


def csv_of(rows, header=("kode", "judul")) -> bytes:
    lines = [";".join(header)] + [f"{code};{title}" for code, title in rows]
    return "\n".join(lines).encode()


def xlsx_of(rows, numbers=False) -> bytes:
    """A workbook; ``numbers``: the code cells stored as numbers (Excel's damage)."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["Kode KBLI", "Uraian"])
    for index, (code, title) in enumerate(rows, start=1):
        if numbers and code.isdigit():
            sheet.write_number(index, 0, int(code))
        else:
            sheet.write_string(index, 0, code)
        sheet.write_string(index, 1, title)
    book.close()
    return out.getvalue()


def load(content: bytes, name="kbli2020.csv"):
    return services.load_kbli(content, name, now=timezone.now())


def test_the_table_adds_its_5_digit_codes_and_counts_the_levels_above():
    assert kbli.parse("01112") is None  # before: not known
    result = load(csv_of(TABLE))
    assert (result.ok, result.added, result.unchanged, result.above) == (True, 4, 0, 8)
    # 10213 comes with the product and is loaded too (it is in the table)
    assert set(KbliCode.objects.values_list("code", flat=True)) == {
        "01111",
        "01112",
        "10215",
        "10213",
    }
    assert kbli.parse("01112") == ("A", "01112")
    assert kbli.parse("10215") == ("C", "10215")
    assert kbli.label("A", "01111") == "01111 Pertanian Jagung"
    assert ("01112", "    01112 — Pertanian Gandum") in kbli.choices()
    code = KbliCode.objects.get(code="01111")
    assert code.section == "A" and "KBLI 2020" in code.source
    assert code.history.count() == 1


def test_a_loaded_code_is_accepted_for_an_employer():
    with pytest.raises(services.EmployerInvalid):
        make_employer(sector="10215")
    load(csv_of(TABLE))
    employer = make_employer(sector="10215")
    assert (employer.kbli_section, employer.kbli_code) == ("C", "10215")
    assert employer.sector_label == "10215 Industri Pemindangan Ikan"


def test_loading_again_changes_nothing_and_a_new_title_replaces_the_old():
    load(csv_of(TABLE))
    again = load(csv_of(TABLE))
    assert (again.added, again.retitled, again.unchanged) == (0, 0, 4)
    corrected = [(c, "Pertanian Jagung Pipilan" if c == "01111" else t) for c, t in TABLE]
    result = load(csv_of(corrected))
    assert (result.added, result.retitled, result.unchanged) == (0, 1, 3)
    assert result.samples == ["01111: Pertanian Jagung → Pertanian Jagung Pipilan"]
    code = KbliCode.objects.get(code="01111")
    assert code.title == "Pertanian Jagung Pipilan"
    assert [h.history_type for h in code.history.order_by("history_date")] == ["+", "~"]


def test_an_xlsx_table_with_text_codes_loads():
    result = load(xlsx_of(TABLE), "kbli2020.xlsx")
    assert (result.ok, result.added) == (True, 4)


def test_codes_stored_as_numbers_are_named_as_lost_zeros_and_nothing_is_loaded():
    result = load(xlsx_of(TABLE, numbers=True), "kbli2020.xlsx")
    assert not result.ok
    lost = [(p.row, p.value) for p in result.problems if p.code == "code_lost_zero"]
    # 01 → 1, and 01111 / 01112 → 1111 / 1112 with no 5-digit code under them
    assert lost == [(3, "1"), (6, "1111"), (7, "1112")]
    assert "Teks" in result.problems[0].message and result.problems[0].column == "kode"
    assert not KbliCode.objects.exists()


def test_wrong_rows_are_all_named_with_their_row_and_nothing_is_loaded():
    rows = [
        ("01111", "Pertanian Jagung"),
        ("04111", "Tidak ada"),  # division 04 is in no section
        ("01112", ""),
        ("01111", "Judul lain"),
        ("1A", "Huruf"),
    ]
    result = load(csv_of(rows))
    found = [(p.row, p.field, p.code) for p in result.problems]
    assert found == [
        (3, "code", "division_unknown"),
        (4, "title", "title_required"),
        (5, "code", "duplicate_in_file"),
        (6, "code", "code_invalid"),
    ]
    assert "baris 2" in result.problems[2].message
    assert not KbliCode.objects.exists()


def test_a_file_without_its_columns_or_codes_is_refused():
    with pytest.raises(kbli.KbliFileRefused) as refused:
        load(b"nomor;nama\n1;x\n")
    assert refused.value.code == "column_missing"
    with pytest.raises(kbli.KbliFileRefused) as refused:
        load(csv_of([("A", "Pertanian"), ("01", "Pertanian Tanaman")]))
    assert refused.value.code == "no_codes"
    with pytest.raises(kbli.KbliFileRefused) as refused:
        load(b"")
    assert refused.value.code == "file_empty"


def test_the_command_reports_as_text_and_json(tmp_path):
    path = tmp_path / "kbli2020.csv"
    path.write_bytes(csv_of(TABLE))
    out = io.StringIO()
    call_command("kbli", "load", str(path), "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert (report["ok"], report["added"], report["levels_above"]) == (True, 4, 8)
    out = io.StringIO()
    call_command("kbli", "load", str(path), stdout=out)
    assert "0 kode baru" in out.getvalue() and "4 tetap" in out.getvalue()
    history = KbliCode.objects.get(code="10215").history.get()
    assert history.history_via == "command"


def test_the_command_refuses_a_wrong_file_with_its_rows(tmp_path):
    path = tmp_path / "kbli.csv"
    path.write_bytes(csv_of([("04111", "Tidak ada")]))
    out = io.StringIO()
    with pytest.raises(CommandError, match="Tidak ada kode yang dimuat"):
        call_command("kbli", "load", str(path), stdout=out)
    assert "Baris 2, kolom kode" in out.getvalue()
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("kbli", "load", str(tmp_path / "missing.csv"))


def test_a_lists_sector_filter_offers_sections_kept_codes_and_the_selected_code():
    load(csv_of(TABLE))
    offered = dict(kbli.filter_choices())
    assert "A" in offered and "10213" in offered and "01112" not in offered
    assert "01112" in dict(kbli.filter_choices("01112"))
