"""Entering workforce figures, targets and reported members: by form, by service, by file;
splitting a regency's target and the warning when the children do not add up."""

import io

import pytest
import xlsxwriter
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lindung.accounts.models import Role
from lindung.targets import importing, services, splitting
from lindung.targets.models import ReportedCoverage, Target, WorkforceFigure
from tests.coverage.builders import make_program

pytestmark = pytest.mark.django_db


def workforce(**changes):
    data = {
        "region_code": "51.04",
        "year": "2024",
        "segment": "total",
        "definition": "penduduk bekerja",
        "count": "290.000",
        "source": "BPS, Sakernas Agustus 2024",
    }
    return data | changes


def codes(error) -> list[tuple[str, str]]:
    return [(p.field, p.code) for p in error.value.problems]


def test_a_workforce_figure_is_saved_once_per_key(regency_admin):
    figure = services.save_workforce(user=regency_admin, data=workforce())
    assert (figure.count, figure.definition, figure.segment) == (
        290000,
        "penduduk_bekerja",
        "total",
    )
    again = services.save_workforce(user=regency_admin, data=workforce(count="291000"))
    assert again.pk == figure.pk and again.count == 291000
    other = services.save_workforce(
        user=regency_admin, data=workforce(definition="total tenaga kerja", count="109417")
    )
    assert other.pk != figure.pk
    assert WorkforceFigure.objects.count() == 2


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"region_code": "51.99"}, ("region_code", "region_unknown")),
        ({"region_code": "51.01"}, ("region_code", "region_out_of_scope")),
        ({"year": "24"}, ("year", "year_invalid")),
        ({"segment": "campuran"}, ("segment", "segment_invalid")),
        ({"definition": "kira-kira"}, ("definition", "definition_invalid")),
        ({"count": "12,5"}, ("count", "count_invalid")),
        ({"count": "0"}, ("count", "count_invalid")),
        ({"count": "-5"}, ("count", "count_invalid")),
        ({"source": "  "}, ("source", "source_missing")),
    ],
)
def test_bad_workforce_figures_are_refused_with_a_code(regency_admin, changes, expected):
    with pytest.raises(services.FiguresInvalid) as error:
        services.save_workforce(user=regency_admin, data=workforce(**changes))
    assert expected in codes(error)
    assert all(p.message for p in error.value.problems)


def test_only_managers_write_figures(viewer, operator):
    for user in (viewer, operator):
        with pytest.raises(PermissionDenied):
            services.save_workforce(user=user, data=workforce())


@pytest.mark.parametrize(
    "metric, value, stored",
    [
        ("dibiayai", "12.800", 12800),
        ("tercakup", "6400", 6400),
        ("persen", "40", 4000),
        ("persen", "40,5", 4050),
        ("%", "34.25%", 3425),
    ],
)
def test_targets_as_counts_or_rates(regency_admin, metric, value, stored):
    target = services.save_target(
        user=regency_admin,
        data={"region_code": "51.04", "year": "2024", "metric": metric, "value": value},
    )
    assert target.value == stored


@pytest.mark.parametrize("value", ["120", "40,123", "abc", ""])
def test_bad_rates_are_refused(regency_admin, value):
    with pytest.raises(services.FiguresInvalid) as error:
        services.save_target(
            user=regency_admin,
            data={"region_code": "51.04", "year": "2024", "metric": "persen", "value": value},
        )
    assert ("value", "value_invalid") in codes(error)


def test_reported_members_are_per_segment(regency_admin):
    row = services.save_reported(
        user=regency_admin,
        data={
            "region_code": "51.04",
            "segment": "formal",
            "as_of": "31/12/2024",
            "count": "28.800",
            "source": "BPJS Cabang Gianyar",
        },
    )
    assert (row.count, str(row.as_of)) == (28800, "2024-12-31")
    with pytest.raises(services.FiguresInvalid) as error:
        services.save_reported(
            user=regency_admin,
            data={"region_code": "51.04", "segment": "total", "as_of": "x", "count": "1"},
        )
    assert {c for _f, c in codes(error)} >= {"segment_total_reported", "date_invalid"}


# ---- spreadsheets --------------------------------------------------------------------------


CSV = (
    b"kode_wilayah;tahun;segmen;definisi;jumlah;sumber\n"
    b"51.04;2024;total;penduduk bekerja;290.000;BPS Sakernas\n"
    b"51.04.01;2024;total;penduduk bekerja;60000;BPS Sakernas\n"
    b"51.04.02;2024;informal;total tenaga kerja;40000;Disnaker\n"
)


def test_a_correct_file_is_saved_whole_and_a_second_time_changes_nothing(regency_admin):
    report = importing.import_figures(user=regency_admin, data=CSV, name="ak.csv")
    assert report.ok and report.kind == "workforce"
    assert (report.rows, report.created, report.updated) == (3, 3, 0)
    again = importing.import_figures(user=regency_admin, data=CSV, name="ak.csv")
    assert (again.created, again.updated) == (0, 0)
    assert WorkforceFigure.objects.count() == 3


def test_a_file_with_a_wrong_row_saves_nothing_and_names_every_problem(regency_admin):
    data = (
        b"kode_wilayah,tahun,segmen,definisi,jumlah,sumber\n"
        b"51.04,2024,total,penduduk bekerja,290000,BPS\n"
        b"51.1,2024,total,penduduk bekerja,1000,BPS\n"
        b"51.01,2024,total,penduduk bekerja,1000,BPS\n"
        b"51.04,2024,total,penduduk bekerja,290000,BPS\n"
        b"51.04.01,20xx,total,penduduk bekerja,12.5,\n"
    )
    report = importing.import_figures(user=regency_admin, data=data, name="ak.csv")
    assert not report.ok
    found = {(p.row, p.column, p.code) for p in report.problems}
    assert found == {
        (3, "kode_wilayah", "region_code_number"),
        (4, "kode_wilayah", "region_out_of_scope"),
        (5, "kode_wilayah", "duplicate_in_file"),
        (6, "tahun", "year_invalid"),
        (6, "jumlah", "count_invalid"),
        (6, "sumber", "source_missing"),
    }
    assert "51.10" in next(p.message for p in report.problems if p.row == 3)
    assert WorkforceFigure.objects.count() == 0


def test_targets_from_an_xlsx_file(regency_admin):
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet("Petunjuk")
    sheet.write_string(0, 0, "Isi lembar berikutnya.")
    sheet = book.add_worksheet("Target")
    for col, header in enumerate(["Kode Wilayah", "Tahun", "Segmen", "Ukuran", "Nilai"]):
        sheet.write_string(0, col, header)
    sheet.write_row(1, 0, ["51.04", 2024, "total", "dibiayai", 12800])
    sheet.write_row(2, 0, ["51.04", 2024, "informal", "persen", "40"])
    book.close()
    report = importing.import_figures(user=regency_admin, data=buffer.getvalue(), name="t.xlsx")
    assert report.ok and report.kind == "targets"
    assert sorted(Target.objects.values_list("segment", "metric", "value")) == [
        ("informal", "rate", 4000),
        ("total", "sponsored", 12800),
    ]


@pytest.mark.parametrize(
    "data, name, code",
    [
        (b"", "x.csv", "file_empty"),
        (b"kode_wilayah,tahun\n", "x.csv", "file_empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "x.xls", "file_xls"),
        (b"PK\x03\x04garbage", "x.xlsx", "file_xlsx_broken"),
        (b"wilayah,angka\n51.04,5\n", "x.csv", "column_missing"),
    ],
)
def test_unusable_files_are_refused_whole(regency_admin, data, name, code):
    with pytest.raises(importing.FileRefused) as refused:
        importing.import_figures(user=regency_admin, data=data, name=name)
    assert refused.value.code == code
    assert refused.value.message


def test_reported_members_from_a_file(regency_admin):
    data = b"kode_wilayah,segmen,per_tanggal,jumlah,sumber\n51.04,formal,31/12/2024,28800,BPJS\n"
    report = importing.import_figures(user=regency_admin, data=data, name="r.csv")
    assert report.ok and report.kind == "reported"
    assert ReportedCoverage.objects.get().count == 28800


# ---- splitting a target --------------------------------------------------------------------


def gianyar_target(user, value="12800", metric="dibiayai"):
    return services.save_target(
        user=user,
        data={"region_code": "51.04", "year": "2024", "metric": metric, "value": value},
    )


def test_split_equally_to_the_desa(regency_admin):
    target = gianyar_target(regency_admin)
    children = splitting.split_target(user=regency_admin, target=target, level=4)
    assert len(children) == 64  # desa only: kelurahan have no village budget
    assert {c.value for c in children} == {200}
    assert all(c.parent_id == target.pk for c in children)
    assert splitting.warnings_for("51.04", 2024) == []


def test_split_by_quota_places(regency_admin):
    make_program(villages=("51.04.01.2001", "51.04.01.2002"), quota=100)
    make_program(villages=("51.04.01.2002",), quota=200, funder="apbdes")
    target = gianyar_target(regency_admin, value="1000")
    children = splitting.split_target(user=regency_admin, target=target, level=4, method="quota")
    values = {c.region_id: c.value for c in children if c.value}
    assert values == {"51.04.01.2001": 250, "51.04.01.2002": 750}
    assert sum(c.value for c in children) == 1000


def test_split_by_workforce_needs_every_figure(regency_admin):
    target = gianyar_target(regency_admin, value="1001")
    with pytest.raises(splitting.SplitRefused) as refused:
        splitting.split_target(user=regency_admin, target=target, level=3, method="workforce")
    assert refused.value.code == "workforce_missing"
    for index, code in enumerate(c.code for c in splitting.children_regions("51.04", 3)):
        services.save_workforce(
            user=regency_admin,
            data=workforce(region_code=code, count=str(1000 * (index + 1))),
        )
    children = splitting.split_target(
        user=regency_admin, target=target, level=3, method="workforce"
    )
    assert sum(c.value for c in children) == 1001
    assert [c.value for c in children] == sorted(c.value for c in children)


def test_apportion_adds_up_exactly():
    shares = splitting.apportion(10, {"a": 1, "b": 1, "c": 1})
    assert shares == {"a": 4, "b": 3, "c": 3}
    assert sum(splitting.apportion(12800, {str(i): i + 1 for i in range(64)}).values()) == 12800


def test_a_warning_when_children_do_not_add_up(regency_admin):
    target = gianyar_target(regency_admin)
    splitting.split_target(user=regency_admin, target=target, level=4)
    child = Target.objects.get(region_id="51.04.01.2001", year=2024)
    child.value = 0
    child.save()
    (warning,) = splitting.warnings_for("51.04", 2024)
    assert (warning.children_value, warning.parent_value, warning.level) == (12600, 12800, 4)
    assert "12.600" in warning.message and "12.800" in warning.message
    assert "selisih 200" in warning.message


def test_rate_targets_weighted_by_workforce(regency_admin):
    target = gianyar_target(regency_admin, value="40", metric="persen")
    districts = [c.code for c in splitting.children_regions("51.04", 3)]
    services.save_target(
        user=regency_admin,
        data={"region_code": districts[0], "year": "2024", "metric": "persen", "value": "30"},
    )
    (unchecked,) = splitting.warnings_for("51.04", 2024)
    assert unchecked.unchecked == [districts[0]]
    assert "belum dapat diperiksa" in unchecked.message
    for code in districts:
        services.save_workforce(user=regency_admin, data=workforce(region_code=code, count="1000"))
    (warning,) = splitting.warnings_for("51.04", 2024)
    # Six districts at 40% (inherited) and one at 30%, equal workforce: 38.57%.
    assert warning.children_value == 3857
    assert "38,57%" in warning.message
    splitting.split_target(user=regency_admin, target=target, level=3)
    assert splitting.warnings_for("51.04", 2024) == []


# ---- the page ------------------------------------------------------------------------------


@pytest.fixture
def admin_client(regency_admin):
    client = Client()
    client.force_login(regency_admin)
    return client


def test_the_figures_page_saves_and_explains(admin_client):
    page = admin_client.get("/target/51.04/")
    assert page.status_code == 200
    bad = admin_client.post(
        "/target/51.04/",
        {
            "kind": "workforce",
            "region_code": "51.04",
            "year": "2024",
            "segment": "total",
            "definition": "penduduk_bekerja",
            "count": "banyak",
            "source": "",
        },
    )
    html = bad.content.decode()
    assert 'data-code="count_invalid"' in html and 'data-code="source_missing"' in html
    good = admin_client.post(
        "/target/51.04/",
        {
            "kind": "workforce",
            "region_code": "51.04",
            "year": "2024",
            "segment": "total",
            "definition": "penduduk_bekerja",
            "count": "290000",
            "source": "BPS",
        },
    )
    assert good.status_code == 302
    assert WorkforceFigure.objects.get().count == 290000


def test_upload_page_reports_every_wrong_row(admin_client):
    upload = SimpleUploadedFile(
        "ak.csv", b"kode_wilayah,tahun,jumlah,sumber\n51.04,2024,xx,BPS\n", "text/csv"
    )
    response = admin_client.post("/target/51.04/unggah/", {"file": upload, "kind": ""})
    assert response.status_code == 422
    assert "count_invalid" in response.content.decode()
    template = admin_client.get("/target/contoh/targets.xlsx")
    assert template.status_code == 200 and template.content.startswith(b"PK")


def test_split_from_the_page(admin_client, regency_admin):
    target = gianyar_target(regency_admin)
    response = admin_client.post(f"/target/bagi/{target.pk}/", {"level": "4", "method": "equal"})
    assert response.status_code == 302
    assert Target.objects.filter(parent=target).count() == 64


def test_the_figures_page_is_for_managers_in_scope(make_user):
    viewer = make_user("bupati", Role.VIEWER, "51.04")
    other = make_user("disnaker.jembrana", Role.REGENCY_ADMIN, "51.01")
    for user, expected in ((viewer, 403), (other, 404)):
        client = Client()
        client.force_login(user)
        assert client.get("/target/51.04/").status_code == expected
