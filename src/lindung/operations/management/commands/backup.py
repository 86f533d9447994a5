"""``lindung backup --out DIR``: a checked backup of the database, with retention."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lindung.formatting import number
from lindung.operations.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Buat cadangan basis data (PostgreSQL: pg_dump; SQLite: backup API) ke sebuah folder."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, type=Path, help="Folder cadangan.")
        parser.add_argument(
            "--keep",
            type=int,
            default=14,
            help="Simpan sekian cadangan terbaru di folder itu, hapus yang lebih lama (0: semua).",
        )

    def handle(self, *args, out, keep, **options):
        if keep < 0:
            raise CommandError("--keep harus 0 atau lebih.")
        try:
            backup = create_backup(out, keep=keep or None)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        size = number(backup.manifest["bytes"])
        self.stdout.write(f"Cadangan dibuat: {backup.path} ({size} bita)")
        self.stdout.write(f"SHA-256: {backup.manifest['sha256']}")
