"""Backups: checked, kept by retention, refused into a non-empty database, and restorable.

The drill at the end runs the real commands in fresh processes on the pass's engine: a new
database is migrated and given data, backed up, restored into a second new database, and
the data read back there.
"""

import errno
import hashlib
import json
from pathlib import Path

import pytest
from django.db import connection

from lindung.operations import backup as backups
from lindung.operations.backup import BackupError, create_backup, prune, read_backup, restore_backup
from tests.operations.conftest import lindung


def fake_backup(folder: Path, stamp: str, engine: str = "sqlite", content: bytes = b"data") -> Path:
    path = folder / f"lindung-{stamp}.sqlite3"
    path.write_bytes(content)
    manifest = {
        "format": backups.FORMAT,
        "engine": engine,
        "sha256": hashlib.sha256(content).hexdigest(),
        "migrations": {},
    }
    path.with_suffix(".json").write_text(json.dumps(manifest))
    return path


def test_retention_keeps_the_newest(tmp_path):
    paths = [fake_backup(tmp_path, f"2026120{day}T013000000000Z") for day in range(1, 6)]
    removed = prune(tmp_path, keep=2)
    assert removed == paths[:3]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [p.name for p in paths[3:]] + [p.with_suffix(".json").name for p in paths[3:]]
    )


def test_a_damaged_backup_is_refused(tmp_path):
    path = fake_backup(tmp_path, "20261201T013000000000Z")
    path.write_bytes(b"dat")  # cut short
    with pytest.raises(BackupError, match="Checksum .* tidak cocok"):
        read_backup(path)
    path.with_suffix(".json").unlink()
    with pytest.raises(BackupError, match="Manifest .* tidak ada"):
        read_backup(path)


@pytest.mark.django_db
def test_a_full_disk_leaves_no_backup_and_keeps_the_old_ones(tmp_path, monkeypatch):
    old = fake_backup(tmp_path, "20261201T013000000000Z")

    def disk_full(target):
        Path(target).write_bytes(b"half a dump")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backups, "_dump_postgresql", disk_full)
    monkeypatch.setattr(backups, "_dump_sqlite", disk_full)
    with pytest.raises(BackupError, match="Ruang disk .* habis"):
        create_backup(tmp_path, keep=1)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [old.name, old.with_suffix(".json").name]
    )


@pytest.mark.django_db
def test_a_backup_is_restored_only_into_an_empty_database(tmp_path):
    engine = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    path = fake_backup(tmp_path, "20261201T013000000000Z", engine=engine)
    with pytest.raises(BackupError, match="tidak kosong"):
        restore_backup(path)
    other = "sqlite" if engine == "postgresql" else "postgresql"
    path = fake_backup(tmp_path, "20261202T013000000000Z", engine=other)
    with pytest.raises(BackupError, match="mesin yang sama"):
        restore_backup(path)


# The drill: real commands, real databases.


MAKE_DATA = (
    "from lindung.accounts.models import Role; from lindung.accounts.services import create_user; "
    "create_user(username='disnaker.drill', role=Role.SYSTEM_ADMIN, region_code=None, "
    "password='Rahasia-Sekali-123')"
)
READ_DATA = (
    "from lindung.accounts.models import User; "
    "print(User.objects.get(username='disnaker.drill').check_password('Rahasia-Sekali-123'))"
)


def test_restore_drill(fresh_databases, migrate, tmp_path):
    first, second = fresh_databases
    migrate(first)
    lindung("shell", "--no-imports", "-c", MAKE_DATA, env=first)
    out = tmp_path / "cadangan"
    made = lindung("backup", "--out", str(out), "--keep", "2", env=first)
    assert "Cadangan dibuat" in made.stdout
    (path,) = backups.backups_in(out)

    restored = lindung("restore", str(path), env=second)
    assert "dipulihkan" in restored.stdout and "migrasi belum" not in restored.stdout
    assert lindung("shell", "--no-imports", "-c", READ_DATA, env=second).stdout.strip() == "True"
    assert "No migrations to apply" in lindung("migrate", "--noinput", env=second).stdout

    again = lindung("restore", str(path), env=second, check=False)
    assert again.returncode != 0 and "tidak kosong" in again.stderr
