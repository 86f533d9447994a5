"""Each role signs in and its first page lists the work waiting for it, with links that
open the page where the work is done."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from lindung.accounts.models import Role
from lindung.programs import clock
from lindung.programs.lifecycle import State
from tests.agents.conftest import build_gianyar, make_enrollment
from tests.factories import PASSWORD
from tests.programs.conftest import BATUBULAN, make_person, program_data
from tests.web.test_home import TODAY, build_world


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def waiting(page, kind: str):
    return page.locator(f'.waiting-list li[data-kind="{kind}"]')


def test_admin_operator_and_viewer_first_pages(login, make_user, page, live_server, bali_regions):
    admin = make_user("disnaker.gianyar", Role.REGENCY_ADMIN, "51.04")
    operator = make_user("op.batubulan", Role.VILLAGE_OPERATOR, BATUBULAN)
    make_user("bupati", Role.VIEWER, "51.04")
    program, _ = build_world(admin)

    login(admin)
    expect(page.get_by_role("heading", name="Pekerjaan menunggu")).to_be_visible()
    expect(waiting(page, "to_verify")).to_contain_text("2 Usulan menunggu verifikasi")
    expect(waiting(page, "to_submit")).to_contain_text("1 Terverifikasi, belum diajukan")
    expect(waiting(page, "bills_to_run")).to_contain_text("5 Bulan tagihan belum dijalankan")
    expect(waiting(page, "bills_unpaid")).to_contain_text("sisa Rp 33.600")
    expect(waiting(page, "budget_at_risk")).to_contain_text("84% dari pagu")
    expect(waiting(page, "import_rejected")).to_contain_text("3 Baris ditolak")
    expect(waiting(page, "expiring")).to_contain_text("2 Pekerja")
    waiting(page, "to_verify").get_by_role("link").click()
    page.wait_for_url(f"{live_server.url}/program/{program.pk}/verifikasi/")

    page.context.clear_cookies()
    login(operator)
    expect(waiting(page, "quota_left")).to_contain_text("100 Sisa kuota putaran 2")
    expect(waiting(page, "proposals_refused")).to_contain_text("1 Usulan ditolak")
    expect(waiting(page, "expiring")).to_contain_text("1 Pekerja")
    expect(waiting(page, "to_verify")).to_have_count(0)
    waiting(page, "quota_left").get_by_role("link").click()
    page.wait_for_url(f"{live_server.url}/program/{program.pk}/usulan/?round=2")

    page.context.clear_cookies()
    from lindung.accounts.models import User

    login(User.objects.get(username="bupati"))
    expect(page.get_by_test_id("headline")).to_contain_text("2")
    expect(page.get_by_test_id("headline")).to_contain_text("pekerja terlindungi")
    expect(page.locator(".waiting-list")).to_have_count(0)
    page.get_by_role("link", name="Buka dasbor").click()
    page.wait_for_url(f"{live_server.url}/dasbor/51.04/**")


def test_agent_first_page(login, page, live_server, bali_regions):
    from lindung.programs.services import create_program

    _orgs, agents = build_gianyar()
    program = create_program(user=None, data=program_data(rounds="01/2027", year=2027))
    make_enrollment(program, make_person(BATUBULAN), state=State.ACTIVE,
                    coverage_end=dt.date(2027, 6, 30))  # fmt: skip
    make_enrollment(program, make_person(BATUBULAN), state=State.ENDED,
                    coverage_end=dt.date(2027, 5, 31))  # fmt: skip
    user = agents["batubulan"].user
    user.set_password(PASSWORD)
    user.save()

    login(user)
    expect(waiting(page, "work_ending")).to_contain_text("1 Masa sponsor berakhir dalam 30 hari")
    expect(waiting(page, "work_ended")).to_contain_text("1 Masa sponsor sudah berakhir")
    expect(waiting(page, "collections_month")).to_contain_text("0 Iuran mandiri diterima")
    waiting(page, "work_ended").get_by_role("link").click()
    page.wait_for_url(f"{live_server.url}/agen/daftar-kerja/")
