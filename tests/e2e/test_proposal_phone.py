"""The proposal page on a phone (390 px): the quota counter and the submit button stay on the
screen while the operator scrolls the registry, the boxes are touch-sized, and "tick the
eligible" stops at the places left."""

import pytest
from playwright.sync_api import expect

from lindung.accounts.models import Role
from lindung.people.categories import Category
from lindung.programs import clock, services
from lindung.programs.models import Enrollment
from tests.factories import TODAY
from tests.programs.conftest import BATUBULAN, bpu_rates, make_person, program_data  # noqa: F401

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def program(bali_regions, bpu_rates, monkeypatch):  # noqa: F811
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    program = services.create_program(
        user=None, data=program_data(eligible_categories=[Category.PEKERJA_RENTAN])
    )
    services.set_village_quota(user=None, program=program, village_code=BATUBULAN, quota=5)
    return program


def in_view(page, selector: str) -> bool:
    return page.evaluate(
        """sel => { const r = document.querySelector(sel).getBoundingClientRect();
                    return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0; }""",
        selector,
    )


def test_counter_and_submit_stay_in_view_on_a_phone(login, make_user, program, live_server):
    operator = make_user("op.batubulan", Role.VILLAGE_OPERATOR, BATUBULAN)
    for i in range(40):
        make_person(name=f"Pekerja Rentan {i:02}")
    make_person(name="Kader Desa", category=Category.KADER_DESA)
    page = login(operator)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/program/{program.pk}/usulan/")

    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    for y in (0, 1500, 3000, 100_000):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(100)
        assert in_view(page, "#quota-counter"), y
        assert in_view(page, "#submit-proposals"), y
    box = page.get_by_label("Pekerja Rentan 00").bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24

    # Tick the eligible: five places, so five boxes, and the counter says so.
    page.get_by_role("button", name="Centang yang memenuhi syarat").click()
    expect(page.locator("#quota-counter")).to_contain_text("5 dicentang")
    assert page.locator("#registry input[name=person]:checked").count() == 5
    assert not page.get_by_role("checkbox", name="Kader Desa").is_checked()
    page.get_by_role("button", name="Usulkan yang dicentang").click()
    expect(page.locator(".messages")).to_contain_text("5 pekerja diusulkan")
    assert Enrollment.objects.filter(state="proposed").count() == 5
    expect(page.get_by_test_id("quota-left")).to_have_text("0")

    # Filters: the category narrows the list; nothing left to tick once the quota is full.
    page.locator("select[name=category]").select_option(Category.KADER_DESA)
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator("#registry tbody tr")).to_have_count(1)
    page.get_by_role("button", name="Centang yang memenuhi syarat").click()
    assert page.locator("#registry input[name=person]:checked").count() == 0
