"""Background tasks (django-tasks, database backend; run by ``lindung db_worker``)."""

from django.db import transaction
from django_tasks import task

from lindung.imports import services
from lindung.imports.models import ImportJob


@task()
def run_import(job_id: int) -> dict:
    job = services.run_job(job_id)
    return {"status": job.status, **job.summary()}


def enqueue_job(job: ImportJob) -> None:
    """Hand the job to the background worker once the current transaction commits."""

    def send() -> None:
        result = run_import.enqueue(job.pk)
        ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))

    if job.status != ImportJob.Status.QUEUED:
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.QUEUED)
        job.status = ImportJob.Status.QUEUED
    transaction.on_commit(send)
