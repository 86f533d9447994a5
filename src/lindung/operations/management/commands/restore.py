"""``lindung restore FILE``: restore a backup into the empty database DATABASE_URL names."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lindung.operations.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Pulihkan cadangan ke basis data kosong yang ditunjuk DATABASE_URL."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Berkas cadangan (.dump atau .sqlite3).")

    def handle(self, *args, file, **options):
        try:
            difference = restore_backup(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Cadangan {file.name} dipulihkan.")
        if difference["unknown"]:
            names = ", ".join(f"{app}.{name}" for app, name in difference["unknown"][:5])
            self.stdout.write(
                "Peringatan: cadangan memuat migrasi yang tidak dikenal versi ini "
                f"({names}): pasang versi Lindung yang membuat cadangan."
            )
        if difference["to_apply"]:
            self.stdout.write(
                f"{len(difference['to_apply'])} migrasi belum diterapkan: jalankan "
                "`lindung migrate`."
            )
