"""``lindung boundaries``: the outlines the dashboards draw their maps from.

- ``load FILE [--code-field NAME] [--tolerance DEG] [--user NAME] [--json]``: a GeoJSON
  or TopoJSON file of regions (all of its features stored, or none when one is wrong).
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lindung.accounts.models import User
from lindung.maps import geometry, services


class Command(BaseCommand):
    help = "Muat batas wilayah (GeoJSON/TopoJSON) untuk peta dasbor."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="muat berkas GeoJSON atau TopoJSON")
        load.add_argument("file")
        load.add_argument("--code-field", default="", help="nama properti berisi kode wilayah")
        load.add_argument(
            "--tolerance",
            type=float,
            default=geometry.DEFAULT_TOLERANCE,
            help="penyederhanaan garis batas, dalam derajat (0,0003 ≈ 33 m)",
        )
        load.add_argument("--user", default="", help="nama pengguna (wilayah kerjanya berlaku)")
        load.add_argument("--json", action="store_true")

    def handle(self, *args, action, **options):
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Pengguna tidak ada: {options['user']}")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Berkas tidak ada: {path}")
        try:
            report = services.load_boundaries(
                user=user,
                data=path.read_bytes(),
                source=path.name,
                code_field=options["code_field"],
                tolerance=options["tolerance"],
            )
        except services.BoundaryFileRefused as refused:
            raise CommandError(f"{refused.message} [{refused.code}]") from refused
        if options["json"]:
            payload = {
                "features": report.features,
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "points": report.points,
                "problems": [p.__dict__ for p in report.problems],
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        elif report.ok:
            self.stdout.write(
                f"{report.features} wilayah: {report.created} baru, {report.updated} diperbarui, "
                f"{report.unchanged} tetap; {report.points} titik setelah penyederhanaan."
            )
        if not report.ok:
            if not options["json"]:
                for problem in report.problems:
                    self.stderr.write(
                        f"wilayah ke-{problem.feature} [{problem.code}] {problem.message}"
                    )
            raise CommandError(
                f"Tidak ada yang disimpan: {len(report.problems)} wilayah bermasalah."
            )
