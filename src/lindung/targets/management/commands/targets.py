"""``lindung targets``: import workforce figures, targets and reported members.

- ``import FILE [--kind workforce|targets|reported] [--user NAME]``: workforce figures,
  targets or reported members from a CSV/XLSX file (all rows or none).
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lindung.accounts.models import User
from lindung.targets import importing


class Command(BaseCommand):
    help = "Impor angka angkatan kerja, target atau laporan peserta BPJS."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="impor angkatan kerja, target atau laporan BPJS")
        load.add_argument("file")
        load.add_argument("--kind", choices=sorted(importing.KINDS), default="")
        load.add_argument("--user", default="", help="nama pengguna (wilayah kerjanya berlaku)")
        load.add_argument("--json", action="store_true")

    def handle(self, *args, action, **options):
        self._import(options)

    def _import(self, options):
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Pengguna tidak ada: {options['user']}")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Berkas tidak ada: {path}")
        try:
            report = importing.import_figures(
                user=user, data=path.read_bytes(), name=path.name, kind=options["kind"]
            )
        except importing.FileRefused as refused:
            raise CommandError(refused.message) from refused
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "kind": report.kind,
                        "rows": report.rows,
                        "created": report.created,
                        "updated": report.updated,
                        "problems": [p.__dict__ for p in report.problems],
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
        elif report.ok:
            self.stdout.write(
                f"{report.kind_label}: {report.created} baru, {report.updated} diperbarui, "
                f"dari {report.rows} baris."
            )
        else:
            for p in report.problems:
                self.stdout.write(f"  baris {p.row}, kolom {p.column} ({p.code}): {p.message}")
        if not report.ok:
            raise SystemExit(1)
