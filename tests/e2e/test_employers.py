"""A Disnaker officer works the outreach list: work list → employer → record a visit → the
follow-up appears on the employer's page and moves the employer on the work list."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from playwright.sync_api import expect

from lindung.accounts.models import Role
from lindung.employers import services
from lindung.programs import clock
from tests.employers.conftest import employer_data

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def employers(bali_regions, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    # A flushed database has lost what migrations seeded: the size and compliance rule.
    importlib.import_module("lindung.employers.migrations.0002_seed_compliance_rule").seed(
        apps, None
    )
    big = services.create_employer(
        user=None,
        data=employer_data(
            name="PT Tuna Sukawati",
            total_workers="60",
            workers_male="",
            workers_female="",
            registered_workers="10",
        ),
        today=TODAY,
    )
    small = services.create_employer(
        user=None,
        data=employer_data(
            name="Warung Men Sari",
            nib="",
            sector="I",
            total_workers="3",
            workers_male="",
            workers_female="",
            registered_workers="0",
            npp="",
            programs="",
        ),
        today=TODAY,
    )
    return big, small


def test_officer_records_a_visit_and_the_follow_up_appears(login, page, employers, make_user):
    officer = make_user("disnaker.gianyar", Role.REGENCY_ADMIN, "51.04")
    login(officer)
    page.get_by_role("link", name="Pemberi kerja", exact=True).click()
    page.get_by_role("link", name="Daftar kerja penjangkauan").first.click()
    items = page.locator(".work-item")
    expect(items.first).to_contain_text("PT Tuna Sukawati")  # most uncovered first
    expect(items.first).to_contain_text("50 dari 60 pekerja belum terdaftar")

    page.get_by_role("link", name="Warung Men Sari").click()
    expect(page.locator("#compliance")).to_have_text("Belum terdaftar")
    page.get_by_role("link", name="Catat tindakan").click()
    page.get_by_label("Jenis tindakan").select_option("visit")
    page.get_by_label("Tanggal", exact=True).fill("25/11/2026")
    page.get_by_label("Hasil").select_option("promised")
    page.get_by_label("Tindak lanjut berikutnya").fill("20/11/2026")
    page.get_by_role("button", name="Simpan tindakan").click()
    expect(page.locator(".field-error")).to_contain_text("tidak boleh sebelum tanggal tindakan")

    page.get_by_label("Tindak lanjut berikutnya").fill("02/12/2026")
    page.get_by_label("Catatan").fill("Pemilik berjanji mendaftar setelah gajian")
    page.get_by_role("button", name="Simpan tindakan").click()
    expect(page.locator("#next-follow-up")).to_have_text("02/12/2026")
    expect(page.locator("#actions")).to_contain_text("Kunjungan")
    expect(page.locator("#actions")).to_contain_text("Pemilik berjanji mendaftar")

    # A week later the follow-up is due: the warung moves to the top of the work list.
    clock.today = lambda: dt.date(2026, 12, 3)
    page.goto(page.url.split("/pemberi-kerja/")[0] + "/pemberi-kerja/daftar-kerja/")
    expect(items.first).to_contain_text("Warung Men Sari")
    expect(items.first).to_contain_text("Tindak lanjut jatuh tempo 02/12/2026")
