"""The dashboard pages show the hand-built Gianyar's numbers, the same as the API."""

import io
import re
import zipfile

import fastexcel
import pytest
from django.test import Client

from lindung.accounts.models import Role
from lindung.targets.models import Target

pytestmark = pytest.mark.django_db
DAY = "2024-07-25"


@pytest.fixture
def client_for():
    def sign_in(user):
        client = Client()
        client.force_login(user)
        return client

    return sign_in


def read_xlsx(content: bytes) -> dict[str, list[tuple]]:
    reader = fastexcel.read_excel(content)
    return {
        name: reader.load_sheet(index, header_row=None).to_polars().rows()
        for index, name in enumerate(reader.sheet_names)
    }


def text_of(html: str, ident: str) -> str:
    match = re.search(rf'id="{ident}"[^>]*>(.*?)</', html, re.S)
    assert match, ident
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def test_regency_dashboard_shows_the_numbers_of_the_api(gianyar, viewer, client_for):
    client = client_for(viewer)
    page = client.get(f"/dasbor/51.04/?tanggal={DAY}")
    assert page.status_code == 200
    html = page.content.decode()
    api = client.get(f"/api/v1/indicators?region=51.04&date={DAY}").json()
    assert text_of(html, "kpi-covered") == "103" == str(api["covered"])
    assert text_of(html, "kpi-rate") == "10,30%"
    assert api["coverage_rate"] == 10.3
    assert text_of(html, "kpi-started") == "4" == str(api["sponsored_in_year"])
    assert "Penduduk bekerja (BPS, Sakernas) 2024" in html and "BPS Sakernas (uji)" in html
    assert "20.60% bila dibagi" in html or "20,60% bila dibagi" in html
    # Charts are inline SVG, each with a table of its numbers under it.
    assert html.count("<svg") >= 7
    for key in ("target", "tren", "kategori", "pekerjaan", "jenis_kelamin", "kecamatan"):
        assert f'id="tabel-{key}"' in html
    assert 'href="/dasbor/51.04.01/?tanggal=2024-07-25"' in html
    # The regency's villages come after the page (htmx), or on it when asked (no JavaScript).
    assert 'id="tabel-desa"' not in html
    assert 'hx-get="/dasbor/51.04/desa/?tanggal=2024-07-25"' in html
    for fragment in (
        client.get(f"/dasbor/51.04/desa/?tanggal={DAY}").content.decode(),
        client.get(f"/dasbor/51.04/?tanggal={DAY}&desa=semua").content.decode(),
    ):
        assert 'id="tabel-desa"' in fragment
        # The villages with data and a drill-down link each, with their district.
        assert 'href="/dasbor/51.04.01.2001/?tanggal=2024-07-25"' in fragment
        assert "<td>Kec. Sukawati</td>" in fragment


def test_the_village_table_is_ranked_and_scoped(gianyar, viewer, make_user, client_for):
    for village, count in (("51.04.01.2002", 1), ("51.04.01.2001", 100)):
        Target.objects.create(
            region_id=village, year=2024, segment="total", metric="sponsored", value=count
        )
    html = client_for(viewer).get(f"/dasbor/51.04/desa/?tanggal={DAY}").content.decode()
    rows = html.split("<tbody>")[1].split("</tr>")[:-1]
    assert len(rows) == 70  # 64 desa and 6 kelurahan
    # Furthest from the target first (Batubulan: 2 of 100), then Ketewel (1 of 1, reached),
    # then the villages without a target.
    assert "Desa Batubulan" in rows[0] and "rag-red" in rows[0]
    assert "Desa Ketewel" in rows[1] and "rag-green" in rows[1]
    assert "rag-none" in rows[2]
    # A district's page lists its villages on the page itself; its fragment works too.
    assert 'id="tabel-desa"' in client_for(viewer).get("/dasbor/51.04.01/").content.decode()
    assert client_for(viewer).get("/dasbor/51.04.01/desa/").status_code == 200
    # A date that cannot be read is said in the table itself, which shows today.
    fragment = client_for(viewer).get("/dasbor/51.04/desa/?tanggal=31/02/2024")
    assert fragment.status_code == 200
    assert "Tanggal &#x27;31/02/2024&#x27; tidak dikenali" in fragment.content.decode()
    assert 'id="tabel-desa"' in fragment.content.decode()
    # Only regencies and districts have one; outside the user's region nothing exists.
    assert client_for(viewer).get("/dasbor/51.04.01.2001/desa/").status_code == 404
    operator = make_user("op.ketewel.desa", Role.VILLAGE_OPERATOR, "51.04.01.2002")
    assert client_for(operator).get("/dasbor/51.04/desa/").status_code == 404


def test_a_region_without_workforce_says_so(gianyar, viewer, client_for):
    html = client_for(viewer).get(f"/dasbor/51.04.01/?tanggal={DAY}").content.decode()
    assert "Belum ada angka angkatan kerja untuk wilayah ini" in html
    assert text_of(html, "kpi-rate") == "–"


def test_village_dashboard(gianyar, viewer, client_for):
    page = client_for(viewer).get(f"/dasbor/51.04.01.2001/?tanggal={DAY}")
    assert page.status_code == 200
    assert text_of(page.content.decode(), "kpi-covered") == "2"


def test_out_of_scope_regions_do_not_exist(gianyar, make_user, client_for):
    operator = make_user("op.ketewel", Role.VILLAGE_OPERATOR, "51.04.01.2002")
    client = client_for(operator)
    assert client.get("/dasbor/51.04.01.2002/").status_code == 200
    assert client.get("/dasbor/51.04.01.2001/").status_code == 404
    assert client.get("/dasbor/51.04/").status_code == 404
    assert client.get("/dasbor/indonesia/").status_code == 404
    assert client.get("/api/v1/indicators?region=51.04").status_code == 404
    # The default is the user's own region.
    assert client.get("/dasbor/").url == "/dasbor/51.04.01.2002/"


def test_province_page_compares_regencies(gianyar, make_user, client_for):
    province = make_user("pemprov", Role.VIEWER, "51")
    html = client_for(province).get(f"/dasbor/51/?tanggal={DAY}").content.decode()
    assert 'id="tabel-wilayah"' in html
    assert "Kab. Gianyar" in html and "Kab. Jembrana" in html


def test_country_page_for_system_admin(gianyar, system_admin, client_for):
    page = client_for(system_admin).get(f"/dasbor/indonesia/?tanggal={DAY}")
    assert page.status_code == 200
    assert "Bali" in page.content.decode()


def test_xlsx_export_of_one_table_and_of_all(gianyar, viewer, client_for):
    client = client_for(viewer)
    one = client.get(f"/dasbor/51.04/xlsx/?tanggal={DAY}&tabel=desa")
    assert one.status_code == 200
    sheets = read_xlsx(one.content)
    assert len(sheets) == 1
    (rows,) = sheets.values()
    header = next(i for i, row in enumerate(rows) if row[0] == "Wilayah")
    assert rows[header][:3] == ("Wilayah", "Kecamatan", "Terlindungi")
    data = rows[header + 1 :]
    assert len(data) == 70
    covered = {row[0]: row[2] for row in data}
    assert covered["Desa Batubulan"] == "2" and covered["Desa Ketewel"] == "1"
    # Counts are number cells (no string type), so a spreadsheet can sum them.
    sheet_xml = zipfile.ZipFile(io.BytesIO(one.content)).read("xl/worksheets/sheet1.xml")
    assert re.search(rb'<c r="C\d+" s="\d+"><v>2</v></c>', sheet_xml)
    everything = read_xlsx(client.get(f"/dasbor/51.04/xlsx/?tanggal={DAY}").content)
    assert len(everything) >= 12
    assert client.get("/dasbor/51.04/xlsx/?tabel=nothing").status_code == 404


def test_pdf_report(gianyar, viewer, client_for):
    response = client_for(viewer).get(f"/dasbor/51.04/laporan.pdf?tanggal={DAY}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_a_bad_date_falls_back_to_today_with_a_message(gianyar, viewer, client_for):
    page = client_for(viewer).get("/dasbor/51.04/?tanggal=31/02/2024")
    assert page.status_code == 200
    assert "tidak dikenali" in page.content.decode()


def test_dashboard_in_english(gianyar, viewer, client_for):
    """English is the second language (needs the compiled catalogues: `make messages`)."""
    from django.utils import translation

    client = client_for(viewer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    with translation.override("en"):
        html = client.get(f"/dasbor/51.04/?tanggal={DAY}").content.decode()
    assert "Employment social security coverage — Kab. Gianyar" in html
    assert "workers covered" in html and "Villages, furthest from their target first" in html
    assert "Download this table (XLSX)" in html and "Unduh tabel ini" not in html
