"""A BumDes agent, on a phone (390 px wide), works the continuation list and records a contact."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from lindung.programs import clock
from lindung.programs.lifecycle import State
from tests.agents.conftest import build_gianyar, make_enrollment, sponsored_program
from tests.factories import PASSWORD
from tests.programs.conftest import BATUBULAN, KETEWEL, make_person

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


def test_agent_records_a_contact_on_a_phone(login, page, gianyar, program, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: AS_OF)
    agent = gianyar[1]["batubulan"]
    agent.user.set_password(PASSWORD)
    agent.user.save()
    worker = make_person(BATUBULAN, name="Ni Luh Sari")
    worker.phone = "081337001122"
    worker.save()
    make_enrollment(program, worker, state=State.ENDED, coverage_end=dt.date(2026, 11, 30))
    page.set_viewport_size(PHONE)

    login(agent.user)
    page.get_by_role("link", name="Daftar kerja", exact=True).click()
    item = page.locator(".work-item", has_text="Ni Luh Sari")
    expect(item).to_contain_text("081337001122")
    expect(item).to_contain_text("30/11/2026")
    expect(item).to_contain_text("4 bulan lagi untuk lanjut (s.d. 31/03/2027)")
    assert no_horizontal_scroll(page)

    item.get_by_role("link", name="Catat kontak").click()
    assert no_horizontal_scroll(page)
    page.get_by_role("radio", name="Menolak").check()
    page.get_by_role("button", name="Simpan kontak").click()
    expect(page.get_by_role("alert")).to_contain_text("Alasan menolak wajib diisi")

    page.get_by_role("radio", name="Akan lanjut iuran mandiri").check()
    page.get_by_label("Tanggal", exact=True).fill("14/12/2026")
    page.get_by_label("Catatan", exact=True).fill("Bayar lewat BumDes awal Januari")
    page.get_by_role("button", name="Simpan kontak").click()
    expect(page.locator(".messages")).to_contain_text("Kontak dengan Ni Luh Sari dicatat")
    expect(item).to_contain_text("Akan lanjut iuran mandiri 14/12/2026")
    assert no_horizontal_scroll(page)


@pytest.mark.browser_context_args(java_script_enabled=False, viewport=PHONE)
def test_work_list_pages_by_links_without_javascript(
    login, page, live_server, gianyar, program, regency_admin, monkeypatch
):
    """120 ended in Batubulan and 5 in Ketewel: the regency admin filters Batubulan and walks
    the pages by their links (no script), the filter kept; every worker shown once."""
    monkeypatch.setattr(clock, "today", lambda: AS_OF)
    for i in range(120):
        person = make_person(BATUBULAN, name=f"Pekerja Batubulan {i:03d}")
        end = dt.date(2026, 11, 30) if i % 2 else dt.date(2026, 9, 30)
        make_enrollment(program, person, state=State.ENDED, coverage_end=end)
    for i in range(5):
        person = make_person(KETEWEL, name=f"Pekerja Ketewel {i}")
        make_enrollment(program, person, state=State.ENDED, coverage_end=dt.date(2026, 11, 30))
    login(regency_admin)
    page.goto(f"{live_server.url}/agen/daftar-kerja/")
    expect(page.locator("body")).to_contain_text("125 pekerja")
    page.locator("select[name=village]").select_option(BATUBULAN)
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator("body")).to_contain_text("120 pekerja")

    def names() -> list[str]:
        return page.locator(".work-item .work-name strong").all_inner_texts()

    seen = names()
    expect(page.locator(".pagination")).to_contain_text("Halaman 1 dari 3")
    assert no_horizontal_scroll(page)
    page.get_by_role("link", name="Berikutnya").click()
    expect(page.locator(".pagination")).to_contain_text("Halaman 2 dari 3")
    expect(page.locator("body")).to_contain_text("dihitung pukul")
    second = names()
    page.get_by_role("link", name="Berikutnya").click()
    expect(page.locator(".pagination")).to_contain_text("Halaman 3 dari 3")
    seen += second + names()
    assert len(seen) == len(set(seen)) == 120
    assert all("Batubulan" in name for name in seen)
    assert page.get_by_role("link", name="Berikutnya").count() == 0
    page.get_by_role("link", name="Sebelumnya").click()
    expect(page.locator(".pagination")).to_contain_text("Halaman 2 dari 3")
    assert names() == second
    page.get_by_role("link", name="Terakhir").click()
    expect(page.locator(".pagination")).to_contain_text("Halaman 3 dari 3")
    assert len(names()) == 20
    page.get_by_role("link", name="Pertama").click()
    expect(page.locator(".pagination")).to_contain_text("Halaman 1 dari 3")
    assert names() == seen[:50]
    assert no_horizontal_scroll(page)
