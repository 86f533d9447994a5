"""A BumDes agent, on a phone (390 px wide), collects three months from a worker whose
sponsored cover has ended, and downloads the receipt."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from lindung.programs import clock
from lindung.programs.lifecycle import State
from tests.agents.conftest import build_gianyar, make_enrollment, sponsored_program
from tests.factories import PASSWORD
from tests.programs.conftest import BATUBULAN, make_person

AS_OF = dt.date(2026, 12, 15)
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def gianyar(bali_regions):
    return build_gianyar()


@pytest.fixture
def program(bali_regions):
    return sponsored_program()


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_agent_collects_three_months_and_downloads_the_receipt(
    login, page, gianyar, program, monkeypatch
):
    monkeypatch.setattr(clock, "today", lambda: AS_OF)
    agent = gianyar[1]["batubulan"]
    agent.user.set_password(PASSWORD)
    agent.user.save()
    worker = make_person(BATUBULAN, name="Ni Luh Sari")
    enrollment = make_enrollment(
        program, worker, state=State.ENDED, coverage_end=dt.date(2026, 11, 30)
    )
    page.set_viewport_size(PHONE)

    login(agent.user)
    page.get_by_role("link", name="Iuran mandiri", exact=True).first.click()
    assert no_horizontal_scroll(page)
    page.get_by_label("NIK pekerja").fill(worker.nik)
    # November is still the sponsor's: refused and explained, nothing written.
    page.get_by_role("checkbox", name="11/2026").check()
    page.get_by_role("button", name="Simpan dan buat kuitansi").click()
    expect(page.get_by_role("alert")).to_contain_text("masih dibiayai program sponsor")

    page.get_by_role("checkbox", name="11/2026").uncheck()
    for month in ("12/2026", "01/2027", "02/2027"):
        page.get_by_role("checkbox", name=month).check()
    page.get_by_label("Cara bayar").select_option("qris")
    page.get_by_role("button", name="Simpan dan buat kuitansi").click()
    receipt = page.locator("#receipt")
    expect(receipt).to_contain_text("Ni Luh Sari")
    expect(page.locator("#receipt-total")).to_have_text("Rp 42.000")  # 8.400 + 2 × 16.800
    expect(receipt).to_contain_text("Empat puluh dua ribu rupiah")
    assert no_horizontal_scroll(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh PDF (layar HP)").click()
    assert download.value.suggested_filename.endswith("-phone.pdf")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    enrollment.refresh_from_db()
    assert enrollment.state == State.CONTINUED
