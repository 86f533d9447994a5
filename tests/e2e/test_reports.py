"""The reports page in a browser: the manpower office shows its Inpres 2/2021 report for a
half-year and downloads it as XLSX and as PDF with its letterhead."""

import datetime as dt
import subprocess

import fastexcel
import pytest
from playwright.sync_api import expect

from lindung.accounts.models import Role

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def gianyar(monkeypatch):
    """A Gianyar program of 2026, two workers, September billed and paid, a death paid."""
    from lindung.billing import run as billing
    from lindung.billing.models import Bill
    from lindung.billing.services import record_payment
    from lindung.claims import services as claims
    from lindung.claims.defaults import ensure_default_benefit_rules
    from lindung.claims.models import Claim, Status
    from lindung.contributions.defaults import ensure_default_rates
    from lindung.programs import clock
    from lindung.programs.models import Program
    from lindung.programs.services import create_program
    from tests.claims.conftest import covered
    from tests.programs.conftest import program_data

    monkeypatch.setattr(clock, "today", lambda: TODAY)
    ensure_default_rates()  # the flushed database has lost the migrations' rows
    ensure_default_benefit_rules()
    program = create_program(user=None, data=program_data(
        name="Pekerja Rentan Gianyar 2026", year=2026, rounds="04/2026"))  # fmt: skip
    Program.objects.filter(pk=program.pk).update(committed=2 * 6 * 16_800)
    covered(program, coverage_end=dt.date(2026, 12, 31))
    dead = covered(program)
    billing.execute(program=program, month=dt.date(2026, 9, 1), today=TODAY)
    bill = Bill.objects.get(program=program)
    record_payment(user=None, bill=bill, paid_on="2026-10-15", amount=bill.amount,
                   reference="SP2D 1", today=TODAY)  # fmt: skip
    claim = claims.report(user=None, data={
        "nik": dead.person.nik, "kind": "death", "event_date": "2026-08-20",
        "reporter_name": "Kadek", "heir_name": "Ni Luh", "heir_relation": "spouse",
        "heir_phone": "0812"}, today=TODAY)  # fmt: skip
    Claim.objects.filter(pk=claim.pk).update(
        status=Status.PAID, amount_paid=42_000_000, paid_on=dt.date(2026, 10, 5)
    )
    return program


def test_show_the_half_year_report_and_download_xlsx_and_pdf(
    login, make_user, live_server, gianyar, tmp_path
):
    admin = make_user("disnaker.gianyar", Role.REGENCY_ADMIN, "51.04")
    page = login(admin)
    page.goto(f"{live_server.url}/laporan/")
    form = page.locator("#report-form")
    form.get_by_label("Wilayah (kode provinsi atau kabupaten)").fill("51.04")
    form.locator("input[name=half]").fill("2026-2")
    form.get_by_label("Instansi").fill("Pemerintah Kabupaten Gianyar - Dinas Tenaga Kerja")
    form.get_by_label("Nama penandatangan").fill("I Made Wirawan")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator("#title")).to_have_text(
        "Laporan pelaksanaan Inpres 2/2021 Kab. Gianyar, semester II 2026"
    )
    expect(page.locator("#section-manfaat")).to_contain_text("Rp 42.000.000")
    expect(page.locator("#section-anggaran")).to_contain_text("APBD")
    # A source without data says so, not 0: Gianyar has no agent and no employer yet.
    expect(page.locator("#section-agen")).to_contain_text("tidak tersedia: belum ada agen")

    with page.expect_download() as xlsx:
        page.get_by_role("button", name="Unduh XLSX").click()
    assert xlsx.value.suggested_filename == "inpres-2-2021-51.04-2026-2.xlsx"
    path = tmp_path / "inpres.xlsx"
    xlsx.value.save_as(path)
    reader = fastexcel.read_excel(path.read_bytes())
    cells = {
        str(value)
        for index in range(len(reader.sheet_names))
        for row in reader.load_sheet(index, header_row=None).to_polars().rows()
        for value in row
        if value is not None
    }
    assert any("Manfaat dibayar" in cell for cell in cells)

    with page.expect_download() as pdf:
        page.get_by_role("button", name="Unduh PDF").click()
    assert pdf.value.suggested_filename == "inpres-2-2021-51.04-2026-2.pdf"
    path = tmp_path / "inpres.pdf"
    pdf.value.save_as(path)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert "PEMERINTAH KABUPATEN GIANYAR - DINAS TENAGA KERJA" in text  # the letterhead
    assert "I Made Wirawan" in text
    assert "42.000.000" in text
