"""Browser tests: Playwright drives Debian's chromium against Django's live server."""

import os

import pytest

from tests.factories import PASSWORD

CHROMIUM = os.environ.get("LINDUNG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A browser set to English, as many office computers are: the pages stay Indonesian
    # until the user picks EN.
    return {**browser_context_args, "locale": "en-US"}


@pytest.fixture
def login(live_server, bali_regions, page):
    """Sign in through the login page as ``user``; returns the page."""

    def sign_in(user, password=PASSWORD):
        page.goto(f"{live_server.url}/masuk/")
        page.get_by_label("Nama pengguna").fill(user.username)
        page.get_by_label("Kata sandi").fill(password)
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return sign_in
