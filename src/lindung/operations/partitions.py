"""The partitions of the history tables: made ahead, listed, detached and archived.

The tables and how each is partitioned are in :func:`lindung.partitioning.schemes`; the
migrations that convert them are in their apps. Here is what an operator (``lindung
partitions``) and the background worker's nightly job (``lindung.worker.tasks``) do with
them. Everything answers at once on SQLite, whose tables are not partitioned.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.operations.backup import _pg_args
from lindung.partitioning import (
    YEAR,
    Scheme,
    create_partition,
    is_partitioned,
    month_after,
    partitions,
    quote,
    schemes,
    waiting_periods,
)

# Partitions are made this many months ahead of today by the nightly job.
AHEAD_MONTHS = 3


class PartitionError(Exception):
    """Said to the operator as it is (Indonesian, with the English catalogue)."""


def supported() -> bool:
    return connection.vendor == "postgresql"


def partitioned_schemes() -> list[Scheme]:
    """The schemes whose table is partitioned in this database (none on SQLite)."""
    if not supported():
        return []
    with connection.cursor() as cursor:
        return [s for s in schemes().values() if is_partitioned(cursor, s.table)]


def listing() -> list[dict]:
    """Every partition of every partitioned table, with its table, bounds, rows and bytes."""
    rows = []
    with connection.cursor() as cursor:
        for scheme in partitioned_schemes():
            for partition in partitions(cursor, scheme.table):
                rows.append(
                    {"table": scheme.table, "period": _label(scheme, partition), **partition}
                )
    return rows


def _label(scheme: Scheme, partition: dict) -> str:
    """``2026-12`` (month), ``2026`` (year) or ``DEFAULT``."""
    if partition["from"] is None:
        return "DEFAULT"
    start = scheme.day_of(partition["from"])
    return f"{start:%Y}" if scheme.interval == YEAR else f"{start:%Y-%m}"


def _today(scheme: Scheme, now: dt.datetime) -> dt.date:
    return scheme.day_of(now) if scheme.zone else timezone.localdate(now)


def create_ahead(*, months: int = AHEAD_MONTHS, now: dt.datetime | None = None) -> list[str]:
    """The partitions of every period from today's to ``months`` months ahead, and of
    every earlier period whose rows wait in the default partition, where missing; the
    names of those made. Run twice, the second run makes none.

    Rows waiting in a default partition for one of those periods move into the new
    partition. One transaction per table: a failure leaves the table as it was.
    """
    if months < 0:
        raise PartitionError(_("Jumlah bulan ke depan harus 0 atau lebih."))
    now = now or timezone.now()
    made = []
    for scheme in partitioned_schemes():
        today = _today(scheme, now)
        first = scheme.start_of(today)
        last = scheme.start_of(month_after(today, months))
        with transaction.atomic(), connection.cursor() as cursor:
            periods = []
            start = first
            while start <= last:
                periods.append(start)
                start = scheme.after(start)
            # Rows of an earlier period (a late bill line, a run for a past month) that went
            # to the default partition get their partition too; rows further ahead than
            # the window stay there until it reaches them.
            periods += [p for p in waiting_periods(cursor, scheme) if p < first]
            for start in sorted(periods):
                name = create_partition(cursor, scheme, start)
                if name:
                    made.append(name)
    return made


def _month(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise PartitionError(
            _("Bulan %(value)s tidak dikenal: tulis YYYY-MM, mis. 2025-01.") % {"value": text}
        ) from None


def to_detach(before: str | dt.date, *, tables: list[str] | None = None) -> list[dict]:
    """The partitions wholly before the first day of month ``before`` (the default
    partitions never), oldest first."""
    month = _month(before) if isinstance(before, str) else before.replace(day=1)
    chosen = []
    with connection.cursor() as cursor:
        for scheme in partitioned_schemes():
            if tables and scheme.table not in tables:
                continue
            limit = scheme.bound(month)
            for partition in partitions(cursor, scheme.table):
                if partition["to"] is not None and partition["to"] <= limit:
                    chosen.append({"table": scheme.table, **partition})
    return chosen


def detach(
    before: str | dt.date, *, archive: Path | None = None, tables: list[str] | None = None
) -> list[dict]:
    """Detach the partitions wholly before month ``before``.

    Without ``archive`` a detached partition stays in the database as a table of its own
    (no longer read by the product). With ``archive``, it is written to
    ``<archive>/<partition>.dump`` (``pg_dump`` custom format, checked by ``pg_restore
    --list``) and only then dropped. Answers one dict per partition: its name, table,
    rows, and the archive file when there is one.
    """
    if not supported():
        raise PartitionError(
            _("Tabel SQLite tidak dipartisi: tidak ada partisi yang dapat dilepas.")
        )
    if tables:
        unknown = sorted(set(tables) - set(schemes()))
        if unknown:
            raise PartitionError(
                _("Tabel %(tables)s tidak dipartisi oleh Lindung.") % {"tables": ", ".join(unknown)}
            )
    if archive is not None:
        archive.mkdir(parents=True, exist_ok=True)
        if not os.access(archive, os.W_OK):
            raise PartitionError(
                _("Folder arsip %(folder)s tidak dapat ditulisi.") % {"folder": archive}
            )
    done = []
    for partition in to_detach(before, tables=tables):
        name, table = partition["name"], partition["table"]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {quote(name)}")
            rows = cursor.fetchone()[0]
            cursor.execute(f"ALTER TABLE {quote(table)} DETACH PARTITION {quote(name)}")
        entry = {"name": name, "table": table, "rows": rows, "archive": None}
        if archive is not None:
            entry["archive"] = _archive(name, archive)
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE {quote(name)}")
        done.append(entry)
    return done


def _archive(name: str, folder: Path) -> Path:
    """``pg_dump`` of one table to ``folder/<name>.dump``, written under a temporary name
    and renamed once checked, so a full disk leaves no file that looks like an archive."""
    settings = connection.settings_dict
    args, env = _pg_args(settings)
    target = folder / f"{name}.dump"
    partial = folder / f".{name}.dump.partial"
    command = [
        "pg_dump", "--format=custom", "--no-owner", "--no-privileges", *args,
        "--table", quote(name), "--file", str(partial), settings["NAME"],
    ]  # fmt: skip
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    check = None
    if result.returncode == 0:
        check = subprocess.run(
            ["pg_restore", "--list", str(partial)], capture_output=True, text=True
        )
    if result.returncode != 0 or check is None or check.returncode != 0 or name not in check.stdout:
        partial.unlink(missing_ok=True)
        detail = ((result.stderr or "") + (check.stderr if check else "")).strip().splitlines()
        raise PartitionError(
            _(
                "Arsip partisi %(name)s gagal (%(detail)s): partisi sudah dilepas tetapi "
                "tabelnya tidak dihapus."
            )
            % {"name": name, "detail": detail[-1] if detail else result.returncode}
        )
    partial.rename(target)
    return target
