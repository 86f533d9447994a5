"""After a large write the background worker refreshes the summary, not the next reader.

An import job, a billing run, the insurer's activations and the end of sponsorships each
queue one ``refresh_summary`` task (django-tasks, database backend) when they left
villages to recompute; a reader does not queue behind a refresh under way.
"""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from lindung.billing.services import run_billing
from lindung.coverage import indicators, summary, tasks
from lindung.coverage.tasks import refresh_summary
from lindung.imports import services as imports
from lindung.programs.services import end_finished

D = dt.date
MID = D(2024, 7, 25)
HEADER = "nik,nama,jenis_kelamin,tanggal_lahir,kode_desa,pekerjaan,kategori,penghasilan\n"


def queued() -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(
            task_path=refresh_summary.module_path, status=TaskResultStatus.READY
        )
    )


def import_file(tmp_path, lines: list[str], *, update: bool):
    path = tmp_path / f"workers-{len(list(tmp_path.iterdir()))}.csv"
    path.write_text(HEADER + "".join(lines))
    job, _resumed = imports.job_for_path(path=path, today=D(2024, 12, 31), update=update)
    return imports.run_job(job.pk, threads=1)


def line_of(person, category: str) -> str:
    return (
        f"{person.nik},{person.full_name},{person.sex},{person.birth_date:%d/%m/%Y},"
        f"{person.village_id},Petani,{category},1000000\n"
    )


@pytest.mark.django_db
def test_an_import_that_moves_covered_workers_queues_one_refresh(
    gianyar, tmp_path, django_capture_on_commit_callbacks
):
    assert not summary.pending() and queued() == []
    with django_capture_on_commit_callbacks(execute=True):
        job = import_file(tmp_path, [line_of(gianyar.p1, "kader_desa")], update=True)
    assert (job.status, job.updated) == ("done", 1)
    (task,) = queued()
    assert summary.pending()  # not refreshed by the import itself
    # A second large write while the task waits: the waiting task will take it too.
    with django_capture_on_commit_callbacks(execute=True):
        import_file(tmp_path, [line_of(gianyar.p6, "kader_desa")], update=True)
    assert queued() == [task]
    # The worker runs the task (here its function, as the worker would).
    result = task.task.call()
    assert result["villages"] == 1  # p1 and p6 live in Batubulan
    assert not summary.pending()
    by_category = indicators.breakdowns("51.04", MID).by_category
    assert by_category == {"pekerja_rentan": 1, "kader_desa": 2}  # p3; p1 and p6


@pytest.mark.django_db
def test_an_import_of_new_workers_queues_nothing(
    gianyar, tmp_path, django_capture_on_commit_callbacks
):
    """New workers have no enrollments: no figure moves, no village is marked."""
    from tests.factories import nik_for

    nik = nik_for("51.04.01", D(1990, 3, 4), "L", 321)
    with django_capture_on_commit_callbacks(execute=True):
        job = import_file(
            tmp_path,
            [f"{nik},I Made Baru,L,04/03/1990,51.04.01.2001,Petani,pekerja_rentan,1000000\n"],
            update=False,
        )
    assert job.created == 1
    assert queued() == [] and not summary.pending()


@pytest.mark.django_db
def test_billing_runs_and_the_end_of_sponsorships_queue_a_refresh(
    gianyar, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run_billing(user=None, program=gianyar.regency, month=D(2024, 7, 1), today=D(2024, 12, 31))
    assert len(queued()) == 1
    queued()[0].task.call()
    assert not summary.pending()
    with django_capture_on_commit_callbacks(execute=True):
        ended = end_finished(today=D(2025, 1, 2))
    assert ended == 2  # p3, sponsored to 31/12, and Jembrana's p7
    assert len(queued()) == 1 and summary.pending()


@pytest.mark.django_db
def test_nothing_to_refresh_queues_nothing(gianyar, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.schedule_refresh() is False
        assert end_finished(today=D(2024, 1, 2)) == 0
    assert queued() == []


def test_the_worker_refreshes_after_an_import(bali_regions, gianyar, tmp_path):
    """The real worker (``lindung db_worker``) picks up the task the import queued."""
    from django_tasks_db.management.commands.db_worker import Worker

    job = import_file(tmp_path, [line_of(gianyar.p3, "petugas_parkir")], update=True)
    assert job.status == "done" and len(queued()) == 1
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    ).run()
    (done,) = DBTaskResult.objects.filter(task_path=refresh_summary.module_path)
    assert done.status == TaskResultStatus.SUCCESSFUL
    assert done.return_value["villages"] == 1  # Ketewel
    assert not summary.pending()
    assert indicators.breakdowns("51.04", MID).by_category == {
        "pekerja_rentan": 2,
        "petugas_parkir": 1,
    }


def test_a_reader_does_not_queue_behind_a_refresh_under_way(bali_regions, gianyar, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's writers are serial: a reader waits (30 s at most)")
    job = import_file(tmp_path, [line_of(gianyar.p3, "petugas_parkir")], update=True)
    assert (job.status, job.updated) == ("done", 1), (job.status, job.errors_by_code)
    assert summary.pending()
    holding, release = threading.Event(), threading.Event()

    def refresher():
        # Another process's refresh, under way: it holds the summary's lock.
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("BEGIN")
                cursor.execute(f"SELECT pg_advisory_xact_lock({summary.LOCK_KEY})")
                holding.set()
                release.wait(10)
                cursor.execute("ROLLBACK")
        finally:
            other.close()

    thread = threading.Thread(target=refresher)
    thread.start()
    try:
        assert holding.wait(10)
        summary.ensure_fresh()  # returns at once, the summary as it was
        assert summary.pending()
        assert indicators.breakdowns("51.04", MID).by_category == {"pekerja_rentan": 3}
    finally:
        release.set()
        thread.join()
    summary.ensure_fresh()
    assert not summary.pending()
    assert indicators.breakdowns("51.04", MID).by_category == {
        "pekerja_rentan": 2,
        "petugas_parkir": 1,
    }
