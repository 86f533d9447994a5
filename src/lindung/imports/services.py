"""Every write of the import: create a job, run it (resumably), cancel it.

A run reads the whole file, orders it and finds the NIKs given twice, then checks (see
:mod:`lindung.imports.checks`) and loads it in batches of ``job.batch_rows`` file rows, each
batch checked while the one before is loading. Each batch commits, in one
transaction, its registry rows, its report rows and the job's counters, so a run killed at
any moment leaves whole batches and a job that knows where to go on from. Running the
job again (the page's "Lanjutkan", or the same command line) continues after the last
committed batch; the NIK's unique index makes even a blind re-run unable to duplicate.
"""

import datetime as dt
import hashlib
import logging
import os
import socket
from collections import Counter, deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

import polars as pl
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from lindung.accounts.scope import in_scope
from lindung.agents.services import note_activity
from lindung.imports.checks import ERRORS, FIRST_ROW, WARNINGS, Context, check_rows, order_keys
from lindung.imports.duplicates import Matcher
from lindung.imports.loading import (
    BatchResult,
    load_batch,
    prepare_direct,
    stamps_for,
    write_rows,
)
from lindung.imports.models import ImportBatch, ImportJob
from lindung.imports.reading import NIK_NUMBER, RAGGED, ROW, FileRefused, max_file_bytes, read_table
from lindung.people import duplicates
from lindung.people.models import Person
from lindung.people.names import key_expr
from lindung.people.services import flag_imported, keep_imported
from lindung.privacy.history import Via, changes_through
from lindung.refusals import Refusal
from lindung.regions.models import Region
from lindung.signals import records_changed
from lindung.uploads import check_size

logger = logging.getLogger(__name__)
Progress = Callable[[ImportJob], None]
STALE_AFTER = dt.timedelta(seconds=120)


class ImportRefused(Refusal):
    """The request itself is wrong (a bad default village, a file over the limit): nothing
    was created."""


def batch_rows_default() -> int:
    return int(getattr(settings, "LINDUNG_IMPORT_BATCH_ROWS", 50_000))


def _require_importer(user) -> None:
    if user is not None and not user.can_edit_workers:
        raise PermissionDenied


def _check_village(user, code: str) -> str:
    code = (code or "").strip()
    if not code:
        return ""
    known = Region.objects.filter(code=code, level=Region.Level.VILLAGE).exists()
    if not known or not in_scope(user, code):
        raise ImportRefused("village_invalid", village=code)
    return code


def _runner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def is_alive(job: ImportJob, now: dt.datetime | None = None) -> bool:
    """Whether some process is still running ``job`` (so it must not be run twice)."""
    if job.status != ImportJob.Status.RUNNING:
        return False
    host, _, pid = job.runner.rpartition(":")
    if host == socket.gethostname() and pid.isdecimal():
        if int(pid) == os.getpid():
            return False
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    now = now or timezone.now()
    return bool(job.heartbeat_at and now - job.heartbeat_at < STALE_AFTER)


def can_resume(job: ImportJob) -> bool:
    return job.status == ImportJob.Status.FAILED or (
        job.status == ImportJob.Status.RUNNING and not is_alive(job)
    )


# ---- creating jobs ---------------------------------------------------------------------


def create_upload_job(
    *, user, upload, update: bool = False, village: str = "", today: dt.date | None = None
) -> ImportJob:
    """A job for a file uploaded from the page; the file is kept until the job is done."""
    _require_importer(user)
    check_size(upload.size, refuse=ImportRefused)
    village = _check_village(user, village)
    data = upload.read()
    job = ImportJob(
        user=user,
        source_name=Path(upload.name or "berkas").name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        update_existing=update,
        default_village=village,
        today=today or timezone.localdate(),
        batch_rows=batch_rows_default(),
    )
    job.file.save(job.source_name, ContentFile(data), save=False)
    job.save()
    return job


def job_for_path(
    *,
    path: str | Path,
    user=None,
    update: bool = False,
    village: str = "",
    today: dt.date | None = None,
    batch_rows: int | None = None,
) -> tuple[ImportJob, bool]:
    """The job for a file named on the command line: an interrupted one to continue, or new.

    Returns ``(job, resumed)``.
    """
    _require_importer(user)
    village = _check_village(user, village)
    path = Path(path).resolve()
    check_size(path.stat().st_size, limit=max_file_bytes(), refuse=ImportRefused)
    digest = _sha256_file(path)
    previous = (
        ImportJob.objects.filter(
            user=user,
            sha256=digest,
            update_existing=update,
            default_village=village,
            status__in=[ImportJob.Status.RUNNING, ImportJob.Status.FAILED],
        )
        .order_by("-created_at", "-id")
        .first()
    )
    if previous is not None and can_resume(previous):
        return previous, True
    job = ImportJob.objects.create(
        user=user,
        source_path=str(path),
        source_name=path.name[:255],
        sha256=digest,
        size=path.stat().st_size,
        update_existing=update,
        default_village=village,
        today=today or timezone.localdate(),
        batch_rows=batch_rows or batch_rows_default(),
    )
    return job, False


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _job_bytes(job: ImportJob) -> bytes:
    try:
        if job.file:
            with job.file.open("rb") as handle:
                data = handle.read()
        else:
            data = Path(job.source_path).read_bytes()
    except (FileNotFoundError, ValueError) as exc:
        raise FileRefused("file_gone") from exc
    if hashlib.sha256(data).hexdigest() != job.sha256:
        raise FileRefused("file_changed")
    return data


# ---- running ---------------------------------------------------------------------------

_PROGRESS_FIELDS = ["status", "phase", "rows_total", "rows_validated", "heartbeat_at", "notes"]
_COUNT_FIELDS = [
    "rows_loaded",
    "accepted",
    "created",
    "updated",
    "unchanged",
    "rejected",
    "errors_by_code",
    "warnings_by_code",
    "heartbeat_at",
]


def _save(job: ImportJob, fields: list[str]) -> None:
    job.save(update_fields=fields)


def _finish(job: ImportJob, status: str, code: str = "", **params) -> ImportJob:
    job.status = status
    job.phase = ImportJob.Phase.FINISHED
    job.error_code = code
    job.error_params = params
    job.finished_at = timezone.now()
    _save(job, ["status", "phase", "error_code", "error_params", "finished_at"])
    if status in ImportJob.FINAL:
        _discard_file(job)
    return job


def _discard_file(job: ImportJob) -> None:
    """Uploaded files hold personal data: keep them no longer than the job needs them."""
    if job.file:
        job.file.delete(save=False)
        job.file = ""
        _save(job, ["file"])


def _sum_batches(job: ImportJob) -> None:
    """The job's counts are the sums over its committed batches."""
    totals = Counter()
    errors, warnings = Counter(), Counter()
    for batch in ImportBatch.objects.filter(job=job):
        totals.update(
            rows=batch.rows,
            created=batch.created,
            updated=batch.updated,
            unchanged=batch.unchanged,
            rejected=batch.rejected,
        )
        errors.update(batch.errors_by_code)
        warnings.update(batch.warnings_by_code)
    job.rows_loaded = totals["rows"]
    job.created, job.updated = totals["created"], totals["updated"]
    job.unchanged, job.rejected = totals["unchanged"], totals["rejected"]
    job.accepted = job.created + job.updated + job.unchanged
    job.errors_by_code = dict(sorted(errors.items(), key=lambda kv: (-kv[1], kv[0])))
    job.warnings_by_code = dict(sorted(warnings.items(), key=lambda kv: (-kv[1], kv[0])))
    job.heartbeat_at = timezone.now()
    _save(job, _COUNT_FIELDS)


def loader_threads() -> int:
    """Batches loaded at once (``LINDUNG_IMPORT_THREADS``, setting or environment; 1).

    On the 2-core reference machine two loaders are no faster than one (the registry's
    index inserts contend and the cores are shared with the checks), so one is the
    default; a database server with more cores may gain from 2. SQLite has one writer.
    Inside a transaction (a test, a caller's atomic block) other connections could not
    see its data, so the batches run in it, one by one.
    """
    if connection.in_atomic_block or connection.vendor != "postgresql":
        return 1
    configured = getattr(settings, "LINDUNG_IMPORT_THREADS", None)
    configured = configured or os.environ.get("LINDUNG_IMPORT_THREADS") or 1
    return max(1, int(configured))


def run_job(job_id: int, *, progress: Progress | None = None, threads: int | None = None):
    """Run (or continue) a job to its end. Safe to call again on a finished job."""
    notify = progress or (lambda job: None)
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.is_final:
        return job
    if job.cancel_requested:
        return _finish(job, ImportJob.Status.CANCELLED)
    if is_alive(job):
        return job
    job.status, job.phase = ImportJob.Status.RUNNING, ImportJob.Phase.READING
    job.runner, job.heartbeat_at = _runner(), timezone.now()
    job.started_at = job.started_at or job.heartbeat_at
    job.error_code, job.error_params = "", {}
    _save(job, [*_PROGRESS_FIELDS, "runner", "started_at", "error_code", "error_params"])
    notify(job)
    try:
        return _run(job, notify, threads or loader_threads())
    except FileRefused as refusal:
        return _finish(job, ImportJob.Status.REFUSED, refusal.code, **refusal.params)
    except BaseException as exc:
        reason = "dihentikan" if isinstance(exc, KeyboardInterrupt) else type(exc).__name__
        logger.exception("import job %s stopped", job.pk)
        _finish(job, ImportJob.Status.FAILED, "interrupted", reason=reason)
        raise


def _run(job: ImportJob, notify: Progress, threads: int) -> ImportJob:
    table = read_table(_job_bytes(job), job.source_name, village_given=bool(job.default_village))
    job.notes = {**table.details, "unknown_columns": table.headers.unknown}
    job.rows_total = table.frame.height
    job.phase = ImportJob.Phase.VALIDATING
    job.heartbeat_at = timezone.now()
    _save(job, _PROGRESS_FIELDS)
    notify(job)

    context = Context(user=job.user, today=job.today, default_village=job.default_village)
    # Batches follow the order of the registry's indexes (village, then NIK), not the
    # file's: each batch then touches a narrow slice of every index instead of all of
    # it, several times faster on a large registry. The order is a pure function of the
    # file, so a resumed run cuts the same batches. Only the order and the duplicates need
    # the whole file; the other checks run batch by batch, each while the previous batch
    # is being loaded (see ``_pipeline``).
    keys = order_keys(table.frame, context)
    matcher = None
    if duplicates.check_enabled():
        matcher = Matcher(keys.get_column("village_id").str.slice(0, 5).unique().to_list())
    raw = (
        pl.concat(
            [table.frame, keys.select(pl.col("village_id", "nik").name.prefix("_"), FIRST_ROW)],
            how="horizontal",
        )
        .sort(["_village_id", "_nik", ROW], nulls_last=True)
        .drop("_village_id", "_nik")
    )
    del keys
    present = set(table.headers.fields)
    done = set(ImportBatch.objects.filter(job=job).values_list("index", flat=True))
    size = job.batch_rows
    pending = [i for i in range(-(-raw.height // size)) if i not in done]
    job.rows_validated = raw.height - sum(raw.slice(i * size, size).height for i in pending)
    job.phase = ImportJob.Phase.LOADING
    _save(job, _PROGRESS_FIELDS)
    _sum_batches(job)
    notify(job)

    overlap = {"seen": False}
    source = {"via": Via.IMPORT, "detail": f"impor #{job.pk} {job.source_name}", "user": job.user}

    def check(index: int) -> _Batch:
        chunk = raw.slice(index * size, size)
        with changes_through(**source):  # the historical rows are made here, ahead
            batch = _prepare(
                job,
                check_rows(chunk, context),
                chunk.drop(FIRST_ROW),
                direct=not overlap["seen"],
                matcher=matcher,
                index=index,
            )
        job.rows_validated += chunk.height
        job.heartbeat_at = timezone.now()
        _save(job, ["rows_validated", "heartbeat_at"])
        return batch

    def load(index: int, batch: _Batch, own: bool) -> None:
        try:
            # Set here, in the thread that loads: a thread does not inherit the context.
            with changes_through(**source):
                result = _load(job, index, batch, present, overlap, matcher)
            if matcher is not None:
                matcher.loaded(index, result.created_ids, direct=result.direct)
        finally:
            if own:
                connection.close()

    def cancelled() -> bool:
        return ImportJob.objects.filter(pk=job.pk, cancel_requested=True).exists()

    def finished() -> None:
        _sum_batches(job)
        notify(job)

    completed = _pipeline(pending, check, load, cancelled, finished, threads)
    if matcher is not None:
        with transaction.atomic(), changes_through(**source):
            matcher.finish(job_id=job.pk)
    if not completed:
        return _finish(job, ImportJob.Status.CANCELLED)
    _finish(job, ImportJob.Status.DONE)
    if job.created and (agent_id := stamps_for(job.user).get("agent_id")):
        note_activity(agent_id, job.today)  # new workers signed up by a Perisai agent
    records_changed.send(sender=__name__)
    notify(job)
    return job


def _pipeline(pending, check, load, cancelled, finished, threads: int) -> bool:
    """Check batch N+1 here while batch N loads in a thread of its own; False if cancelled.

    The checks are polars and Python work in this process, the load is mostly the database
    server's work (psycopg leaves the GIL while it waits), so on two cores they overlap.
    At most ``threads`` batches load at once, each in its own transaction on its own
    connection, and one more waits checked: memory stays at a few batches. Every write of
    the job itself (counts, progress) happens here, between batches. Without a loader
    thread (SQLite, or inside a caller's transaction, which other connections could not
    see) the batches are checked and loaded one after the other on this connection.
    """
    concurrent = threads >= 1 and not connection.in_atomic_block
    concurrent = concurrent and connection.vendor == "postgresql"
    if not concurrent:
        for index in pending:
            if cancelled():
                return False
            load(index, check(index), False)
            finished()
        return True
    running: deque = deque()

    def collect() -> None:
        running.popleft().result()
        finished()

    with ThreadPoolExecutor(max_workers=threads) as pool:
        try:
            for index in pending:
                batch = check(index)
                # Parallel batches only once the registry is big enough that every plan
                # looks NIKs up in the index: a plan made on a (nearly) empty table scans
                # it, and a table filled by the other thread meanwhile makes that scan
                # quadratic.
                limit = threads if threads == 1 or _registry_has(batch.checked.height) else 1
                while len(running) >= limit:
                    collect()
                if cancelled():
                    while running:
                        collect()
                    return False
                running.append(pool.submit(load, index, batch, True))
            while running:
                collect()
        except BaseException:
            # Let the batches under way commit or roll back before the job is marked.
            for future in running:
                future.cancel()
            wait(list(running))
            raise
    return True


def _json_list(column: str) -> pl.Expr:
    """A list of codes as JSON text (codes never contain quotes)."""
    codes = pl.col(column)
    return (
        pl.when(codes.list.len() == 0)
        .then(pl.lit("[]"))
        .otherwise(pl.lit('["') + codes.list.join('","') + pl.lit('"]'))
    )


def _registry_has(rows: int) -> bool:
    return Person.objects.all()[rows : rows + 1].exists()


POSSIBLE_DUPLICATE = "possible_duplicate"  # a warning: people.duplicates
DUPLICATE_OF = "duplicate_of"  # the report row's value naming the other record(s)


class _Batch:
    """A checked batch, with what can be made before it is loaded (see :func:`_prepare`)."""

    def __init__(
        self,
        job: ImportJob,
        checked: pl.DataFrame,
        raw: pl.DataFrame,
        direct: bool,
        matcher: Matcher | None,
        index: int,
    ):
        self.checked, self.raw = checked, raw
        self.valid = checked.filter(pl.col(ERRORS).list.len() == 0).with_columns(
            key_expr("full_name").alias("name_key")  # people.names: for the duplicate check
        )
        # The registry's rows, their historical rows and the report as if the registry
        # held none of these NIKs: what the loader sends when, as with a new file, it does
        # not (``_report`` again if it does). Not made once a batch of the file met
        # registered NIKs (a file imported again): it would only be refused.
        self.now = timezone.now()
        self.direct = None
        if direct and connection.vendor == "postgresql":
            self.direct = prepare_direct(self.valid, stamps=stamps_for(job.user))
        # The batch's possible duplicates, found here too (``imports.duplicates``); named
        # in the report as the direct ``COPY`` will make them, kept by the load.
        self.found = None
        if matcher is not None:
            ids = self.direct.ids if self.direct is not None else None
            self.found = matcher.batch(index, self.valid, ids)
        named = self.found.named if self.found is not None else {}
        self.report = _report(job, checked, raw, BatchResult(duplicates=named))


def _prepare(
    job: ImportJob, checked: pl.DataFrame, raw: pl.DataFrame, *, direct=True, matcher=None, index=0
) -> _Batch:
    return _Batch(job, checked, raw, direct, matcher, index)


def _report(job: ImportJob, checked: pl.DataFrame, raw: pl.DataFrame, result: BatchResult):
    """The batch's report rows and counts of codes, with the rows the registry flagged."""
    has_errors = pl.col(ERRORS).list.len() > 0
    twice = list(result.duplicates)  # rows loaded as new, never out of scope or differing
    flagged = pl.DataFrame(
        {
            ROW: result.out_of_scope + result.differing + twice,
            "_extra_error": ["exists_out_of_scope"] * len(result.out_of_scope)
            + [None] * (len(result.differing) + len(twice)),
            "_extra_warning": [None] * len(result.out_of_scope)
            + ["exists"] * len(result.differing)
            + [POSSIBLE_DUPLICATE] * len(twice),
        },
        schema={ROW: pl.Int64, "_extra_error": pl.String, "_extra_warning": pl.String},
    )
    problems = (
        checked.join(flagged, on=ROW, how="left")
        .filter(
            has_errors
            | (pl.col(WARNINGS).list.len() > 0)
            | pl.col("_extra_error").is_not_null()
            | pl.col("_extra_warning").is_not_null()
        )
        .select(
            ROW,
            FIRST_ROW,
            pl.concat_list(ERRORS, pl.col("_extra_error")).list.drop_nulls().alias(ERRORS),
            pl.concat_list(WARNINGS, pl.col("_extra_warning")).list.drop_nulls().alias(WARNINGS),
        )
    )
    cells = raw.join(problems.select(ROW), on=ROW, how="semi")
    fields = [c for c in cells.columns if c not in (ROW, RAGGED, NIK_NUMBER)]
    if twice:  # the other record, named in the report beside the row's own cells
        others = pl.DataFrame(
            {ROW: twice, DUPLICATE_OF: list(result.duplicates.values())},
            schema={ROW: pl.Int64, DUPLICATE_OF: pl.String},
        )
        cells = cells.join(others, on=ROW, how="left")
        fields.append(DUPLICATE_OF)
    cells = cells.select(ROW, pl.struct(fields).struct.json_encode().alias("values"))
    rows = problems.join(cells, on=ROW, how="left").select(
        pl.lit(job.pk).alias("job_id"),
        pl.col(ROW).alias("row"),
        (pl.col(ERRORS).list.len() > 0).alias("rejected"),
        _json_list(ERRORS).alias("errors"),
        _json_list(WARNINGS).alias("warnings"),
        pl.col("values").fill_null("{}"),
        pl.when(pl.col(ERRORS).list.contains("duplicate_in_file"))
        .then(pl.col(FIRST_ROW))
        .otherwise(None)
        .alias("first_row"),
    )
    rejected = problems.filter(pl.col(ERRORS).list.len() > 0)
    first_errors = Counter(dict(rejected.get_column(ERRORS).list.first().value_counts().rows()))
    warnings = Counter(
        dict(
            problems.select(pl.col(WARNINGS).list.unique().explode().drop_nulls())
            .get_column(WARNINGS)
            .value_counts()
            .rows()
        )
    )
    return rows, rejected.height, dict(first_errors), dict(warnings)


def _load(
    job: ImportJob, index: int, batch: _Batch, present: set, overlap: dict, matcher: Matcher | None
) -> BatchResult:
    """One batch: registry rows, report rows and the batch record, all or nothing.

    ``overlap["seen"]`` turns true once a batch met registered NIKs: the next batches of
    a file that is being imported again skip the direct ``COPY`` that would be refused.
    """
    with transaction.atomic():
        result = load_batch(
            batch.valid,
            user=job.user,
            update=job.update_existing,
            present=present,
            now=batch.now,
            direct=None if overlap["seen"] else batch.direct,
        )
        overlap["seen"] = result.overlapped
        found = batch.found
        if found is not None and matcher.ready(found, result.direct):
            keep_imported(found.pairs, job_id=job.pk, row_of=found.row_of)
            result.duplicates = found.named
        elif result.created_ids:
            # In the same transaction, by the records the load made (the ids it gave them).
            rows = batch.valid.select("nik", pl.col(ROW).alias("row"))
            frame = found.frame if found is not None else None
            result.duplicates = flag_imported(
                result.created_ids, job_id=job.pk, rows=rows, pairs=frame
            )
        report = batch.report
        named = found.named if found is not None else {}
        if result.out_of_scope or result.differing or result.duplicates != named:
            report = _report(job, batch.checked, batch.raw, result)
        rows, rejected, first_errors, warnings = report
        write_rows(rows)
        ImportBatch.objects.create(
            job=job,
            index=index,
            rows=batch.checked.height,
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
            rejected=rejected,
            errors_by_code=first_errors,
            warnings_by_code=warnings,
        )
    return result


# ---- cancelling ------------------------------------------------------------------------


def cancel_job(*, user, job: ImportJob) -> ImportJob:
    """Ask a job to stop after its current batch; a job not yet started stops at once."""
    if user is not None and job.user_id != user.pk and not user.sees_everything:
        raise PermissionDenied
    ImportJob.objects.filter(pk=job.pk).update(cancel_requested=True)
    job.cancel_requested = True
    if job.status == ImportJob.Status.QUEUED or can_resume(job):
        _finish(job, ImportJob.Status.CANCELLED)
    return job
