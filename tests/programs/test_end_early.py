"""Ending a sponsored coverage early (death, moved out, became formal): the transition, the
quota and budget, and billing's correction lines for the months already billed."""

import datetime as dt

import pytest

from lindung.billing import run as billing
from lindung.billing.models import BillLine
from lindung.programs import services
from lindung.programs.lifecycle import State
from lindung.programs.models import Enrollment, Program, Transition, VillageQuota
from tests.claims.conftest import covered
from tests.programs.conftest import program_data

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 9, 20)


@pytest.fixture
def sponsor_program(db):
    """Six sponsored months from April 2026 in Gianyar."""
    program = services.create_program(
        user=None,
        data=program_data(name="Pekerja Rentan Gianyar 2026", year=2026, rounds="04/2026"),
    )
    # The enrollments below are written straight to the table: commit their premiums.
    Program.objects.filter(pk=program.pk).update(committed=10 * 6 * 16_800)
    return program


def test_a_death_ends_the_coverage_on_its_date_with_its_cause(regency_admin, sponsor_program):
    enrollment = covered(sponsor_program)
    Program.objects.filter(pk=sponsor_program.pk).update(committed=6 * 16_800)
    ended = services.end_early(
        user=regency_admin, enrollment=enrollment, cause="death", on="15/06/2026", today=TODAY,
        reason="Akta kematian 123",
    )  # fmt: skip
    enrollment.refresh_from_db()
    assert (enrollment.state, enrollment.coverage_end, enrollment.end_cause) == (
        State.ENDED, dt.date(2026, 6, 15), "death")  # fmt: skip
    assert ended.coverage_end == dt.date(2026, 6, 15)
    last = Transition.objects.filter(enrollment=enrollment).latest("id")
    assert (last.from_state, last.to_state, last.by) == (State.ACTIVE, State.ENDED, regency_admin)
    assert "15/06/2026" in last.reason and "meninggal dunia" in last.reason
    assert "Akta kematian 123" in last.reason
    # July to September are no longer sponsored: their premiums leave the budget committed.
    assert enrollment.committed_premium == 3 * 16_800
    assert Program.objects.get(pk=sponsor_program.pk).committed == 3 * 16_800
    assert enrollment.history.count() >= 2


def test_the_place_stays_used_unless_the_program_gives_it_back(regency_admin, sponsor_program):
    quota = VillageQuota.objects.get(round__program=sponsor_program, village_id="51.04.01.2001")
    VillageQuota.objects.filter(pk=quota.pk).update(used=2)
    first, second = covered(sponsor_program), covered(sponsor_program)
    services.end_early(user=regency_admin, enrollment=first, cause="moved_out",
                       on=dt.date(2026, 5, 2), today=TODAY)  # fmt: skip
    quota.refresh_from_db()
    assert quota.used == 2
    Program.objects.filter(pk=sponsor_program.pk).update(returns_place_on_early_end=True)
    services.end_early(user=regency_admin, enrollment=second, cause="became_formal",
                       on=dt.date(2026, 5, 2), today=TODAY)  # fmt: skip
    quota.refresh_from_db()
    assert quota.used == 1


def test_refusals_have_stable_codes(regency_admin, operator, sponsor_program):
    enrollment = covered(sponsor_program, coverage_end=dt.date(2026, 8, 31))
    cases = [
        (dict(cause="sick", on="2026-06-01"), "end_cause_invalid"),
        (dict(cause="death", on="31/02/2026"), "end_date_invalid"),
        (dict(cause="death", on="2026-09-21"), "end_date_in_future"),
        (dict(cause="death", on="2026-04-09"), "end_before_coverage"),
        (dict(cause="death", on="2026-08-31"), "end_after_coverage"),
    ]
    for kwargs, code in cases:
        with pytest.raises(services.EarlyEndRefused) as refused:
            services.end_early(user=regency_admin, enrollment=enrollment, today=TODAY, **kwargs)
        assert refused.value.code == code, kwargs
        assert refused.value.message
    with pytest.raises(services.EarlyEndRefused) as forbidden:
        services.end_early(user=operator, enrollment=enrollment, cause="death",
                           on="2026-06-01", today=TODAY)  # fmt: skip
    assert forbidden.value.code == "forbidden"
    services.end_early(user=regency_admin, enrollment=enrollment, cause="death",
                       on="2026-06-01", today=TODAY)  # fmt: skip
    with pytest.raises(services.EarlyEndRefused) as again:
        services.end_early(user=regency_admin, enrollment=enrollment, cause="death",
                           on="2026-06-01", today=TODAY)  # fmt: skip
    assert again.value.code == "not_active"


def test_billing_stops_after_the_month_and_billed_months_become_corrections(
    regency_admin, sponsor_program
):
    enrollment = covered(sponsor_program)
    billing.execute(program=sponsor_program, month=dt.date(2026, 8, 1), today=TODAY)
    charged = BillLine.objects.filter(enrollment=enrollment, kind__in=billing.CHARGES)
    assert sorted(line.covered_month.month for line in charged) == [4, 5, 6, 7, 8]
    services.end_early(user=regency_admin, enrollment=enrollment, cause="death",
                       on=dt.date(2026, 6, 15), today=TODAY)  # fmt: skip
    result = billing.execute(program=sponsor_program, month=dt.date(2026, 9, 1), today=TODAY)
    lines = BillLine.objects.filter(enrollment=enrollment)
    reversals = lines.filter(kind=BillLine.Kind.REVERSAL)
    assert sorted(line.covered_month.month for line in reversals) == [7, 8]
    assert all(line.amount < 0 and line.reverses_id for line in reversals)
    # September, after the death, is never charged; the month of death stays billed.
    assert not lines.filter(covered_month=dt.date(2026, 9, 1)).exists()
    assert sum(line.amount for line in lines) == 3 * lines.filter(
        covered_month=dt.date(2026, 6, 1)).get().amount  # fmt: skip
    assert result.run.reversals == 2
    # A second run changes nothing.
    again = billing.execute(program=sponsor_program, month=dt.date(2026, 9, 1), today=TODAY)
    assert again.run.lines == 0
    assert Enrollment.objects.get(pk=enrollment.pk).state == State.ENDED


def test_page_form_and_api(regency_admin, operator, sponsor_program, monkeypatch):
    from django.test import Client

    from lindung.programs import clock

    monkeypatch.setattr(clock, "today", lambda: TODAY)
    first, second = covered(sponsor_program), covered(sponsor_program)
    admin = Client()
    admin.force_login(regency_admin)
    page = admin.get(f"/program/kepesertaan/{first.pk}/").content.decode()
    assert 'id="end-early"' in page and "pindah ke luar wilayah program" in page
    answer = admin.post(f"/program/kepesertaan/{first.pk}/",
                        {"action": "end_early", "cause": "death", "on": "15/06/2026"})  # fmt: skip
    assert answer.status_code == 302
    page = admin.get(f"/program/kepesertaan/{first.pk}/").content.decode()
    assert 'id="end-cause"' in page and 'id="end-early"' not in page
    refused = admin.post(f"/program/kepesertaan/{second.pk}/",
                         {"action": "end_early", "cause": "death", "on": "01/01/2026"},
                         follow=True)  # fmt: skip
    assert "sebelum tanggal efektif" in refused.content.decode()
    village = Client()
    village.force_login(operator)
    assert (
        'id="end-early"' not in village.get(f"/program/kepesertaan/{second.pk}/").content.decode()
    )
    forbidden = village.post(f"/api/v1/enrollments/{second.pk}/end",
                             {"cause": "death", "date": "2026-06-15"},
                             content_type="application/json")  # fmt: skip
    assert forbidden.status_code == 403 and forbidden.json()["code"] == "forbidden"
    bad = admin.post(f"/api/v1/enrollments/{second.pk}/end", {"cause": "sick", "date": "x"},
                     content_type="application/json")  # fmt: skip
    assert bad.status_code == 422 and bad.json()["errors"][0]["code"] == "end_cause_invalid"
    ok = admin.post(f"/api/v1/enrollments/{second.pk}/end",
                    {"cause": "became_formal", "date": "2026-07-01", "reason": "PT Gianyar"},
                    content_type="application/json")  # fmt: skip
    assert ok.status_code == 200, ok.content
    body = ok.json()
    assert (body["state"], body["end_cause"], body["coverage_end"]) == (
        "ended", "became_formal", "2026-07-01")  # fmt: skip
    conflict = admin.post(f"/api/v1/enrollments/{second.pk}/end",
                          {"cause": "death", "date": "2026-07-01"},
                          content_type="application/json")  # fmt: skip
    assert conflict.status_code == 409 and conflict.json()["code"] == "not_active"
