"""The dashboards' claims figures: per program, funder and village, benefits per rupiah of
premium, each traced to the register and the bills; an empty register or a program without
bills said as such, never 0; the page, the XLSX, the PDF and the indicators API."""

import datetime as dt
import subprocess

import pytest
from django.test import Client
from django.utils import timezone

from lindung.billing import run as billing
from lindung.billing.models import Bill
from lindung.claims import services as claims
from lindung.claims.figures import claims_figures
from lindung.claims.models import Claim, Status
from lindung.programs.models import Program
from lindung.programs.services import create_program
from tests.claims.conftest import TODAY, covered, make_person
from tests.dashboards.test_pages import read_xlsx
from tests.programs.conftest import program_data

pytestmark = pytest.mark.django_db

LEBIH = "51.04.01.2002"  # another village of Sukawati, Gianyar


@pytest.fixture
def gianyar(sponsor_program, frozen_today):
    """Two workers of Batubulan and one of another village; September 2026 billed; a death
    in Batubulan paid Rp 42 juta on 05/10/2026, a work accident elsewhere still open."""
    program = sponsor_program
    Program.objects.filter(pk=program.pk).update(committed=3 * 6 * 16_800)
    covered(program, coverage_end=dt.date(2026, 12, 31))
    dead = covered(program)
    other = covered(program, make_person(village=LEBIH))
    billing.execute(program=program, month=dt.date(2026, 9, 1), today=TODAY)
    Bill.objects.update(created_at=timezone.make_aware(dt.datetime(2026, 9, 10, 9)))
    death = claims.report(user=None, data={
        "nik": dead.person.nik, "kind": "death", "event_date": "2026-08-20",
        "reporter_name": "Kadek", "heir_name": "Ni Luh", "heir_relation": "spouse",
        "heir_phone": "0812"}, today=TODAY)  # fmt: skip
    Claim.objects.filter(pk=death.pk).update(
        status=Status.PAID,
        amount_paid=42_000_000,
        paid_on=dt.date(2026, 10, 5),
        reported_on=dt.date(2026, 8, 22),
    )
    accident = claims.report(user=None, data={
        "nik": other.person.nik, "kind": "work_accident_care", "event_date": "2026-09-03",
        "reporter_name": "Wayan"}, today=TODAY)  # fmt: skip
    Claim.objects.filter(pk=accident.pk).update(reported_on=dt.date(2026, 9, 4))
    return {"program": program, "bill": Bill.objects.get(program=program)}


def test_each_figure_is_traced_to_the_register_and_the_bills(gianyar):
    program, bill = gianyar["program"], gianyar["bill"]
    figures = claims_figures("51.04", TODAY)
    assert not figures.missing
    (row,) = figures.programs
    assert (row.name, row.funder) == (program.name, program.funder)
    assert (row.reported, row.paid, row.benefits) == (2, 1, 42_000_000)
    assert row.premium == bill.amount > 0  # every billed village lies in Gianyar
    assert row.ratio_bp == 42_000_000 * 10000 // bill.amount
    assert row.ratio_text.startswith("Rp ") and "," in row.ratio_text
    (funder,) = figures.funders
    assert (funder.key, funder.benefits, funder.premium) == (program.funder, 42_000_000,
                                                             bill.amount)  # fmt: skip
    villages = {v.key: (v.reported, v.paid, v.benefits) for v in figures.villages}
    assert villages == {"51.04.01.2001": (1, 1, 42_000_000), LEBIH: (1, 0, 0)}
    assert figures.villages[0].key == "51.04.01.2001"  # most benefits first
    # A village's dashboard: only its own claims and its own part of the bill.
    own = claims_figures(LEBIH, TODAY)
    assert (own.total.reported, own.total.benefits) == (1, 0)
    assert 0 < own.programs[0].premium < bill.amount


def test_the_date_decides_what_is_paid_and_billed(gianyar):
    before_payment = claims_figures("51.04", dt.date(2026, 10, 1))
    assert (before_payment.total.reported, before_payment.total.paid) == (2, 0)
    assert before_payment.total.benefits == 0
    before_bill = claims_figures("51.04", dt.date(2026, 8, 31))
    (row,) = before_bill.programs
    assert row.reported == 1  # the accident of 03/09 had not happened
    assert row.premium is None  # no bill of those months yet: no ratio, not 0
    assert "tidak tersedia" in row.ratio_text
    # The next year starts from nothing: counted, since the register holds claims.
    next_year = claims_figures("51.04", dt.date(2027, 1, 15))
    assert not next_year.missing and next_year.total.reported == 0


def test_a_program_with_bills_and_no_claim_has_a_ratio_of_zero(gianyar):
    second = create_program(user=None, data=program_data(
        name="Pekerja Rentan Gianyar 2026 (APBDes)", year=2026, rounds="04/2026"))  # fmt: skip
    Program.objects.filter(pk=second.pk).update(committed=6 * 16_800)
    covered(second)
    billing.execute(program=second, month=dt.date(2026, 9, 1), today=TODAY)
    Bill.objects.update(created_at=timezone.make_aware(dt.datetime(2026, 9, 10, 9)))
    rows = {r.name: r for r in claims_figures("51.04", TODAY).programs}
    assert rows[second.name].ratio_text == "Rp 0,00"
    assert rows[second.name].reported == 0


def test_an_empty_register_is_said_not_zero(db, frozen_today):
    figures = claims_figures("51.01", TODAY)  # Jembrana: nothing reported
    assert figures.missing
    assert figures.as_dict()["total"] is None
    assert figures.as_dict()["missing"].startswith("belum ada klaim")


def test_page_xlsx_pdf_and_api(gianyar, regency_admin, make_user, tmp_path):
    client = Client()
    client.force_login(regency_admin)
    page = client.get("/dasbor/51.04/").content.decode()
    assert 'id="panel-klaim"' in page
    assert "Klaim dan manfaat per program, 2026" in page
    assert "Rp 42.000.000" in page
    response = client.get("/dasbor/51.04/xlsx/?tabel=klaim_program")
    assert response.status_code == 200
    (rows,) = read_xlsx(response.content).values()
    values = [c for row in rows for c in row if c is not None]
    assert gianyar["program"].name in values
    assert "42000000" in {str(v).removesuffix(".0") for v in values}  # a number, not text
    pdf = tmp_path / "dasbor.pdf"
    pdf.write_bytes(client.get("/dasbor/51.04/laporan.pdf").content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert "Klaim dan manfaat per sumber dana, 2026" in text
    assert "42.000.000" in text
    body = client.get("/api/v1/indicators", {"region": "51.04"}).json()
    assert body["claims"]["total"]["benefits_paid"] == 42_000_000
    assert body["claims"]["by_village"][0]["key"] == "51.04.01.2001"
    # Jembrana's officer sees that its register is empty, not zeros.
    jembrana = make_user("disnaker.jembrana", "regency_admin", "51.01")
    client.force_login(jembrana)
    page = client.get("/dasbor/51.01/").content.decode()
    assert 'id="klaim-tidak-tersedia"' in page and "belum ada klaim tercatat" in page
    body = client.get("/api/v1/indicators", {"region": "51.01"}).json()
    assert body["claims"]["missing"] and body["claims"]["by_program"] == []
