"""Backups that restore: one file of the database and a manifest beside it.

A backup is ``lindung-<UTC time>.dump`` (PostgreSQL's ``pg_dump`` custom format) or
``lindung-<UTC time>.sqlite3`` (SQLite's online backup API, safe while the app writes),
and ``<same name>.json``: the engine, the SHA-256 and size of the file, and the migrations
applied when it was taken. The restore checks the checksum and the engine first, and
restores only into an empty database, so that a mistyped ``DATABASE_URL`` cannot overwrite
a live one. Files are written under a temporary name and renamed when complete: a full
disk or a killed process leaves no file that looks like a backup.
"""

import datetime as dt
import errno
import hashlib
import json
import os
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from lindung import __version__

FORMAT = "lindung-backup/1"
PREFIX = "lindung-"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class Backup:
    path: Path
    manifest: dict

    @property
    def manifest_path(self) -> Path:
        return manifest_path(self.path)


def manifest_path(path: Path) -> Path:
    return path.with_suffix(".json")


def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else connection.vendor


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def applied_migrations() -> dict[str, list[str]]:
    """The migrations recorded in the database, by app: the schema the backup holds."""
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _pg_args(settings: dict) -> tuple[list[str], dict]:
    """Connection arguments for pg_dump/pg_restore, the password in the environment only."""
    args = [
        "--host",
        settings.get("HOST") or "127.0.0.1",
        "--port",
        str(settings.get("PORT") or 5432),
    ]
    if settings.get("USER"):
        args += ["--username", settings["USER"]]
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict, what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(f"{what} gagal: {detail[-1] if detail else result.returncode}")


def _no_space(exc: OSError) -> bool:
    return exc.errno in (errno.ENOSPC, errno.EDQUOT)


# pg_dump's words for a full disk (its messages in English: LC_MESSAGES=C below).
_DISK_FULL = ("No space left on device", "Disk quota exceeded")


def _dump_postgresql(target: Path) -> None:
    settings = connection.settings_dict
    args, env = _pg_args(settings)
    env.pop("LC_ALL", None)
    env["LC_MESSAGES"] = "C"
    command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", *args]
    try:
        _run([*command, "--file", str(target), settings["NAME"]], env, "pg_dump")
    except BackupError as exc:
        # pg_dump writes the file itself: a full disk reaches us as its message only.
        if any(words in str(exc) for words in _DISK_FULL):
            raise OSError(errno.ENOSPC, str(exc)) from exc
        raise


def _dump_sqlite(target: Path) -> None:
    source = sqlite3.connect(connection.settings_dict["NAME"])
    destination = sqlite3.connect(target)
    try:
        with destination:
            source.backup(destination)
    finally:
        destination.close()
        source.close()


def create_backup(
    folder: Path, *, keep: int | None = None, now: dt.datetime | None = None
) -> Backup:
    """Write a backup of the database ``DATABASE_URL`` names into ``folder``.

    ``keep`` backups (the newest) are kept in the folder and older ones removed, but only
    after the new one is complete, so a failed backup never costs an old one.
    """
    folder.mkdir(parents=True, exist_ok=True)
    engine = _engine()
    if engine not in ("postgresql", "sqlite"):
        raise BackupError(f"Mesin basis data {engine} tidak didukung untuk cadangan.")
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    path = folder / f"{PREFIX}{stamp}{'.dump' if engine == 'postgresql' else '.sqlite3'}"
    partial = path.with_name(path.name + ".partial")
    try:
        (_dump_postgresql if engine == "postgresql" else _dump_sqlite)(partial)
        manifest = {
            "format": FORMAT,
            "engine": engine,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "file": path.name,
            "bytes": partial.stat().st_size,
            "sha256": _sha256(partial),
            "lindung_version": __version__,
            "migrations": applied_migrations(),
        }
        partial_manifest = manifest_path(partial)
        partial_manifest.write_text(json.dumps(manifest, indent=1, sort_keys=True))
        partial.rename(path)
        partial_manifest.rename(manifest_path(path))
    except (OSError, sqlite3.Error, BackupError) as exc:
        partial.unlink(missing_ok=True)
        manifest_path(partial).unlink(missing_ok=True)
        if (isinstance(exc, OSError) and _no_space(exc)) or (
            isinstance(exc, sqlite3.OperationalError) and "full" in str(exc)
        ):
            raise BackupError(
                f"Ruang disk di {folder} habis: cadangan tidak dibuat dan cadangan lama tidak "
                "dihapus. Kosongkan ruang atau pilih folder lain (--out), lalu ulangi."
            ) from exc
        raise BackupError(f"Cadangan tidak dibuat: {exc}") from exc
    if keep:
        prune(folder, keep=keep)
    return Backup(path, manifest)


def backups_in(folder: Path) -> list[Path]:
    """The complete backups in ``folder``, oldest first (their names sort by time)."""
    return sorted(
        p
        for p in folder.glob(f"{PREFIX}*")
        if p.suffix in (".dump", ".sqlite3") and manifest_path(p).exists()
    )


def prune(folder: Path, *, keep: int) -> list[Path]:
    """Remove all but the newest ``keep`` backups; answers the files removed."""
    removed = []
    for path in backups_in(folder)[:-keep] if keep > 0 else []:
        path.unlink(missing_ok=True)
        manifest_path(path).unlink(missing_ok=True)
        removed.append(path)
    return removed


def read_backup(path: Path) -> Backup:
    """The backup at ``path`` with its manifest, checked against its checksum."""
    if not path.is_file():
        raise BackupError(f"Berkas cadangan {path} tidak ada.")
    try:
        manifest = json.loads(manifest_path(path).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(
            f"Manifest {manifest_path(path).name} tidak ada atau rusak: tanpa manifest, isi "
            "cadangan tidak bisa diperiksa. Pulihkan dari cadangan lain."
        ) from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path.name} bukan cadangan Lindung (format {manifest.get('format')}).")
    if _sha256(path) != manifest.get("sha256"):
        raise BackupError(
            f"Checksum {path.name} tidak cocok dengan manifest: berkas rusak atau terpotong. "
            "Pulihkan dari cadangan lain."
        )
    return Backup(path, manifest)


def _tables_in_database() -> list[str]:
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def restore_backup(path: Path) -> dict:
    """Restore the backup at ``path`` into the (empty) database ``DATABASE_URL`` names.

    Answers the migration state: which migrations the code has that the backup lacks
    (``lindung migrate`` brings them) and which the backup has that the code does not know
    (a backup from a newer Lindung: install that version first).
    """
    backup = read_backup(path)
    engine = _engine()
    if backup.manifest["engine"] != engine:
        raise BackupError(
            f"Cadangan ini dari {backup.manifest['engine']}, basis data tujuan {engine}: "
            "pulihkan ke basis data dengan mesin yang sama."
        )
    tables = _tables_in_database()
    if tables:
        raise BackupError(
            f"Basis data tujuan tidak kosong ({len(tables)} tabel, mis. {sorted(tables)[0]}): "
            "pemulihan hanya ke basis data kosong, agar data yang ada tidak tertimpa. Buat "
            "basis data baru (createdb) dan arahkan DATABASE_URL ke sana."
        )
    if engine == "postgresql":
        settings = connection.settings_dict
        args, env = _pg_args(settings)
        connection.close()
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                *args,
                "--dbname",
                settings["NAME"],
                str(path),
            ],
            env,
            "pg_restore",
        )
    else:
        connection.close()
        source = sqlite3.connect(path)
        destination = sqlite3.connect(connection.settings_dict["NAME"])
        try:
            with destination:
                source.backup(destination)
        finally:
            destination.close()
            source.close()
    return migration_difference(backup.manifest["migrations"])


def migration_difference(in_backup: dict[str, list[str]]) -> dict:
    """Compare the backup's migrations with the code's."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    in_code = set(loader.disk_migrations)
    in_data = {(app, name) for app, names in in_backup.items() for name in names}
    return {
        "to_apply": sorted(in_code - in_data),
        "unknown": sorted(in_data - in_code),
    }
