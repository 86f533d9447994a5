import json as jsonlib

from django.core.management.base import BaseCommand

from lindung.people.nik import check_nik, message, region_note


class Command(BaseCommand):
    help = "Periksa NIK (nik check NIK… [--json]): wilayah, tanggal lahir, jenis kelamin."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="periksa satu atau beberapa NIK")
        check.add_argument("niks", nargs="+", metavar="NIK")
        check.add_argument("--json", action="store_true", help="cetak hasil sebagai JSON")

    def handle(self, *args, action, niks, json: bool = False, **options):
        results = [check_nik(raw) for raw in niks]
        if json:
            self.stdout.write(_dumps([r.as_json() for r in results]))
        else:
            for result in results:
                self.stdout.write(_describe(result))
        if not all(r.valid for r in results):
            raise SystemExit(1)


def _dumps(data) -> str:
    return jsonlib.dumps(data, ensure_ascii=False, indent=2)


def _describe(result) -> str:
    if result.valid:
        sex = "laki-laki" if result.sex == "L" else "perempuan"
        where = result.district_code or f"{result.regency_code} (kecamatan tidak dikenal)"
        line = f"{result.nik}: SAH — {sex}, lahir {result.birth_date:%d/%m/%Y}, wilayah {where}"
    else:
        line = f"{result.nik or '(kosong)'}: TIDAK SAH"
    notes = [f"  - {code}: {message(code)}" for code in result.errors + result.warnings]
    if note := region_note(result):
        notes.append(f"  - {note}")
    return "\n".join([line, *notes])
