"""The Bupati opens the regency dashboard, drills down to a village, downloads a table;
and the dashboard fits a phone's width."""

import datetime as dt
import re

import fastexcel
from django.utils import timezone
from playwright.sync_api import expect

from lindung.accounts.models import Role
from lindung.coverage import summary
from lindung.demo.boundaries import load_demo_boundaries
from lindung.targets.models import Target, WorkforceFigure
from tests.coverage.builders import (
    BATUBULAN,
    KETEWEL,
    enroll,
    make_person,
    make_program,
    sponsored_path,
)

D = dt.date
DAY = "2024-07-25"


def small_gianyar():
    program = make_program()
    for village, sex in ((BATUBULAN, "L"), (BATUBULAN, "P"), (KETEWEL, "P")):
        enroll(
            make_person(village, sex=sex, occupation=None),
            program,
            sponsored_path(D(2024, 1, 2), D(2024, 7, 1)),
        )
    WorkforceFigure.objects.create(
        region_id="51.04", year=2024, segment="total", definition="penduduk_bekerja",
        count=300, source="BPS (uji)",
    )  # fmt: skip
    Target.objects.create(region_id="51.04", year=2024, segment="total", metric="rate", value=4000)
    summary.refresh()


def test_regency_dashboard_drill_down_and_download(login, make_user, live_server, tmp_path):
    small_gianyar()
    page = login(make_user("bupati", Role.VIEWER, "51.04"))
    page.get_by_role("link", name="Dasbor", exact=True).click()
    expect(page.locator("h1")).to_contain_text("Kab. Gianyar")
    page.get_by_label("Keadaan per tanggal").fill("25/07/2024")  # typed as DD/MM/YYYY
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator("#kpi-covered")).to_have_text("3")
    expect(page.locator("#kpi-rate")).to_have_text("1,00%")  # 3 of 300
    expect(page.locator("#tabel-desa tbody tr").first).to_contain_text("Desa")

    page.locator("#tabel-kecamatan").get_by_role("link", name="Kec. Sukawati", exact=True).click()
    expect(page.locator("h1")).to_contain_text("Kec. Sukawati")
    expect(page.locator("#kpi-covered")).to_have_text("3")
    page.locator("#tabel-desa").get_by_role("link", name="Desa Batubulan", exact=True).click()
    expect(page.locator("h1")).to_contain_text("Desa Batubulan")
    expect(page.locator("#kpi-covered")).to_have_text("2")
    assert page.url.endswith(f"/dasbor/{BATUBULAN}/?tanggal={DAY}")

    with page.expect_download() as info:
        page.locator("#xlsx-jenis_kelamin").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.name.endswith("-jenis_kelamin.xlsx")
    rows = fastexcel.read_excel(path.read_bytes()).load_sheet(0, header_row=None).to_polars().rows()
    table = {r[0]: r[1] for r in rows if r[0] in ("Laki-laki", "Perempuan")}
    assert table == {"Laki-laki": "1", "Perempuan": "1"}

    # The browser is set to English; the page turns English only when the user asks.
    page.get_by_role("button", name="EN", exact=True).click()
    expect(page.locator("h1")).to_contain_text("Employment social security coverage")
    assert page.url.endswith(f"/dasbor/{BATUBULAN}/?tanggal={DAY}")
    page.get_by_role("button", name="ID", exact=True).click()
    expect(page.locator("h1")).to_contain_text("Cakupan jaminan sosial ketenagakerjaan")


def test_dashboard_fits_a_phone(login, make_user, live_server, tmp_path):
    small_gianyar()
    page = login(make_user("bupati", Role.VIEWER, "51.04"))
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(f"{live_server.url}/dasbor/51.04/?tanggal={DAY}")
    expect(page.locator("#kpi-covered")).to_have_text("3")
    shot = tmp_path / "dasbor-gianyar-360.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    overflow = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert overflow[0] <= overflow[1], overflow
    # Charts scale to the width of the phone.
    widths = page.evaluate(
        "[...document.querySelectorAll('svg.chart')].map(s => s.getBoundingClientRect().right)"
    )
    assert widths and max(widths) <= 360


def test_dashboard_opens_on_data_with_the_map(login, make_user, live_server):
    small_gianyar()
    load_demo_boundaries(("51.04",))
    page = login(make_user("bupati", Role.VIEWER, "51.04"))
    page.goto(f"{live_server.url}/dasbor/51.04/")
    # Not today's empty date: the last day with covered workers, said so.
    expect(page.locator("#dibuka-pada")).to_contain_text("tanggal terakhir")
    expect(page.locator("#kpi-covered")).to_have_text("3")
    expect(page.locator("#kpi-rate")).to_have_text("1,00%")
    expect(page.locator("#target-tahun")).to_contain_text("Target tahun 2024")
    # The districts' map in the page, the villages' map with their table (htmx).
    districts = page.locator("#peta-kecamatan svg.peta")
    expect(districts).to_be_visible()
    expect(districts.locator("path")).to_have_count(7)
    expect(page.locator("#peta-desa svg.peta path")).to_have_count(70)
    expect(page.locator("#peta-desa svg.peta")).to_contain_text("target")  # the legend
    # The verification funnel of the year's program, fetched once the page is shown.
    funnel = page.locator("#panel-corong")
    expect(funnel.locator("svg")).to_be_visible()
    expect(funnel.locator("#tabel-corong_verifikasi tbody tr")).to_have_count(1)
    expect(funnel.locator("#tabel-corong_verifikasi")).to_contain_text("Gianyar")
    title = districts.locator('a[data-kode="51.04.01"] title')
    expect(title).to_have_text(re.compile(r"^Kec\. Sukawati: "))
    # A region of the map opens its own dashboard, at the same date.
    districts.locator('a[data-kode="51.04.01"] path').click()
    expect(page.locator("h1")).to_contain_text("Kec. Sukawati")
    expect(page.locator("#peta-desa svg.peta path")).to_have_count(
        page.locator("#tabel-desa tbody tr").count()
    )


def test_dates_are_the_regencys_day(login, make_user, live_server, monkeypatch):
    """A proposal made at 23:30 WITA, one at 07:30 WITA (23:30 UTC the day before): both
    show that day; the dashboard's today is WITA's today."""
    program = make_program(year=2026, starts=(D(2026, 7, 1),))
    late = enroll(make_person(BATUBULAN), program, [("proposed", D(2026, 12, 5))])
    early = enroll(make_person(BATUBULAN), program, [("proposed", D(2026, 12, 5))])
    moments = {
        late.pk: dt.datetime(2026, 12, 5, 15, 30, tzinfo=dt.UTC),
        early.pk: dt.datetime(2026, 12, 4, 23, 30, tzinfo=dt.UTC),
    }
    for pk, at in moments.items():
        type(late).objects.filter(pk=pk).update(proposed_at=at)
    page = login(make_user("disnaker.gianyar", Role.REGENCY_ADMIN, "51.04"))
    page.goto(f"{live_server.url}/program/{program.pk}/verifikasi/")
    expect(page.get_by_role("cell", name="05/12/2026", exact=True)).to_have_count(2)
    expect(page.get_by_text("04/12/2026")).to_have_count(0)
    # 07:30 WITA on 5 December is still the 4th in UTC: the dashboard's today is the 5th.
    monkeypatch.setattr(timezone, "now", lambda: moments[early.pk])
    page.goto(f"{live_server.url}/dasbor/51.04/")
    expect(page.get_by_label("Keadaan per tanggal")).to_have_value("05/12/2026")
