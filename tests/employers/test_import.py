"""Importing employer lists: every wrong row reported, nothing half-imported, re-runs
change nothing, NIB or name and village as the key, scope."""

import pytest

from lindung.employers import importing, services
from lindung.employers.models import Employer
from tests.employers.conftest import BATUBULAN, JEMBRANA, KETEWEL, TODAY, UBUD, make_employer

pytestmark = pytest.mark.django_db

HEADER = "nama_usaha;nib;kbli;kode_desa;jumlah_pekerja;terdaftar_bpjs;program;npp\n"
GOOD = (
    HEADER
    + f"PT Ikan Segar;8120000000001;10213;{BATUBULAN};85;80;JKK,JKM,JHT,JP,JKP;NPP1\n"
    + f"Minimarket Sukawati;8120000000002;47111;{BATUBULAN};12;12;JKK,JKM,JHT;NPP2\n"
    + f"Warung Men Sari;;I;{BATUBULAN};3;0;;\n"
)


def run(text, user=None, **options):
    return importing.import_employers(
        user=user,
        data=text.encode(),
        name="daftar.csv",
        source=options.get("source", "insurer"),
        as_of=options.get("as_of", "01/11/2026"),
        today=TODAY,
    )


def test_a_good_file_is_saved_and_a_rerun_changes_nothing():
    report = run(GOOD)
    assert report.ok and (report.created, report.updated, report.by_name) == (3, 0, 1)
    fish = Employer.objects.get(nib="8120000000001")
    assert (fish.size_class, fish.compliance, fish.uncovered) == ("medium", "partly", 5)
    assert fish.registration_source == "insurer"
    assert Employer.objects.get(name="Warung Men Sari").identified_by_name
    again = run(GOOD)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert Employer.objects.count() == 3
    assert fish.history.count() == 1


def test_an_update_keeps_the_earlier_figures_as_history():
    run(GOOD)
    run(GOOD.replace(";85;80;", ";85;85;"), as_of="15/11/2026")
    fish = Employer.objects.get(nib="8120000000001")
    assert fish.registered_workers == 85 and fish.compliance == "registered"
    assert list(
        fish.history.order_by("history_date").values_list("registered_workers", flat=True)
    ) == [80, 85]


def test_every_wrong_row_is_reported_and_nothing_is_saved():
    text = (
        HEADER
        + f"PT Baik;8120000000001;10213;{BATUBULAN};10;10;JKK,JKM,JHT,JP,JKP;N\n"
        + f"PT NIB Salah;81200;10213;{BATUBULAN};10;0;;\n"
        + f"PT Lebih;8120000000003;47111;{BATUBULAN};10;11;;\n"
        + f"PT KBLI;8120000000004;12345;{BATUBULAN};10;0;;\n"
        + f"PT Kembar;8120000000001;47111;{BATUBULAN};10;0;;\n"
        + "PT Desa;8120000000006;47111;51.04.99.9999;10;0;;\n"
    )
    report = run(text)
    assert not report.ok and not Employer.objects.exists()
    found = {(p.row, p.column, p.code) for p in report.problems}
    assert found == {
        (3, "nib", "nib_invalid"),
        (4, "terdaftar_bpjs", "registered_above_total"),
        (5, "kbli", "kbli_unknown"),
        (6, "nib", "nib_duplicate_in_file"),
        (7, "kode_desa", "village_invalid"),
    }
    kembar = next(p for p in report.problems if p.code == "nib_duplicate_in_file")
    assert "baris 2" in kembar.message


def test_the_same_name_twice_without_nib_is_refused():
    text = HEADER + f"Warung A;;I;{BATUBULAN};3;0;;\nwarung  a;;I;{BATUBULAN};2;0;;\n"
    report = run(text)
    assert [p.code for p in report.problems] == ["name_duplicate_in_file"]


def test_name_and_village_find_an_employer_without_nib():
    existing = make_employer(
        nib="",
        name="Warung Men Sari",
        sector="I",
        total_workers="2",
        workers_male="",
        workers_female="",
        registered_workers="0",
        npp="",
        programs="",
    )
    report = run(HEADER + f"warung men sari;;I;{BATUBULAN};4;0;;\n")
    assert (report.created, report.updated) == (0, 1)
    existing.refresh_from_db()
    assert existing.total_workers == 4


def test_outside_the_region_is_refused_per_row(operator):
    make_employer(nib="8120000000009", village_code=JEMBRANA)
    text = (
        HEADER
        + f"PT Luar;8120000000008;47111;{JEMBRANA};10;0;;\n"
        + f"PT Milik Luar;8120000000009;47111;{BATUBULAN};10;0;;\n"
    )
    report = run(text, user=operator)
    assert {(p.row, p.code) for p in report.problems} == {
        (2, "out_of_scope"),
        (3, "nib_out_of_scope"),
    }


def test_a_file_without_a_required_column_is_refused_whole():
    with pytest.raises(importing.FileRefused) as refusal:
        run("nama_usaha;nib\nPT A;8120000000001\n")
    assert refusal.value.code == "column_missing" and "kbli" in refusal.value.message


def test_viewers_may_not_import(viewer):
    with pytest.raises(services.EmployerRefused):
        run(GOOD, user=viewer)


def test_an_xlsx_template_imports():
    report = importing.import_employers(
        user=None,
        data=importing.template_xlsx(),
        name="contoh.xlsx",
        source="wlkp",
        as_of="01/11/2026",
        today=TODAY,
    )
    assert report.ok and report.created == 2


def test_the_page(client, regency_admin, clock_today):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(regency_admin)
    response = client.post(
        "/pemberi-kerja/impor/",
        {
            "file": SimpleUploadedFile("daftar.csv", GOOD.encode()),
            "source": "wlkp",
            "as_of": "01/11/2026",
        },
    )
    assert "3 baris: 3 baru" in response.content.decode()


# Rows of every shape the column-wise checks take (and some they leave to the form's check,
# which must take them the same): each header once, every derived figure at stake.
WIDE = (
    "nama_usaha;nib;npwp;bentuk_usaha;kbli;kode_desa;alamat;jumlah_pekerja;pekerja_laki_laki;"
    "pekerja_perempuan;terdaftar_bpjs;program;npp;upah_kurang;tutup_sejak\n"
    f"PT Satu;8120000000101;01.234.567.8-901.000;pt;10213;{BATUBULAN};Jl. A;1.250;;;1.000;"
    "jkk, jkm;NPP9;ya;\n"
    f"CV Dua;8120000000102;;cv;g;{BATUBULAN};;20;12;8;20;JKK,JKM,JHT,JP,JKP;N2;;\n"
    f"Koperasi Tiga;;;koperasi;K;{KETEWEL};;4;;;0;;;;\n"
    f"LPD Empat;8120000000104;;lpd;K;{KETEWEL};;15;;;0;;NPP4;;\n"
    f"Toko Lima;8120000000105;;;47111;{UBUD};;3;;;3;JKM;;1;01/10/2026\n"
    f"Hotel Enam;8120000000106;;pt;55110;{UBUD};;120;;;60;JKK,JKM,JHT,JP;;tidak;\n"
    f"Warung Tujuh;;;perorangan;56101;{UBUD};;2;1;1;2;JKK;JKM;;\n"
    f"Ganjil Delapan;8120000000108;;pt;I;{BATUBULAN};;+7;;;0;;;;\n"
)


def test_rows_checked_column_wise_get_what_the_form_gives_them():
    """Every saved row equals what ``services.clean`` and ``services.judge`` give the same
    cells (on PostgreSQL the new rows are checked column-wise and copied; elsewhere and for
    the rows left to the form, saved as the form saves them)."""
    from lindung.employers.models import ComplianceRule

    report = run(WIDE)
    assert report.ok, report.problems
    assert report.created == 8
    rule = ComplianceRule.objects.order_by("-valid_from").first()
    header = WIDE.split("\n")[0].split(";")
    keys = importing._map_headers(header)
    for line in WIDE.strip().split("\n")[1:]:
        cells = line.split(";")
        text = {k: cells[i].strip() for k, i in keys.items()}
        values = importing._clean_row(
            None, text, None, "insurer", TODAY.replace(day=1), TODAY, {BATUBULAN, KETEWEL, UBUD}
        )
        nib = values["nib"]
        saved = (
            Employer.objects.get(nib=nib)
            if nib
            else Employer.objects.get(name=values["name"], nib__isnull=True)
        )
        for name, value in values.items():
            assert getattr(saved, name) == value, (saved.name, name)
        expected = Employer(**values)
        expected.set_region_codes()
        services.judge(expected, rule)
        for name in ("size_class", "compliance", "reasons", "uncovered", "district_code"):
            assert getattr(saved, name) == getattr(expected, name), (saved.name, name)
        assert saved.identified_by_name == (nib is None)
        assert saved.history.count() == 1


def _python_read(text: str):
    """The file as Python's reader gives it (the path of XLSX and quoted CSV files)."""
    headers, rows = importing.read_rows(text.encode(), "daftar.csv")
    given = [f for f in headers if f in services.FIELDS]
    return headers, importing._frame(headers, rows, given)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_plain_csv_is_read_by_polars_with_the_same_cells_and_row_numbers(newline):
    text = (
        newline.join(
            [
                "nama_usaha;nib;kbli;kode_desa;jumlah_pekerja;catatan",
                f" PT Ikan Segar ;8120000000001;10213;{BATUBULAN};85;a;extra;cells",
                "",  # an empty line: numbered, not read
                ";;;;;",  # only separators: the same
                f"Warung Men Sari;;I;{BATUBULAN};3",  # a short row: the missing cells empty
                f"\u00a0Koperasi\u3000;;K;{KETEWEL};  7 ;",
            ]
        )
        + newline
    )
    assert importing._plain_csv(text.encode(), "daftar.csv") is not None
    headers, frame = importing.read_frame(text.encode(), "daftar.csv")
    python_headers, python_frame = _python_read(text)
    assert headers == python_headers and frame.to_dicts() == python_frame.to_dicts()
    assert frame["row"].to_list() == [2, 5, 6]
    assert frame["name"].to_list() == ["PT Ikan Segar", "Warung Men Sari", "Koperasi"]


def test_a_quoted_or_unusual_csv_is_read_by_python_as_before():
    quoted = HEADER + f'"PT Ikan; Segar";8120000000001;10213;{BATUBULAN};85;80;"JKK,JKM";N\n'
    assert importing._plain_csv(quoted.encode(), "daftar.csv") is None
    headers, frame = importing.read_frame(quoted.encode(), "daftar.csv")
    assert frame["name"].to_list() == ["PT Ikan; Segar"]
    assert importing._plain_csv(b"a;b\rc;d\r", "daftar.csv") is None  # old Mac line ends
    assert importing._plain_csv("nama;x\nS\xe9;1\n".encode("cp1252"), "daftar.csv") is None
    for empty in (b"", b"\n\n", HEADER.encode()):
        with pytest.raises(importing.FileRefused) as refused:
            importing.read_frame(empty, "daftar.csv")
        assert refused.value.code == "file_empty"
    with pytest.raises(importing.FileRefused) as refused:
        importing.read_frame(b"nama_usaha;nib\nPT A;1\n", "daftar.csv")
    assert refused.value.code == "column_missing"


def test_the_import_s_records_and_history_hold_one_time_and_the_creator():
    from django.db import connection

    from lindung.accounts.models import Role, User

    admin = User.objects.create(username="admin.import", role=Role.SYSTEM_ADMIN)
    assert run(GOOD, user=admin).created == 3
    employers = Employer.objects.all()
    assert {e.created_by_id for e in employers} == {admin.pk}
    history = Employer.history.model.objects.all()
    assert {h.created_by_id for h in history} == {admin.pk} and history.count() == 3
    if connection.vendor == "postgresql":  # the COPY leaves the times to the transaction's
        times = {e.created_at for e in employers} | {e.updated_at for e in employers}
        times |= {h.history_date for h in history} | {h.created_at for h in history}
        assert len(times) == 1
