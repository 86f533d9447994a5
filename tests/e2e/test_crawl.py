"""Every page, as each role sees it, on a phone (390 px) and an office screen (1280 px).

The pages are the URL patterns of the site that the role may open (the GET-inside column of
``tests/security/test_authorization.PAGES``), filled with the objects of the security world
(one object per pattern), so a new page is crawled as soon as it has its row there. Each
page must:

- be no wider than the screen (``scrollWidth <= innerWidth``) at both widths;
- show no template syntax (``{#``, ``{%``, ``{{``) left unrendered;
- show no English word on an Indonesian page (outside a short allow-list);
- have no serious or critical finding of axe-core (served from the test's own package,
  never from a CDN), checked once per page pattern, at 390 px where scroll areas appear.

Downloads (XLSX, PDF, CSV) are left to the tests of their own apps.
"""

import importlib
import os
import re
import time
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.apps import apps as django_apps
from playwright.sync_api import Error as PlaywrightError

from lindung.accounts.models import Role
from lindung.programs import clock
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.factories import PASSWORD
from tests.security import world as security_world
from tests.security.routes import fill, url_patterns
from tests.security.test_authorization import PAGES, ROLES, arguments

pytestmark = pytest.mark.live

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}

# Pages that do something on GET, or are not pages: signing in and out, the language switch,
# the service worker and the manifest, the health check.
SKIPPED = {"login", "logout", "set_language", "service-worker", "manifest", "healthz"}

# Words that only English prints (Indonesian shares none of them as a word of its own).
ENGLISH = set(
    [
        "the",
        "and",
        "of",
        "with",
        "this",
        "that",
        "from",
        "your",
        "you",
        "please",
        "save",
        "cancel",
        "delete",
        "search",
        "next",
        "previous",
        "page",
        "required",
        "field",
        "submit",
        "download",
        "upload",
        "select",
        "back",
        "add",
        "new",
        "show",
        "hide",
        "yes",
        "not",
        "are",
        "is",
        "was",
        "were",
        "has",
        "have",
        "will",
        "must",
        "should",
        "could",
        "which",
        "when",
        "where",
        "there",
        "their",
        "been",
        "before",
        "after",
        "into",
        "only",
        "each",
        "every",
        "none",
        "other",
        "than",
        "then",
        "these",
        "those",
        "what",
        "who",
        "loading",
        "error",
        "invalid",
        "enter",
        "choose",
        "week",
        "month",
        "year",
        "today",
        "yesterday",
        "tomorrow",
    ]
)
# English words that are also the product's real names or Indonesian loanwords.
ALLOWED = {"admin"}

OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"
# The phone users first: a page several roles may open is crawled as the first of them.
CRAWL_ORDER = (
    Role.VILLAGE_OPERATOR, Role.AGENT, Role.VIEWER, Role.REGENCY_ADMIN, Role.SYSTEM_ADMIN
)  # fmt: skip
# The user guide's pictures (docs/img): with LINDUNG_SCREENSHOTS=docs/img the crawl also
# saves these pages, per role, at both widths.
SCREENSHOTS = os.environ.get("LINDUNG_SCREENSHOTS", "")
PICTURED = ("home", "people:list", "programs:propose", "billing:program", "dashboards:dashboard")
# Visible text only: the options of a select are not read as words of the page.
TEXT = """() => {
  const clone = document.body.cloneNode(true);
  clone.querySelectorAll('script, style, select, [lang]:not([lang="id"])').forEach(e => e.remove());
  return clone.innerText;
}"""


def english_words(text: str) -> list[str]:
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", text)}
    return sorted((words & ENGLISH) - ALLOWED)


def template_leaks(html: str) -> list[str]:
    return [mark for mark in ("{#", "{%", "{{") if mark in html]


# The rules the migrations seed, which an earlier live test's flush took away (``bali_regions``
# puts back the occupations and the rates).
SEEDS = (
    ("lindung.selfpay.migrations.0003_fee_rules", "add_rules"),
    ("lindung.claims.migrations.0002_seed_benefit_rules", "seed"),
    ("lindung.employers.migrations.0002_seed_compliance_rule", "seed"),
)


@pytest.fixture
def world(bali_regions, monkeypatch):
    for module, function in SEEDS:
        getattr(importlib.import_module(module), function)(django_apps, None)
    monkeypatch.setattr(clock, "today", lambda: security_world.SELFPAY_TODAY)
    return security_world.build()


def pages_for(role, world) -> list[tuple[str, str]]:
    """``(name, url)`` of every page the role may open inside its region (GET → 200)."""
    column = ROLES.index(role)
    found = []
    for route, name in url_patterns():
        if name in SKIPPED or name not in PAGES:
            continue
        if PAGES[name][column].split()[0] != "200":
            continue
        found.append((name, fill(route, arguments(name, world.inside))))
    return found


def picture(page, folder: Path, stem: str) -> None:
    """The page as the user guide shows it: the screen at 1280 px, then at 390 px."""
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{stem}-1280.png"))
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(folder / f"{stem}-390.png"))


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{base}/")


def serious(results) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target'] if v['nodes'] else ''}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def test_every_page_for_every_role_fits_speaks_indonesian_and_passes_axe(
    world, live_server, playwright
):
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    axe = Axe()
    problems: list[str] = []
    checked_axe: set[str] = set()
    seen: set[str] = set()
    visited = 0
    started = time.monotonic()
    try:
        for role in CRAWL_ORDER:
            context = browser.new_context(viewport=PHONE, locale="en-US")
            page = context.new_page()
            sign_in(page, live_server.url, world.users[role].username)
            for name, url in pages_for(role, world):
                # A page is the same template for every role that may open it: each is
                # crawled once, by the first such role; every role's home and menus are.
                if name != "home" and url in seen:
                    continue
                seen.add(url)
                page.set_viewport_size(PHONE)
                try:
                    response = page.goto(live_server.url + url)
                except PlaywrightError:  # a download (XLSX, PDF, CSV): not a page
                    continue
                if "text/html" not in (
                    response.headers.get("content-type", "") if response else ""
                ):
                    continue
                visited += 1
                where = f"{role} {url}"
                if response.status >= 400:
                    problems.append(f"{where}: status {response.status}")
                    continue
                if leaks := template_leaks(page.content()):
                    problems.append(f"{where}: template syntax shown {leaks}")
                if not page.evaluate("document.doctype !== null"):
                    continue  # a fragment that htmx swaps into its page (a counter, a table)
                if (over := page.evaluate(OVERFLOW)) > 0:
                    problems.append(f"{where}: {over} px wider than the phone's screen")
                if words := english_words(page.evaluate(TEXT)):
                    problems.append(f"{where}: English words {words}")
                if name not in checked_axe:
                    checked_axe.add(name)
                    problems += [f"{where}: axe {v}" for v in serious(axe.run(page))]
                page.set_viewport_size(DESK)
                if (over := page.evaluate(OVERFLOW)) > 0:
                    problems.append(f"{where}: {over} px wider than a 1280 px screen")
                if SCREENSHOTS and name in PICTURED:
                    picture(page, Path(SCREENSHOTS), f"{role}-{name.replace(':', '-')}")
                print(f"crawl {time.monotonic() - started:6.1f} s {where}", flush=True)
            context.close()
    finally:
        browser.close()
    print(f"crawl: {visited} pages, {len(checked_axe)} by axe, {time.monotonic() - started:.0f} s")
    assert visited > 60
    assert not problems, "\n".join(problems)


def test_the_checks_catch_what_they_look_for():
    assert english_words("Simpan data pekerja") == []
    assert english_words("Please select a worker") == ["please", "select"]
    assert english_words("Admin kabupaten") == []
    assert template_leaks("<p>{{ name }}</p>") == ["{{"]
    assert template_leaks("<p>Nama</p>") == []
