"""A proposal into a round that has already started buys only the months from its expected
effective month on: committed at proposal, told by the page and the API, registered with
the insurer and billed by the billing run, month for month."""

import datetime as dt
import io

import polars as pl
import pytest

from lindung.billing.models import BillLine
from lindung.billing.services import run_billing
from lindung.bpjs.files import registration_workbook
from lindung.programs import premiums
from lindung.programs.models import Enrollment, Round
from lindung.programs.services import propose
from tests.billing.conftest import (
    BATUBULAN,
    activate,
    make_person,
    sponsor,
)

pytestmark = pytest.mark.django_db

MONTHLY = 16_800  # JKK + JKM on the lowest bracket, 2024


@pytest.fixture
def program(make_billing_program):
    return make_billing_program()  # one 6-month round from 01/2024


def test_a_proposal_before_the_round_buys_every_month(program):
    round_ = program.rounds.get()
    enrollment = propose(
        user=None, program=program, person=make_person(BATUBULAN), today=dt.date(2023, 12, 5)
    )
    assert (enrollment.first_month, enrollment.months) == (dt.date(2024, 1, 1), 6)
    assert enrollment.committed_premium == 6 * MONTHLY
    assert premiums.months_bought(round_, dt.date(2024, 1, 31)) == round_.months


def test_a_late_proposal_commits_only_the_months_left(program):
    enrollment = propose(
        user=None, program=program, person=make_person(BATUBULAN), today=dt.date(2024, 3, 14)
    )
    assert (enrollment.first_month, enrollment.months) == (dt.date(2024, 3, 1), 4)
    assert enrollment.committed_premium == 4 * MONTHLY
    program.refresh_from_db()
    assert program.committed == 4 * MONTHLY


def test_the_late_proposal_is_billed_exactly_its_committed_months(program):
    early = sponsor(program, [make_person(BATUBULAN)], today=dt.date(2023, 12, 20))
    late = sponsor(program, [make_person(BATUBULAN)], today=dt.date(2024, 4, 2))
    activate(early, dt.date(2024, 1, 10))
    activate(late, dt.date(2024, 4, 22))
    late_one = Enrollment.objects.get(pk=late[0].pk)
    assert late_one.coverage_end == dt.date(2024, 6, 30)  # 04, 05, 06: what was committed
    for month in range(1, 9):
        run_billing(
            user=None, program=program, month=dt.date(2024, month, 1), today=dt.date(2024, 9, 1)
        )
    lines = BillLine.objects.filter(enrollment=late_one, kind__in=["premium", "late"])
    assert sorted(line.covered_month for line in lines) == [
        dt.date(2024, 4, 1),
        dt.date(2024, 5, 1),
        dt.date(2024, 6, 1),
    ]
    assert sum(line.amount for line in lines) == late_one.committed_premium == 3 * MONTHLY
    early_lines = BillLine.objects.filter(enrollment=early[0], kind__in=["premium", "late"])
    assert early_lines.count() == 6
    assert (
        sum(line.amount for line in early_lines)
        == Enrollment.objects.get(pk=early[0].pk).committed_premium
    )


def test_the_insurer_file_names_the_months_bought(program):
    from lindung.bpjs import selectors as bpjs_selectors
    from lindung.bpjs.services import create_batch

    sponsor(program, [make_person(BATUBULAN)], today=dt.date(2024, 5, 2))
    Enrollment.objects.update(state="verified")
    batch = create_batch(user=None, program=program)
    entries = list(bpjs_selectors.batch_entries(None, batch))
    content = registration_workbook(batch, entries, program=program, generated_at=dt.datetime.now())
    sheet = pl.read_excel(io.BytesIO(content), sheet_name="PESERTA", infer_schema_length=0)
    row = sheet.row(0, named=True)
    assert (row["PERIODE_MULAI"], row["PERIODE_SELESAI"], row["JUMLAH_BULAN"]) == (
        "05/2024",
        "06/2024",
        "2",
    )


def test_the_api_and_the_page_say_how_many_months_a_late_proposal_buys(
    program, client, regency_admin, monkeypatch
):
    from lindung.programs import clock

    monkeypatch.setattr(clock, "today", lambda: dt.date(2024, 3, 14))
    client.force_login(regency_admin)
    data = client.get(f"/api/v1/programs/{program.pk}").json()
    assert data["rounds"][0]["months_if_proposed_today"] == 4
    assert data["rounds"][0]["first_month_if_proposed_today"] == "2024-03"
    person = make_person(BATUBULAN)
    answer = client.post(
        f"/api/v1/programs/{program.pk}/enrollments",
        {"nik": person.nik},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    assert (answer.json()["first_month"], answer.json()["months"]) == ("2024-03", 4)
    page = client.get(f"/program/{program.pk}/usulan/?village={BATUBULAN}")
    text = page.content.decode()
    assert 'id="months-bought"' in text
    assert "dibiayai 4 bulan (03/2024–06/2024), bukan 6 bulan" in text
    assert Round.objects.filter(program=program).count() == 1
