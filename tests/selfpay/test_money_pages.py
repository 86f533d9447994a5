"""Pages of deposits, the statement import, the differences and fee statements (page,
XLSX, PDF, approval), each in the user's scope."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lindung.people.models import Person
from lindung.programs import clock
from lindung.selfpay import fees
from lindung.selfpay.models import Collection, Deposit, FeeStatement
from lindung.selfpay.services import record_collection
from tests.factories import TODAY
from tests.selfpay.conftest import ended_enrollment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sheet_rows(content: bytes, header_row: int = 0) -> list[list]:
    import fastexcel

    sheet = fastexcel.read_excel(content).load_sheet(0, header_row=header_row, dtypes="string")
    return [list(row) for row in sheet.to_polars().iter_rows()]


@pytest.fixture
def paid(agent, sponsor_program):
    enrollment = ended_enrollment(sponsor_program, kpj="26000000001")
    Person.objects.filter(pk=enrollment.person_id).update(agent=agent.agent)
    record_collection(user=agent, nik=enrollment.person.nik, months=["2026-10", "2026-11"],
                      paid_on=TODAY, method="cash", today=TODAY)  # fmt: skip
    return enrollment


def test_the_agent_deposits_what_it_collected(agent, paid):
    client = client_for(agent)
    assert "Rp 16.800" in client.get("/mandiri/setoran/").content.decode()
    answer = client.post("/mandiri/setoran/", {"reference": "TRF-77", "deposited_on": "25/11/2026",
                                               "amount": "16.800"})  # fmt: skip
    assert answer.status_code == 302
    assert Deposit.objects.get().amount == 16_800
    assert Collection.objects.get().deposit is not None
    wrong = client.post("/mandiri/setoran/", {"reference": "TRF-78", "deposited_on": "25/11/2026",
                                              "amount": "1"})  # fmt: skip
    assert "Tidak ada iuran diterima" in wrong.content.decode()


def test_statement_import_page_reports_rows_and_the_differences_page(regency_admin, paid):
    client = client_for(regency_admin)
    content = (
        b"kpj,bulan,jumlah,tanggal_bayar\n26000000001,2026-10,8400,2026-11-25\n777,2026-10,1,x\n"
    )
    upload = SimpleUploadedFile("bpjs.csv", content, content_type="text/csv")
    page = client.post("/mandiri/rekening-koran/", {"file": upload}).content.decode()
    assert "2 baris: 1 dicatat, 0 sudah tercatat sebelumnya, 1 ditolak." in page
    assert "date_invalid" in page
    differences = client.get("/mandiri/selisih/?dari=2026-10&sampai=2026-11").content.decode()
    assert "26000000001" in differences and "belum ada di rekening koran" in differences
    xlsx = client.get("/mandiri/selisih/?dari=2026-10&sampai=2026-11&format=xlsx")
    rows = sheet_rows(xlsx.content)
    assert rows[0][:2] == ["26000000001", "11/2026"]


def test_fee_statement_page_downloads_and_approval(
    agent, paid, regency_admin, make_user, monkeypatch
):
    fees.run_fees(month=dt.date(2026, 11, 1))
    statement = FeeStatement.objects.get(agent=agent.agent)
    own = client_for(agent)
    assert own.get("/mandiri/imbal-jasa/").status_code == 200
    page = own.get(f"/mandiri/imbal-jasa/{statement.pk}/").content.decode()
    assert "Rp 2.520" in page and "New Perisai 2022" in page and "15%" in page
    xlsx = own.get(f"/mandiri/imbal-jasa/{statement.pk}/?format=xlsx").content
    lines = sheet_rows(xlsx, header_row=6)
    assert [row[1] for row in lines] == [paid.person.full_name] * 2
    pdf = own.get(f"/mandiri/imbal-jasa/{statement.pk}/?format=pdf")
    assert pdf.content.startswith(b"%PDF")
    # An agent does not approve its own statement; the regency admin does, once.
    own.post(f"/mandiri/imbal-jasa/{statement.pk}/setujui/")
    statement.refresh_from_db()
    assert statement.status == "draft"
    admin = client_for(regency_admin)
    admin.post(f"/mandiri/imbal-jasa/{statement.pk}/setujui/")
    statement.refresh_from_db()
    assert statement.status == "draft"  # November is not over yet
    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 12, 1))
    admin.post(f"/mandiri/imbal-jasa/{statement.pk}/setujui/")
    statement.refresh_from_db()
    assert statement.status == "approved"
    jembrana = client_for(make_user("admin.jembrana", "regency_admin", "51.01"))
    assert jembrana.get(f"/mandiri/imbal-jasa/{statement.pk}/").status_code == 404
