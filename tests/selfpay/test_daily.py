"""The daily job: state moves driven by the date, idempotent, kept going by the worker."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lindung.programs.lifecycle import State
from lindung.programs.models import Transition
from lindung.selfpay import tasks
from lindung.selfpay.daily import run_daily
from lindung.selfpay.services import record_collection
from tests.selfpay.conftest import ended_enrollment

pytestmark = pytest.mark.django_db


def pay(enrollment, months, day):
    record_collection(user=None, nik=enrollment.person.nik, months=months, paid_on=day,
                      method="transfer", today=day)  # fmt: skip


def test_the_job_ends_periods_and_lapses_self_payers_past_the_window(sponsor_program):
    active = ended_enrollment(sponsor_program, state=State.ACTIVE)
    paying = ended_enrollment(sponsor_program)
    stopped = ended_enrollment(sponsor_program)
    pay(paying, ["2026-10", "2026-11", "2026-12"], dt.date(2026, 10, 5))
    pay(stopped, ["2026-10"], dt.date(2026, 10, 5))  # November onwards unpaid
    # 28/02/2027: November, December, January unpaid — still payable, nothing lapses.
    report = run_daily(today=dt.date(2027, 2, 28))
    assert (report["ended"], report["lapsed"]) == (1, 0)
    # 01/03/2027: November 2026 can no longer be paid.
    assert run_daily(today=dt.date(2027, 3, 1))["lapsed"] == 1
    for enrollment, state in [(active, State.ENDED), (paying, State.CONTINUED),
                              (stopped, State.LAPSED)]:  # fmt: skip
        enrollment.refresh_from_db()
        assert enrollment.state == state
    move = Transition.objects.get(enrollment=stopped, to_state=State.LAPSED)
    assert move.via == Transition.Via.SYSTEM and "3 bulan" in move.reason
    again = run_daily(today=dt.date(2027, 3, 1))
    assert (again["ended"], again["lapsed"]) == (0, 0)
    # 01/05/2027: January 2027 can no longer be paid by the one who paid through December.
    assert run_daily(today=dt.date(2027, 5, 1))["lapsed"] == 1


def test_an_ended_worker_who_never_paid_is_left_to_the_work_list(sponsor_program):
    never = ended_enrollment(sponsor_program)
    run_daily(today=dt.date(2027, 6, 1))
    never.refresh_from_db()
    assert never.state == State.ENDED


def test_the_command_reports_and_keeps_the_job_queued(sponsor_program):
    out = io.StringIO()
    call_command("daily", "--today", "2026-11-25", stdout=out)
    assert json.loads(out.getvalue())["today"] == "2026-11-25"
    (queued,) = DBTaskResult.objects.filter(task_path=tasks.daily_job.module_path)
    assert queued.run_after > timezone.now()
    call_command("daily", "--today", "2026-11-26", stdout=io.StringIO())
    assert DBTaskResult.objects.filter(task_path=tasks.daily_job.module_path).count() == 1


def test_the_worker_queues_the_daily_job_when_it_starts(db, monkeypatch):
    from django_tasks_db.management.commands import db_worker

    started = []
    # The worker's loop itself is django-tasks-db's; what is ours is what comes before it.
    monkeypatch.setattr(db_worker.Command, "handle", lambda self, *a, **o: started.append(o))
    call_command("db_worker", "--batch", verbosity=0)
    (queued,) = DBTaskResult.objects.filter(task_path=tasks.daily_job.module_path)
    assert queued.status == "READY" and queued.run_after > timezone.now()
    assert started and started[0]["batch"]


def test_a_run_queues_the_next_one(db, monkeypatch):
    monkeypatch.setattr(tasks.clock, "today", lambda: dt.date(2026, 11, 25))
    report = tasks.daily_job.call()
    assert report["today"] == "2026-11-25"
    (queued,) = DBTaskResult.objects.filter(task_path=tasks.daily_job.module_path)
    assert timezone.localtime(queued.run_after).time() == tasks.RUN_AT


def test_next_run_is_tonight_or_tomorrow_night():
    tz = timezone.get_current_timezone()
    evening = dt.datetime(2026, 11, 25, 20, tzinfo=tz)
    small_hours = dt.datetime(2026, 11, 26, 0, 10, tzinfo=tz)
    assert timezone.localtime(tasks.next_run(evening)).date() == dt.date(2026, 11, 26)
    assert tasks.next_run(small_hours) == tasks.next_run(evening)


def test_the_job_retires_idle_agents(db):
    from lindung.agents.models import Agent, Status

    idle = Agent.objects.create(regency_id="51.04", full_name="I Nyoman",
                                started_on=dt.date(2026, 7, 1))  # fmt: skip
    assert run_daily(today=dt.date(2026, 10, 1))["agents"]["inactive"] == 1
    idle.refresh_from_db()
    assert idle.status == Status.INACTIVE


def test_the_job_archives_old_access_log_entries(db, settings):
    """The access log's retention runs with the daily job: no cron to remember."""
    from django.utils import timezone

    from lindung.privacy.models import AccessEntry, ArchivedAccessEntry

    settings.LINDUNG_ACCESS_LOG_RETENTION_DAYS = 30
    AccessEntry.objects.create(
        at=timezone.now() - dt.timedelta(days=31), username="lama", kind="view", count=1
    )
    AccessEntry.objects.create(username="baru", kind="view", count=1)
    assert run_daily(today=dt.date(2026, 12, 4))["access_archived"] == 1
    assert list(AccessEntry.objects.values_list("username", flat=True)) == ["baru"]
    assert list(ArchivedAccessEntry.objects.values_list("username", flat=True)) == ["lama"]
    assert run_daily(today=dt.date(2026, 12, 4))["access_archived"] == 0
