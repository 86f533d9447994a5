"""``lindung targets``: keep the coverage summary current, check it, import figures.

- ``refresh``: recompute the villages marked since the last refresh (what every dashboard
  read does first; run it from cron after large imports so no reader waits for it).
- ``rebuild``: recompute the whole summary from the registry (after a bulk load).
- ``verify``: compare the summary with a full recomputation; exit 1 on any difference.
- ``import FILE [--kind workforce|targets|reported] [--user NAME]``: workforce figures,
  targets or reported members from a CSV/XLSX file (all rows or none).
"""

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lindung.accounts.models import User
from lindung.targets import importing, summary


class Command(BaseCommand):
    help = "Ringkasan cakupan (refresh, rebuild, verify) dan impor angka angkatan kerja/target."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("refresh", help="hitung ulang desa yang berubah sejak refresh terakhir")
        sub.add_parser("rebuild", help="hitung ulang seluruh ringkasan dari registri")
        sub.add_parser("verify", help="bandingkan ringkasan dengan hitung ulang penuh")
        load = sub.add_parser("import", help="impor angkatan kerja, target atau laporan BPJS")
        load.add_argument("file")
        load.add_argument("--kind", choices=sorted(importing.KINDS), default="")
        load.add_argument("--user", default="", help="nama pengguna (wilayah kerjanya berlaku)")
        load.add_argument("--json", action="store_true")

    def handle(self, *args, action, **options):
        started = time.perf_counter()
        if action == "refresh":
            villages = summary.refresh()
            self.stdout.write(f"{villages} desa dihitung ulang ({_since(started)}).")
        elif action == "rebuild":
            rows = summary.rebuild()
            self.stdout.write(f"Ringkasan dibangun ulang: {rows} baris ({_since(started)}).")
        elif action == "verify":
            found = summary.verify()
            if found:
                for row in found:
                    self.stdout.write(f"  {row}")
                raise CommandError("Ringkasan berbeda dari hitung ulang penuh.")
            self.stdout.write(f"Ringkasan sama dengan hitung ulang penuh ({_since(started)}).")
        else:
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


def _since(started: float) -> str:
    return f"{time.perf_counter() - started:.1f} detik"
