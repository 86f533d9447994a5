"""The strict Content-Security-Policy breaks nothing: a real browser reports no blocked
script, style or eval on the main pages, and what moved out of inline attributes (bars,
select-all boxes, the region picker) still works."""

import pytest
from playwright.sync_api import expect

from lindung.accounts.models import Role
from tests.programs.conftest import BATUBULAN, make_person, program_data


@pytest.fixture
def violations(page):
    found = []
    page.on("console", lambda m: "Content Security Policy" in m.text and found.append(m.text))
    page.on("pageerror", lambda e: found.append(str(e)))
    return found


def test_pages_run_under_the_policy(live_server, login, make_user, violations):
    from lindung.programs.services import create_program

    program = create_program(user=None, data=program_data(name="Program Uji CSP"))
    make_person(BATUBULAN)
    admin = make_user("disnaker.csp", Role.REGENCY_ADMIN, "51.04")
    page = login(admin)
    for path in ("/", "/pekerja/", "/program/", f"/program/{program.pk}/", "/tagihan/",
                 "/pengguna/", "/pengguna/baru/", "/pengguna/token/", "/impor/", "/ekspor/",
                 "/api/v1/docs"):  # fmt: skip
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    assert violations == []
    page.goto(f"{live_server.url}/program/")
    bar = page.locator("[data-bar]").first
    expect(bar).to_have_attribute("style", "width: 0%;")
    # The region picker (htmx, no evaluated code) narrows to the next level.
    page.goto(f"{live_server.url}/pengguna/baru/")
    levels = page.locator("select[data-level]").count()
    page.locator("select[data-level]:not([disabled])").first.select_option(index=1)
    expect(page.locator("select[data-level]")).to_have_count(levels + 1)
    assert violations == []
