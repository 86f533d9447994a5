"""Billing pages, reports, the API and the command: who sees what, and the writes behind them."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from lindung.accounts.services import issue_token
from lindung.billing.models import Bill, Payment
from lindung.billing.services import run_billing
from lindung.programs import clock
from tests.billing.conftest import BATUBULAN, KETEWEL, activate, make_person, sponsor

pytestmark = pytest.mark.django_db
TODAY = dt.date(2024, 3, 20)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


@pytest.fixture
def program(make_billing_program):
    program = make_billing_program()
    people = [make_person(BATUBULAN) for _ in range(3)] + [make_person(KETEWEL) for _ in range(2)]
    activate(sponsor(program, people), dt.date(2024, 1, 19))
    return program


@pytest.fixture
def api(client):
    def call(user, method, path, **kwargs):
        headers = {"Authorization": f"Bearer {issue_token(user)}"}
        return getattr(client, method)(
            f"/api/v1{path}", content_type="application/json", headers=headers, **kwargs
        )

    return call


def test_run_from_the_program_page_then_pay_on_the_bill_page(client, program, regency_admin):
    client.force_login(regency_admin)
    page = client.get(f"/tagihan/program/{program.pk}/").content.decode()
    assert "Jalankan tagihan" in page and 'value="03/2024"' in page
    response = client.post(f"/tagihan/program/{program.pk}/jalankan/", {"month": "01/2024"})
    bill = Bill.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/tagihan/{bill.pk}/"
    detail = client.get(f"/tagihan/{bill.pk}/").content.decode()
    assert "Rp 84.000" in detail and "5 baris baru" in detail
    assert 'data-village="51.04.01.2001"' in detail
    paid = client.post(
        f"/tagihan/{bill.pk}/bayar/",
        {"paid_on": "15/02/2024", "amount": "84.000", "reference": "SP2D-7"},
    )
    assert paid.status_code == 302
    again = client.post(
        f"/tagihan/{bill.pk}/bayar/",
        {"paid_on": "15/02/2024", "amount": "1000", "reference": "SP2D-8"},
        follow=True,
    ).content.decode()
    assert "sudah lunas" in again and "dua kali" in again
    assert Payment.objects.count() == 1
    realisation = client.get(f"/tagihan/program/{program.pk}/realisasi/").content.decode()
    assert 'data-testid="paid">Rp 84.000' in realisation


def test_a_refused_run_shows_its_reason(client, program, regency_admin):
    client.force_login(regency_admin)
    page = client.post(
        f"/tagihan/program/{program.pk}/jalankan/", {"month": "12/2023"}, follow=True
    ).content.decode()
    assert "Program ini mulai 01/2024" in page
    assert not Bill.objects.exists()


def test_operators_see_their_village_and_cannot_run_or_pay(client, program, operator):
    bill = run_billing(user=None, program=program, month=dt.date(2024, 1, 1), today=TODAY).bills[0]
    client.force_login(operator)
    page = client.get(f"/tagihan/{bill.pk}/").content.decode()
    assert 'data-village="51.04.01.2001"' in page
    assert 'data-village="51.04.01.2002"' not in page
    assert "Catat pembayaran" not in page
    run = client.post(f"/tagihan/program/{program.pk}/jalankan/", {"month": "01/2024"})
    assert run.status_code == 403
    payment = {"paid_on": "1/2/2024", "amount": "1", "reference": "x"}
    assert client.post(f"/tagihan/{bill.pk}/bayar/", payment).status_code == 403


def test_bills_of_another_regency_are_404(client, program, make_user):
    bill = run_billing(user=None, program=program, month=dt.date(2024, 1, 1), today=TODAY).bills[0]
    client.force_login(make_user("disnaker.jembrana", "regency_admin", "51.01"))
    assert client.get(f"/tagihan/{bill.pk}/").status_code == 404
    assert client.get(f"/tagihan/{bill.pk}/pdf/").status_code == 404
    assert bill.number not in client.get("/tagihan/").content.decode()


def test_bill_and_realisation_reports(client, program, regency_admin):
    bill = run_billing(user=None, program=program, month=dt.date(2024, 1, 1), today=TODAY).bills[0]
    client.force_login(regency_admin)
    pdf = client.get(f"/tagihan/{bill.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = client.get(f"/tagihan/{bill.pk}/xlsx/")
    assert xlsx.content[:2] == b"PK"
    import fastexcel

    sheets = fastexcel.read_excel(xlsx.content)
    assert sheets.sheet_names == ["Tagihan", "Rincian"]
    detail = sheets.load_sheet(1, header_row=1).to_polars()
    assert detail.height == 5
    for fmt, magic in (("pdf", b"%PDF"), ("xlsx", b"PK")):
        report = client.get(f"/tagihan/program/{program.pk}/realisasi/?format={fmt}")
        assert report.content.startswith(magic)


def test_pdf_text_carries_the_total_in_words(program):
    from lindung.billing import reports

    bill = run_billing(user=None, program=program, month=dt.date(2024, 1, 1), today=TODAY).bills[0]
    content = reports.bill_pdf(None, bill, TODAY)
    assert content.startswith(b"%PDF") and len(content) > 1000


def test_list_planner_rates_and_import_pages(client, program, regency_admin):
    run_billing(user=None, program=program, month=dt.date(2024, 1, 1), today=TODAY)
    client.force_login(regency_admin)
    listing = client.get("/tagihan/?status=open").content.decode()
    assert f"TGH/{program.pk:04d}/2024-01" in listing
    assert 'data-testid="overdue">Rp 84.000' in listing  # due 15/02/2024
    plan = client.get(
        "/tagihan/perencana/",
        {"mode": "region", "region": "51.04", "per_village": "100", "rounds": "2",
         "months": "6", "start": "01/2024", "income": "1000000", "payer": "apbd"},
    ).content.decode()  # fmt: skip
    assert "12.800 pekerja × Rp 16.800 × 6 bulan = Rp 1.290.240.000" in plan
    rates = client.get(
        "/tagihan/tarif/",
        {"segment": "BPU", "programs": ["JKK", "JKM"], "income": "1000000",
         "month": "05/2026", "payer": "self"},
    ).content.decode()  # fmt: skip
    assert 'data-testid="quote-total">Rp 8.400' in rates and "PP 50/2025" in rates
    upload = io.BytesIO(
        b"nomor_tagihan,tanggal_bayar,jumlah,referensi\n"
        + f"TGH/{program.pk:04d}/2024-01,15/02/2024,84000,CONF-1\n".encode()
    )
    upload.name = "konfirmasi.csv"
    result = client.post("/tagihan/impor-pembayaran/", {"file": upload}).content.decode()
    assert "1 pembayaran dicatat" in result
    overview = client.get("/tagihan/realisasi/").content.decode()
    assert program.name in overview


def test_api_run_bill_pay_realisation_and_quote(api, program, regency_admin):
    run = api(
        regency_admin, "post", f"/billing/programs/{program.pk}/runs", data={"month": "2024-01"}
    )
    assert run.status_code == 200
    body = run.json()
    assert {k: body[k] for k in ("program", "month", "lines", "amount")} == {
        "program": program.pk, "month": "2024-01", "lines": 5, "amount": 84_000,
    }  # fmt: skip
    bill_id = body["bills"][0]["id"]
    detail = api(regency_admin, "get", f"/billing/bills/{bill_id}").json()
    assert {v["village_code"]: v["amount"] for v in detail["villages"]} == {
        BATUBULAN: 50_400, KETEWEL: 33_600,
    }  # fmt: skip
    too_much = api(regency_admin, "post", f"/billing/bills/{bill_id}/payments",
                   data={"paid_on": "15/02/2024", "amount": 90_000, "reference": "A"})  # fmt: skip
    assert too_much.status_code == 409
    assert too_much.json()["code"] == "payment_exceeds_outstanding"
    ok = api(regency_admin, "post", f"/billing/bills/{bill_id}/payments",
             data={"paid_on": "2024-02-15", "amount": "84.000", "reference": "A"})  # fmt: skip
    assert ok.status_code == 201 and ok.json()["amount"] == 84_000
    now = timezone.localdate().isoformat()  # runs are stamped with the real clock
    real = api(regency_admin, "get", f"/billing/programs/{program.pk}/realisation?date={now}")
    real = real.json()
    assert (real["billed"], real["paid"]) == (84_000, 84_000)
    quote = api(regency_admin, "get", "/rates/premium?month=2026-05&payer=apbd").json()
    assert quote["total"] == 16_800 and "tidak berlaku" in quote["rule_label"]
    bad = api(regency_admin, "get", "/rates/premium?month=2024-01&segment=PU&programs=JKK")
    assert bad.status_code == 422 and bad.json()["errors"][0]["code"] == "risk_class_missing"
    plan = api(regency_admin, "get", "/billing/planner?region=51.04&per_village=100&rounds=2")
    assert plan.json()["budget"] == 1_290_240_000


def test_api_refusals_are_409_with_a_code(api, program, regency_admin, operator):
    future = api(regency_admin, "post", f"/billing/programs/{program.pk}/runs",
                 data={"month": "2024-09"})  # fmt: skip
    assert future.status_code == 409 and future.json()["code"] == "month_in_future"
    forbidden = api(operator, "post", f"/billing/programs/{program.pk}/runs",
                    data={"month": "2024-01"})  # fmt: skip
    assert forbidden.status_code == 403


def test_command_prints_json_and_is_idempotent(program):
    out = io.StringIO()
    call_command("billing", "run", "--program", str(program.pk), "--month", "2024-01", "--json",
                 "--today", "2024-03-20", stdout=out)  # fmt: skip
    first = json.loads(out.getvalue())
    assert {k: first[k] for k in ("program", "month", "lines", "amount")} == {
        "program": program.pk, "month": "2024-01", "lines": 5, "amount": 84_000,
    }  # fmt: skip
    out = io.StringIO()
    call_command("billing", "run", "--program", str(program.pk), "--month", "2024-01", "--json",
                 "--today", "2024-03-20", stdout=out)  # fmt: skip
    second = json.loads(out.getvalue())
    assert (second["lines"], second["amount"], second["added_lines"]) == (5, 84_000, 0)
    with pytest.raises(CommandError, match="belum berjalan"):
        call_command("billing", "run", "--program", str(program.pk), "--month", "2024-09",
                     "--today", "2024-03-20", stdout=io.StringIO())  # fmt: skip
    plan = io.StringIO()
    call_command("billing", "plan", "--program", str(program.pk), stdout=plan)
    assert "6.400 pekerja × Rp 16.800 × 6 bulan" in plan.getvalue()


def test_the_program_page_links_to_its_billing(client, program, viewer):
    client.force_login(viewer)
    page = client.get(f"/program/{program.pk}/").content.decode()
    assert f'href="/tagihan/program/{program.pk}/"' in page
    billing = client.get(f"/tagihan/program/{program.pk}/").content.decode()
    assert "Jalankan tagihan" not in billing  # viewers read, they do not run


def test_the_billing_and_rates_endpoints_are_in_the_openapi_document(client, regency_admin):
    client.force_login(regency_admin)
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/billing/programs/{program_id}/runs",
        "/api/v1/billing/bills/{bill_id}/payments",
        "/api/v1/billing/programs/{program_id}/realisation",
        "/api/v1/billing/planner",
        "/api/v1/rates/premium",
    ):
        assert path in paths


def test_large_programs_are_billed_in_the_background(client, program, regency_admin, settings):
    from django_tasks_db.models import DBTaskResult

    from lindung.billing.tasks import run_billing_task

    settings.LINDUNG_BILLING_BACKGROUND_ABOVE = 3
    client.force_login(regency_admin)
    page = client.post(
        f"/tagihan/program/{program.pk}/jalankan/", {"month": "01/2024"}, follow=True
    ).content.decode()
    assert "sedang diproses di latar belakang" in page
    assert not Bill.objects.exists()
    task = DBTaskResult.objects.get()
    assert task.args_kwargs["args"][:2] == [program.pk, "2024-01-01"]
    done = run_billing_task.call(*task.args_kwargs["args"])
    assert (done["status"], done["lines"], done["amount"]) == ("done", 5, 84_000)
    runs = client.get(f"/tagihan/program/{program.pk}/").content.decode()
    assert 'id="runs"' in runs and "Rp 84.000" in runs


def test_billing_pages_in_english(client, program, regency_admin):
    from django.utils import translation

    bill = run_billing(user=None, program=program, month=dt.date(2024, 1, 1), today=TODAY).bills[0]
    client.force_login(regency_admin)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    with translation.override("en"):
        page = client.get(f"/tagihan/program/{program.pk}/").content.decode()
        assert "Run the monthly billing" in page and "Bills of the program" in page
        bill_page = client.get(f"/tagihan/{bill.pk}/").content.decode()
        assert "Recap per village" in bill_page and "Record payment" in bill_page
        rates = client.get("/tagihan/tarif/?month=05/2026&payer=self&programs=JKK&programs=JKM"
                           "&segment=BPU&income=1000000").content.decode()  # fmt: skip
        assert "Relief PP 50/2025: JKK + JKM −50%" in rates and "1%" in rates
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    assert (
        "Jalankan tagihan bulanan" in client.get(f"/tagihan/program/{program.pk}/").content.decode()
    )
