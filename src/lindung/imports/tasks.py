"""Background tasks (django-tasks, database backend; run by ``lindung db_worker``)."""

from django_tasks import task

from lindung.imports import services


@task()
def run_import(job_id: int) -> dict:
    job = services.run_job(job_id)
    return {"status": job.status, **job.summary()}
