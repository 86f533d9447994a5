"""Partitioned history (PostgreSQL): bill lines by month, transitions by year, the access
log, self-paid collection lines and import report rows by month; partitions made ahead,
pruned by one month's query, detached and archived. SQLite keeps plain tables and the
commands say so."""

import datetime as dt
import io
import subprocess
import zoneinfo

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lindung import partitioning
from lindung.billing.models import BillLine
from lindung.imports.models import ImportJob
from lindung.imports.selectors import report_rows
from lindung.operations import partitions as ops
from lindung.partitioning import MONTH, YEAR, Scheme
from lindung.privacy.models import AccessEntry
from lindung.programs.models import Transition
from lindung.selfpay.models import CollectionLine
from lindung.worker import tasks
from tests.operations.conftest import lindung

pg_only = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="PostgreSQL only"
)
sqlite_only = pytest.mark.skipif(
    "sqlite" not in settings.DATABASES["default"]["ENGINE"], reason="SQLite only"
)

LOCAL = zoneinfo.ZoneInfo(settings.TIME_ZONE)
UTC = dt.UTC


def at(year, month, day=1, hour=0, zone=LOCAL):
    return dt.datetime(year, month, day, hour, tzinfo=zone)


def tree(table: str) -> dict[str, bool]:
    """``pg_partition_tree``: each partition's name and whether it is a leaf."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relid::regclass::text, isleaf FROM pg_partition_tree(%s) WHERE level = 1",
            [table],
        )
        return dict(cursor.fetchall())


def scanned(plan: str, table: str) -> set[str]:
    """The partitions of ``table`` that a plan reads."""
    return set(plan.replace("(", " ").split()) & set(tree(table))


# ---- both databases --------------------------------------------------------------------------


def test_schemes_name_and_bound_their_periods():
    line = Scheme("billing_billline", "covered_month", MONTH)
    assert line.name(dt.date(2026, 12, 1)) == "billing_billline_2026_12"
    assert line.after(dt.date(2026, 12, 1)) == dt.date(2027, 1, 1)
    assert line.bound(dt.date(2026, 12, 1)) == dt.date(2026, 12, 1)
    move = Scheme("programs_transition", "at", YEAR, zone="Asia/Makassar")
    assert move.name(dt.date(2027, 1, 1)) == "programs_transition_2027"
    assert move.start_of(dt.date(2027, 8, 17)) == dt.date(2027, 1, 1)
    # Midnight of 1 January in Makassar is 16:00 UTC the day before.
    assert move.bound(dt.date(2027, 1, 1)).astimezone(UTC) == dt.datetime(
        2026, 12, 31, 16, tzinfo=UTC
    )
    assert move.day_of(dt.datetime(2026, 12, 31, 17, tzinfo=UTC)) == dt.date(2027, 1, 1)
    assert set(partitioning.schemes()) == {
        "billing_billline",
        "programs_transition",
        "privacy_accessentry",
        "selfpay_collectionline",
        "imports_importrow",
    }


def test_every_message_has_its_english():
    import ast
    from pathlib import Path

    from django.utils import translation
    from django.utils.translation import gettext

    from lindung.operations.management.commands import partitions as command

    messages = []
    for module in (ops, command):
        for node in ast.walk(ast.parse(Path(module.__file__).read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "_":
                messages.append(node.args[0].value)
    assert len(messages) >= 12
    with translation.override("en"):
        assert [m for m in messages if gettext(m) == m] == []


@pytest.mark.django_db
def test_the_nightly_job_runs_once_a_night_and_queues_the_next(monkeypatch):
    first = tasks.partitions_job.call()
    assert "created" in first
    again = tasks.partitions_job.call()
    assert "skipped" in again
    queued = DBTaskResult.objects.filter(task_path=tasks.partitions_job.module_path)
    (result,) = queued  # the run queued the next night's; the skipped copy queued nothing
    assert timezone.localtime(result.run_after).time() == tasks.PARTITIONS_AT


def test_the_next_run_is_tonight_or_tomorrow_night():
    evening = at(2026, 11, 25, 20)
    assert tasks._next_partitions_run(evening) == at(2026, 11, 26, 1)
    assert tasks._next_partitions_run(at(2026, 11, 26, 0)) == at(2026, 11, 26, 1)


@sqlite_only
@pytest.mark.django_db
def test_sqlite_stays_plain_and_the_commands_say_so():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE name IN "
            "('billing_billline', 'programs_transition', 'privacy_accessentry')"
        )
        assert len(cursor.fetchall()) == 3
    out = io.StringIO()
    call_command("partitions", "list", stdout=out)
    assert "tidak dipartisi" in out.getvalue()
    call_command("partitions", "create-ahead", stdout=out)
    assert ops.create_ahead() == []
    assert ops.listing() == []
    assert tasks.ensure_partitions_scheduled() is False
    with pytest.raises(CommandError, match="SQLite tidak dipartisi"):
        call_command("partitions", "detach", "--before", "2025-01")


# ---- PostgreSQL ------------------------------------------------------------------------------


@pg_only
@pytest.mark.django_db
def test_the_history_tables_are_partitioned_with_their_keys_indexes_and_triggers():
    for table, key in (
        ("billing_billline", "covered_month"),
        ("programs_transition", "at"),
        ("privacy_accessentry", "at"),
        ("selfpay_collectionline", "month"),
        ("imports_importrow", "written_on"),
    ):
        parts = tree(table)
        assert f"{table}_default" in parts and all(parts.values())
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'p'",
                [table],
            )
            assert cursor.fetchone()[0] == f"PRIMARY KEY (id, {key})"
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            assert cursor.fetchone()[0] == f"public.{table}_id_seq"
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'billing_billline'")
        assert {
            "bill_line_enrollment_month",
            "bill_line_bill_village",
            "bill_line_reverses",
        } <= {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'programs_transition'::regclass "
            "AND NOT tgisinternal"
        )
        assert {row[0] for row in cursor.fetchall()} >= {"targets_transition_ins"}
        cursor.execute(
            "SELECT confrelid::regclass::text FROM pg_constraint "
            "WHERE conrelid = 'programs_transition'::regclass AND contype = 'f'"
        )
        assert {row[0] for row in cursor.fetchall()} == {"programs_enrollment", "accounts_user"}
        # A paid month stays paid once: the unique key holds the partition key.
        cursor.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'selfpay_collectionline'::regclass AND contype = 'u'"
        )
        assert [row[0] for row in cursor.fetchall()] == ["UNIQUE (person_id, month)"]
        cursor.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'imports_importrow'::regclass AND contype = 'u'"
        )
        assert [row[0] for row in cursor.fetchall()] == ['UNIQUE (job_id, "row", written_on)']
        # Nothing references the partitioned tables from the database (Django protects).
        cursor.execute(
            "SELECT conrelid::regclass::text FROM pg_constraint WHERE contype = 'f' "
            "AND confrelid::regclass::text IN "
            "('billing_billline', 'programs_transition', 'privacy_accessentry', "
            "'selfpay_collectionline', 'imports_importrow')"
        )
        assert cursor.fetchall() == []


@pg_only
@pytest.mark.django_db
def test_a_months_query_reads_one_partition():
    made = ops.create_ahead(months=2, now=at(2031, 3, 10))
    assert {"billing_billline_2031_03", "programs_transition_2031"} <= set(made)
    plan = BillLine.objects.filter(covered_month=dt.date(2031, 3, 1)).explain()
    assert scanned(plan, "billing_billline") == {"billing_billline_2031_03"}
    plan = BillLine.objects.filter(
        covered_month__gte=dt.date(2031, 3, 1), covered_month__lt=dt.date(2031, 4, 1)
    ).explain()
    assert scanned(plan, "billing_billline") == {"billing_billline_2031_03"}
    # A month of transitions, in the program's time: within its year's partition.
    plan = Transition.objects.filter(at__gte=at(2031, 3, 1), at__lt=at(2031, 4, 1)).explain()
    assert scanned(plan, "programs_transition") == {"programs_transition_2031"}
    plan = AccessEntry.objects.filter(
        at__gte=at(2031, 3, 1, zone=UTC), at__lt=at(2031, 4, 1, zone=UTC)
    ).explain()
    assert scanned(plan, "privacy_accessentry") == {"privacy_accessentry_2031_03"}
    # A month of self-paid contributions (the agents' fees, the insurer's statement).
    plan = CollectionLine.objects.filter(month=dt.date(2031, 3, 1)).explain()
    assert scanned(plan, "selfpay_collectionline") == {"selfpay_collectionline_2031_03"}
    # A report's rows are read from its job's day on: the months before are skipped.
    job = ImportJob.objects.create(source_name="x.csv", sha256="0" * 64, today=dt.date(2031, 3, 5))
    ImportJob.objects.filter(pk=job.pk).update(created_at=at(2031, 3, 5, zone=UTC))
    job.refresh_from_db()
    every = scanned(job.rows.all().explain(), "imports_importrow")
    pruned = scanned(report_rows(job).explain(), "imports_importrow")
    this_month = partitioning.schemes()["imports_importrow"].name(dt.date.today().replace(day=1))
    assert this_month in every and this_month not in pruned
    assert "imports_importrow_2031_03" in pruned
    # Without the key every partition is read (the default one too).
    plan = BillLine.objects.filter(bill_id=1).explain()
    assert {"billing_billline_2031_03", "billing_billline_default"} <= scanned(
        plan, "billing_billline"
    )


@pg_only
@pytest.mark.django_db
def test_create_ahead_is_idempotent_and_moves_rows_waiting_in_the_default():
    waiting = AccessEntry.objects.create(
        at=at(2032, 5, 20, zone=UTC), username="x", kind="view", operation="uji"
    )
    assert "privacy_accessentry_default" in str(AccessEntry.objects.filter(at=waiting.at).explain())
    late = AccessEntry.objects.create(at=at(2020, 3, 5, zone=UTC), username="l", kind="view")
    AccessEntry.objects.create(at=at(2040, 1, 5, zone=UTC), username="jauh", kind="view")
    made = ops.create_ahead(months=3, now=at(2032, 5, 10))
    assert "privacy_accessentry_2032_05" in made
    # A past month with rows in the default gets its partition; one far ahead waits.
    assert "privacy_accessentry_2020_03" in made and "privacy_accessentry_2040_01" not in made
    assert "privacy_accessentry_2020_03" in str(AccessEntry.objects.filter(at=late.at).explain())
    assert "billing_billline_2032_08" in made and "billing_billline_2032_09" not in made
    assert ops.create_ahead(months=3, now=at(2032, 5, 10)) == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM privacy_accessentry_2032_05")
        assert cursor.fetchall() == [(waiting.pk,)]
        cursor.execute(
            "SELECT count(*) FROM privacy_accessentry_default WHERE id = %s", [waiting.pk]
        )
        assert cursor.fetchone()[0] == 0
    assert AccessEntry.objects.get(pk=waiting.pk).username == "x"
    # The move let this transaction delete from the access log; nothing after it may.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessEntry.objects.filter(pk=waiting.pk).delete()
    listed = {row["name"]: row for row in ops.listing()}
    assert listed["billing_billline_2032_08"]["period"] == "2032-08"
    assert listed["programs_transition_2032"]["period"] == "2032"
    out = io.StringIO()
    call_command("partitions", "create-ahead", "--months", "1", stdout=out)
    assert "partisi baru" in out.getvalue()


@pg_only
@pytest.mark.django_db
def test_detach_leaves_the_old_months_out_of_the_table():
    ops.create_ahead(months=1, now=at(2001, 1, 5))
    AccessEntry.objects.create(at=at(2001, 1, 20, zone=UTC), username="lama", kind="view")
    AccessEntry.objects.create(at=at(2001, 2, 20, zone=UTC), username="baru", kind="view")
    chosen = {p["name"] for p in ops.to_detach("2001-02")}
    assert chosen == {
        "billing_billline_2001_01",
        "privacy_accessentry_2001_01",
        "selfpay_collectionline_2001_01",
        "imports_importrow_2001_01",
    }
    out = io.StringIO()
    call_command("partitions", "detach", "--before", "2001-02", stdout=out)
    assert "privacy_accessentry_2001_01 (1 baris) dilepas" in out.getvalue()
    assert list(AccessEntry.objects.filter(at__year=2001).values_list("username", flat=True)) == [
        "baru"
    ]
    assert "privacy_accessentry_2001_01" not in tree("privacy_accessentry")
    with connection.cursor() as cursor:  # kept as a table of its own
        cursor.execute("SELECT username FROM privacy_accessentry_2001_01")
        assert cursor.fetchall() == [("lama",)]
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("partitions", "detach", "--before", "2001/02")
    with pytest.raises(CommandError, match="tidak dipartisi oleh Lindung"):
        call_command("partitions", "detach", "--before", "2001-02", "--table", "people_person")


@pg_only
@pytest.mark.django_db
def test_converting_a_table_keeps_rows_ids_indexes_and_comes_back():
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE uji_riwayat (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
            "day date NOT NULL, n integer NOT NULL CHECK (n >= 0))"
        )
        cursor.execute("CREATE INDEX uji_riwayat_n ON uji_riwayat (n)")
        cursor.execute(
            "INSERT INTO uji_riwayat (day, n) SELECT DATE '2025-01-15' + i * 20, i "
            "FROM generate_series(1, 30) i"
        )
    scheme = Scheme("uji_riwayat", "day", MONTH)
    with connection.schema_editor() as editor:
        partitioning.partition_table(editor, scheme, ahead=1, today=dt.date(2026, 6, 1))
        partitioning.partition_table(editor, scheme, ahead=1, today=dt.date(2026, 6, 1))  # no-op
    parts = tree("uji_riwayat")
    assert "uji_riwayat_2025_02" in parts and "uji_riwayat_default" in parts
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), max(id) FROM uji_riwayat")
        assert cursor.fetchone() == (30, 30)
        cursor.execute("INSERT INTO uji_riwayat (day, n) VALUES ('2025-03-03', 7) RETURNING id")
        assert cursor.fetchone()[0] == 31
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'uji_riwayat'")
        assert "uji_riwayat_n" in {row[0] for row in cursor.fetchall()}
        with pytest.raises(IntegrityError, match="uji_riwayat_n_check"), transaction.atomic():
            cursor.execute("INSERT INTO uji_riwayat (day, n) VALUES ('2025-03-03', -1)")
    with connection.schema_editor() as editor:
        partitioning.unpartition_table(editor, "uji_riwayat")
    with connection.cursor() as cursor:
        assert not partitioning.is_partitioned(cursor, "uji_riwayat")
        cursor.execute("SELECT count(*) FROM uji_riwayat")
        assert cursor.fetchone()[0] == 31
        cursor.execute("INSERT INTO uji_riwayat (day, n) VALUES ('2025-03-03', 8) RETURNING id")
        assert cursor.fetchone()[0] == 33  # 32 went to the refused row


@pg_only
@pytest.mark.django_db
def test_a_unique_key_without_the_partition_key_is_refused():
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE uji_unik (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
            "day date NOT NULL, code text UNIQUE)"
        )
    with pytest.raises(RuntimeError, match="partition key"), connection.schema_editor() as editor:
        partitioning.partition_table(editor, Scheme("uji_unik", "day"))


@pg_only
def test_detach_and_archive_drill(fresh_databases, migrate, tmp_path):
    """Real commands on a fresh database: a month detached, written with pg_dump, dropped,
    and the archive restores its rows."""
    import psycopg

    env = fresh_databases[0]
    migrate(env)
    url = env["DATABASE_URL"]
    with psycopg.connect(url, autocommit=True) as db:
        db.execute(
            "CREATE TABLE privacy_accessentry_2001_01 PARTITION OF privacy_accessentry "
            "FOR VALUES FROM ('2001-01-01 00:00+00') TO ('2001-02-01 00:00+00')"
        )
        db.execute(
            "INSERT INTO privacy_accessentry (at, username, kind, operation, region_code, "
            "record_ids) SELECT TIMESTAMPTZ '2001-01-10 00:00+00' + i * INTERVAL '1 hour', "
            "'u' || i, 'view', 'uji', '51', '' FROM generate_series(1, 5) i"
        )
    listed = lindung("partitions", "list", env=env).stdout
    assert "privacy_accessentry_2001_01" in listed
    folder = tmp_path / "arsip"
    done = lindung("partitions", "detach", "--before", "2001-02", "--archive", str(folder), env=env)
    assert "(5 baris) dilepas dan diarsipkan" in done.stdout
    archive = folder / "privacy_accessentry_2001_01.dump"
    assert archive.exists() and not list(folder.glob(".*partial"))
    with psycopg.connect(url, autocommit=True) as db:
        assert db.execute("SELECT to_regclass('privacy_accessentry_2001_01')").fetchone()[0] is None
        assert db.execute("SELECT count(*) FROM privacy_accessentry").fetchone()[0] == 0
    # The archive is a table that pg_restore brings back on its own.
    subprocess.run(["pg_restore", "--no-owner", "-d", url, str(archive)], check=True)
    with psycopg.connect(url, autocommit=True) as db:
        assert db.execute("SELECT count(*) FROM privacy_accessentry_2001_01").fetchone()[0] == 5
    again = lindung("partitions", "detach", "--before", "2001-02", env=env)
    assert "Tidak ada partisi" in again.stdout
    lindung("partitions", "create-ahead", env=env)
    ahead = lindung("partitions", "create-ahead", env=env)
    assert "0 partisi baru" in ahead.stdout


@pg_only
@pytest.mark.django_db
def test_a_failed_archive_keeps_the_detached_table(tmp_path):
    """pg_dump runs in its own session and cannot see this test's uncommitted partition:
    the archive fails, says so, leaves no file, and the table is not dropped."""
    ops.create_ahead(months=0, now=at(2002, 7, 5))
    AccessEntry.objects.create(at=at(2002, 7, 9, zone=UTC), username="simpan", kind="view")
    with pytest.raises(CommandError, match="Arsip partisi privacy_accessentry_2002_07 gagal"):
        call_command(
            "partitions", "detach", "--before", "2002-08", "--table", "privacy_accessentry",
            "--archive", str(tmp_path),
        )  # fmt: skip
    assert list(tmp_path.iterdir()) == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT username FROM privacy_accessentry_2002_07")
        assert cursor.fetchall() == [("simpan",)]


@pg_only
@pytest.mark.django_db
def test_the_billing_run_does_not_scan_a_partition_analyzed_empty():
    """A partition made ahead (never analyzed) is probed by index; one that ANALYZE saw
    empty would be scanned whole for every probe while the run fills it, so the run turns
    sequential scans off for its transaction."""
    from lindung.billing.run import _Sql

    ops.create_ahead(months=1, now=at(2033, 4, 5))
    sql = _Sql()

    def seqscan():
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_seqscan")
            return cursor.fetchone()[0]

    with connection.cursor() as cursor:
        assert sql.partitions_of(cursor, [dt.date(2033, 4, 1)]) == ["billing_billline_2033_04"]
        assert sql.partitions_of(cursor, [dt.date(1999, 4, 1)]) == ["billing_billline_default"]
    sql.guard_empty_partitions([dt.date(2033, 4, 1)])
    assert seqscan() == "on"
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE billing_billline_2033_05")
    sql.guard_empty_partitions([dt.date(2033, 4, 1), dt.date(2033, 5, 1)])
    assert seqscan() == "off"


@pg_only
@pytest.mark.django_db
def test_the_worker_queues_the_partitions_job_once():
    assert tasks.ensure_partitions_scheduled() is True
    assert tasks.ensure_partitions_scheduled() is False  # one is waiting
    (queued,) = DBTaskResult.objects.filter(task_path=tasks.partitions_job.module_path)
    assert queued.run_after > timezone.now()
