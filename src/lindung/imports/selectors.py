"""Reads of import jobs. A job's report holds personal data: only its owner (and the
system admin, who sees everything) may read it; anybody else gets a 404."""

import datetime as dt

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.http import Http404

from lindung.imports.models import ImportJob, ImportRow


def jobs_for(user) -> QuerySet[ImportJob]:
    jobs = ImportJob.objects.select_related("user")
    if user is None or user.sees_everything:
        return jobs
    return jobs.filter(user=user)


def get_job(user, pk) -> ImportJob:
    try:
        return jobs_for(user).get(pk=pk)
    except ImportJob.DoesNotExist as exc:
        raise Http404 from exc


def report_rows(job: ImportJob) -> QuerySet[ImportRow]:
    """A job's report rows. Written from the job's day on: saying so lets PostgreSQL skip
    the monthly partitions before it (``ImportRow.written_on``)."""
    return job.rows.filter(written_on__gte=job.created_at.astimezone(dt.UTC).date())


def rejected_rows(job: ImportJob, limit: int = 50) -> list[ImportRow]:
    return list(report_rows(job).filter(rejected=True).order_by("row")[:limit])


def warned_rows(job: ImportJob, limit: int = 50) -> list[ImportRow]:
    return list(report_rows(job).filter(rejected=False).order_by("row")[:limit])


def update_imports_for(user) -> QuerySet:
    """Member lists and welfare files applied: like a job, only the uploader's (and all for
    the system admin), since the row report names workers."""
    from lindung.imports.models import UpdateImport

    records = UpdateImport.objects.select_related("uploaded_by")
    if user is None or user.sees_everything:
        return records
    return records.filter(uploaded_by=user)


def get_update_import(user, pk):
    try:
        return update_imports_for(user).get(pk=pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
