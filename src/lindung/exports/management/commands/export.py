"""``lindung export workers OUT.xlsx|OUT.csv``: the registry (or part of it) to a file."""

from pathlib import Path

from django.core.management.base import CommandError

from lindung.accounts.models import User
from lindung.exports.services import write_workers_file
from lindung.exports.workers import clean_filters
from lindung.formatting import number
from lindung.privacy.access import exported
from lindung.privacy.history import TrackedCommand


class Command(TrackedCommand):
    help = "Ekspor (export workers OUT): registri pekerja ke .xlsx atau .csv."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True)
        workers = sub.add_parser("workers", help="ekspor registri pekerja")
        workers.add_argument("out", metavar="OUT", help="berkas .xlsx atau .csv")
        workers.add_argument("--user", help="ekspor dengan wilayah kerja dan peran pengguna ini")
        workers.add_argument("--region", default="", help="kode wilayah (tingkat apa saja)")
        workers.add_argument("--category", default="")
        workers.add_argument("--segment", default="")
        workers.add_argument("--coverage", default="", help="covered, pending atau none")

    def handle(self, *args, kind, out, user=None, **options):
        if Path(out).suffix.lower() not in (".xlsx", ".csv"):
            raise CommandError("OUT harus berakhiran .xlsx atau .csv")
        account = None
        if user:
            account = User.objects.filter(username=user, is_active=True).first()
            if account is None:
                raise CommandError(f"Pengguna tidak ada atau tidak aktif: {user}")
        raw = {k: options[k] for k in ("region", "category", "segment", "coverage")}
        filters = clean_filters(raw)
        if unknown := [k for k, v in raw.items() if v and k not in filters]:
            raise CommandError(f"Filter tidak dikenal: {', '.join(unknown)}")
        count = write_workers_file(account, filters, out)
        exported(account, filters, count, operation=f"lindung export workers {Path(out).name}")
        self.stdout.write(f"{number(count)} pekerja diekspor ke {out}")
