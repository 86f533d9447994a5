"""Drill: the backup folder's disk really full (a small tmpfs mounted on it), on the pass's
engine, with the real ``lindung backup`` command.

The backup must fail with the message that says so ("Ruang disk … habis"), leave no file
that is or looks like a backup (no ``.partial``, nothing ``backups_in`` counts), keep the
old backup, and succeed once space is freed.

Needs root (``mount -t tmpfs``); skipped with the reason otherwise.
"""

import os
import shutil
import subprocess

import pytest

from lindung.operations import backup as backups
from tests.operations.conftest import lindung
from tests.operations.test_backup import fake_backup

OLD = "20261201T013000000000Z"


def mount_tmpfs(folder, size: int) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to mount a small tmpfs on the backup folder")
    if not shutil.which("mount"):
        pytest.skip("no mount command")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")


def fill_leaving(folder, free: int) -> None:
    """Write a filler file so that about ``free`` bytes stay free in ``folder``'s disk."""
    stat = os.statvfs(folder)
    available = stat.f_bavail * stat.f_frsize
    with open(folder / "pengisi.bin", "wb") as handle:
        handle.write(b"\0" * max(available - free, 0))


def test_a_full_backup_disk_is_reported_and_leaves_no_partial_backup(
    fresh_databases, migrate, tmp_path
):
    env = fresh_databases[0]
    migrate(env)
    engine = "postgresql" if "DATABASE_URL" in env else "sqlite"

    # How large this database's backup is, made on the ordinary disk.
    elsewhere = tmp_path / "ukur"
    lindung("backup", "--out", str(elsewhere), env=env)
    (measured,) = backups.backups_in(elsewhere)
    size = measured.stat().st_size

    folder = tmp_path / "cadangan"
    folder.mkdir()
    mount_tmpfs(folder, size + (1 << 20))
    try:
        old = fake_backup(folder, OLD, engine=engine)
        fill_leaving(folder, size // 2)

        full = lindung("backup", "--out", str(folder), "--keep", "1", env=env, check=False)
        assert full.returncode != 0
        message = full.stderr.strip().splitlines()[-1]
        assert "Ruang disk" in message and "habis" in message, full.stderr
        assert "cadangan lama tidak dihapus" in message
        assert sorted(p.name for p in folder.iterdir()) == sorted(
            [old.name, old.with_suffix(".json").name, "pengisi.bin"]
        )
        assert backups.backups_in(folder) == [old]

        # Space freed: the backup is made, checked, and the old one goes (--keep 1).
        (folder / "pengisi.bin").unlink()
        made = lindung("backup", "--out", str(folder), "--keep", "1", env=env)
        assert "Cadangan dibuat" in made.stdout
        (new,) = backups.backups_in(folder)
        assert new != old
        assert backups.read_backup(new).manifest["engine"] == engine
        assert not list(folder.glob("*.partial*"))
    finally:
        subprocess.run(["umount", str(folder)], check=True)
