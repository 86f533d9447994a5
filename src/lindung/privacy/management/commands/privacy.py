"""``lindung privacy archive``: move access-log entries past the retention period."""

from lindung.formatting import number
from lindung.privacy.access import archive, retention_days
from lindung.privacy.history import TrackedCommand


class Command(TrackedCommand):
    help = "Privasi: privacy archive (pindahkan log akses yang melewati masa simpan ke arsip)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "archive",
            help="pindahkan entri log akses lebih tua dari LINDUNG_ACCESS_LOG_RETENTION_DAYS "
            "ke arsip (aman dijalankan ulang; jalankan harian dari cron)",
        )

    def handle(self, *args, action, **options):
        moved = archive()
        self.stdout.write(
            f"{number(moved)} entri log akses lebih tua dari {retention_days()} hari "
            "dipindahkan ke arsip."
        )
