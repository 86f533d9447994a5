"""Each role's tools, forms that keep what was typed, print that never cuts a number, and an
import result that leads with the message and shows the cell to fix."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from fpdf import FPDF
from pypdf import PdfReader

from lindung.accounts.models import Role
from lindung.billing.models import Bill
from lindung.imports.models import ImportJob, ImportRow
from lindung.pdf_columns import fit_widths
from lindung.programs import clock
from lindung.web.navigation import tools
from tests.billing.conftest import (  # noqa: F401
    BATUBULAN,
    activate,
    make_billing_program,
    make_person,
    sponsor,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2024, 3, 20)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


# The links of the top bar and the billing menu each role is shown (True) or not (False).
EXPECTED = {
    Role.SYSTEM_ADMIN: {"/impor/": True, "/dasbor/": True, "/privasi/": True},
    Role.REGENCY_ADMIN: {"/impor/": True, "/dasbor/": True, "/privasi/": True},
    Role.VILLAGE_OPERATOR: {"/impor/": True, "/dasbor/": True, "/privasi/": False},
    Role.AGENT: {"/impor/": True, "/dasbor/": True, "/privasi/": False},
    Role.VIEWER: {"/impor/": False, "/dasbor/": True, "/privasi/": False},
}
REGIONS = {
    Role.SYSTEM_ADMIN: None,
    Role.REGENCY_ADMIN: "51.04",
    Role.VILLAGE_OPERATOR: BATUBULAN,
    Role.AGENT: "51.04.01",
    Role.VIEWER: "51.04",
}


def nav_of(html: str) -> str:
    return html[html.index('id="mainnav"') : html.index("</nav>", html.index('id="mainnav"'))]


@pytest.mark.parametrize("role", list(EXPECTED), ids=str)
def test_each_role_is_shown_only_its_tools(client, make_user, role):
    user = make_user(f"u.{role}", role, REGIONS[role])
    client.force_login(user)
    nav = nav_of(client.get("/").content.decode())
    for link, shown in EXPECTED[role].items():
        assert (f'href="{link}' in nav) is shown, (role, link)
    billing = client.get("/tagihan/").content.decode()
    regency = role in (Role.SYSTEM_ADMIN, Role.REGENCY_ADMIN)
    assert (reverse("billing:import") in billing) is regency, role
    assert (reverse("billing:planner") in billing) is regency, role
    # Every link the role is shown opens (no dead end).
    for link, shown in EXPECTED[role].items():
        if shown:
            assert client.get(link, follow=True).status_code == 200, (role, link)


def test_tools_of_an_anonymous_user_are_none():
    from django.contrib.auth.models import AnonymousUser

    assert tools(AnonymousUser()) == {}


@pytest.fixture
def bill(make_billing_program):  # noqa: F811
    from lindung.billing.services import run_billing

    program = make_billing_program()
    activate(sponsor(program, [make_person(BATUBULAN)]), dt.date(2024, 1, 19))
    run_billing(user=None, program=program, month=dt.date(2024, 1, 1), today=TODAY)
    return Bill.objects.get()


def test_the_payment_form_keeps_what_was_typed_after_a_refusal(client, regency_admin, bill):
    client.force_login(regency_admin)
    typed = {"paid_on": "31/02/2024", "amount": "16.800", "reference": "SP2D-0042"}
    page = client.post(f"/tagihan/{bill.pk}/bayar/", typed, follow=True).content.decode()
    assert 'value="SP2D-0042"' in page and 'value="31/02/2024"' in page
    assert 'value="16.800"' in page
    # Once shown, the draft is gone: the next visit starts from today's date again.
    fresh = client.get(f"/tagihan/{bill.pk}/").content.decode()
    assert "SP2D-0042" not in fresh and 'value="20/03/2024"' in fresh


def test_pdf_number_columns_hold_their_widest_number():
    pdf = FPDF(unit="mm", format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 8)
    rows = [["Desa Batubulan Kangin", "Rp 1.290.240.000"], ["Ketewel", "Rp 84.000"]]
    widths = fit_widths(pdf, [60, 12], rows, [False, True], total=72)
    assert sum(widths) == pytest.approx(72)
    assert widths[1] >= pdf.get_string_width("Rp 1.290.240.000") + 2
    # Columns that already fit are left as they were.
    assert fit_widths(pdf, [40, 40], rows, [False, True], total=80) == pytest.approx([40, 40])


def test_the_bill_pdf_never_breaks_an_amount(client, regency_admin, bill):
    Bill.objects.filter(pk=bill.pk).update(amount=1_290_240_000)
    client.force_login(regency_admin)
    response = client.get(reverse("billing:bill-pdf", args=[bill.pk]))
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for line in text.splitlines():
        if "Rp" in line:
            for amount in line.split("Rp ")[1:]:
                assert amount.strip()[:1].isdigit(), line


def test_the_import_result_leads_with_the_message_and_shows_the_cell(client, operator):
    job = ImportJob.objects.create(
        user=operator,
        source_name="pekerja.csv",
        sha256="0" * 64,
        today=TODAY,
        status=ImportJob.Status.DONE,
        rows_total=2,
        accepted=1,
        rejected=1,
        errors_by_code={"category_unknown": 1},
    )
    ImportRow.objects.create(
        job=job,
        row=3,
        rejected=True,
        errors=["category_unknown"],
        values={"nik": "5104011902850001", "full_name": "I Made Uji", "category": "tukang"},
    )
    client.force_login(operator)
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    rejected = page[page.index('id="rejected-rows"') :]
    problem = rejected[rejected.index('class="problem"') :]
    # The message first, then the column and the value as written, the code last.
    assert problem.index("tukang") < problem.index("category_unknown")
    assert "kategori" in problem.lower()
    assert problem.index('class="code-muted"') > problem.index('class="where"')
    assert 'id="fix-and-reupload"' in page and "Unggah laporan itu lagi" in page
    by_code = page[page.index('id="errors-by-code"') :]
    row = by_code[by_code.index("<tbody>") :]
    assert row.index("category_unknown") > row.index("<td>") + 10  # not the first cell
