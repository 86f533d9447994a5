"""``lindung programs``: create and list programs, and end the enrollments whose sponsored
months are over.

``end-periods`` is meant for a daily timer (cron or systemd); running it twice the same day
changes nothing the second time.
"""

import datetime as dt
import json
import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError

from lindung.accounts.models import User
from lindung.privacy.history import TrackedCommand
from lindung.programs import clock, selectors, services


def _user(username: str | None):
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"Pengguna '{username}' tidak ada atau tidak aktif.")
    return user


def _date(text: str | None) -> dt.date:
    if not text:
        return clock.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError("Tanggal harus YYYY-MM-DD, mis. 2026-11-25.") from exc


# Flags of ``programs create`` for the usual fields; the others come with ``--data``.
_CREATE_FLAGS = {
    "name": "name",
    "year": "year",
    "area": "area_code",
    "funder": "funder",
    "funder-name": "funder_name",
    "budget": "budget",
    "rounds": "rounds",
    "months": "sponsored_months",
    "quota": "quota_per_village",
    "categories": "eligible_categories",
    "favoured-deciles": "favoured_decile_max",
}


class Command(TrackedCommand):
    help = "Program perlindungan: daftar, dan akhiri kepesertaan yang masa sponsornya selesai."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="daftar program dan angkanya")
        listing.add_argument("--user", help="batasi ke wilayah pengguna ini")
        listing.add_argument("--json", action="store_true")
        create = sub.add_parser(
            "create", help="buat program dari isian (seperti API POST /api/v1/programs)"
        )
        create.add_argument("--data", help="berkas JSON berisi isian program, atau - (stdin)")
        for flag, name in _CREATE_FLAGS.items():
            create.add_argument(f"--{flag}", dest=name, help=f"isian {name}")
        create.add_argument("--user", help="buat sebagai pengguna ini (admin kabupaten)")
        create.add_argument("--json", action="store_true", help="cetak program baru sebagai JSON")
        end = sub.add_parser("end-periods", help="aktif → selesai bila masa sponsor lewat")
        end.add_argument("--today", help="YYYY-MM-DD (bawaan: hari ini)")
        end.add_argument("--program", type=int)
        end.add_argument("--user", help="batasi ke wilayah pengguna ini")
        backfill = sub.add_parser(
            "backfill-memberships",
            help="catat kepesertaan BPJS (KPJ) pekerja aktif yang diaktifkan sebelum dicatat",
        )
        backfill.add_argument("--program", type=int)
        backfill.add_argument("--json", action="store_true")

    def handle(self, *args, action, **options):
        user = _user(options.get("user"))
        if action == "list":
            self._list(user, as_json=options["json"])
        elif action == "create":
            self._create(user, options)
        elif action == "backfill-memberships":
            self._backfill(options)
        else:
            program = None
            if options.get("program"):
                program = selectors.get_program(user, options["program"])
            ended = services.end_finished(user=user, today=_date(options["today"]), program=program)
            self.stdout.write(f"{ended} kepesertaan selesai masa sponsornya.")

    def _backfill(self, options: dict) -> None:
        program = None
        if options.get("program"):
            program = selectors.get_program(None, options["program"])
        result = services.backfill_memberships(program=program)
        if options.get("json"):
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        self.stdout.write(f"{result['created']} kepesertaan BPJS dicatat.")
        for row in result["kpj_taken"]:
            self.stdout.write(
                f"  KPJ {row['kpj']} (kepesertaan #{row['enrollment']}) sudah milik pekerja "
                "lain: tidak dicatat, periksa jawaban BPJS-nya."
            )

    def _create(self, user, options: dict) -> None:
        data: dict = {}
        if source := options.get("data"):
            try:
                text = sys.stdin.read() if source == "-" else Path(source).read_text("utf-8")
                data = json.loads(text)
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise CommandError(f"Isian JSON tidak bisa dibaca: {exc}") from exc
            if not isinstance(data, dict):
                raise CommandError("Isian JSON harus sebuah objek {...}.")
        for name in _CREATE_FLAGS.values():
            if options.get(name) is not None:
                data[name] = options[name]
        if isinstance(data.get("eligible_categories"), str):
            data["eligible_categories"] = data["eligible_categories"].split(",")
        try:
            program = services.create_program(user=user, data=data)
        except services.ProgramInvalid as invalid:
            problems = [p.as_dict() for p in invalid.problems]
            if options.get("json"):
                self.stdout.write(json.dumps({"errors": problems}, ensure_ascii=False))
            lines = "\n".join(f"  {p['field']}: {p['code']}: {p['message']}" for p in problems)
            raise CommandError(f"Program tidak dibuat:\n{lines}") from invalid
        except PermissionDenied as exc:
            raise CommandError("Peran pengguna ini tidak boleh membuat program.") from exc
        summary = {
            "id": program.pk,
            "name": program.name,
            "year": program.year,
            "area": program.area_id,
            "budget": program.budget,
            "rounds": [r.start_month.strftime("%m/%Y") for r in program.rounds.order_by("number")],
            "villages": program.villages.count(),
            "favoured_decile_max": program.favoured_decile_max,
        }
        if options.get("json"):
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        else:
            self.stdout.write(f"Program #{program.pk} dibuat: {program.name}.")

    def _list(self, user, *, as_json: bool) -> None:
        rows = []
        for program in selectors.programs_for(user):
            totals = selectors.program_totals(user, program)
            rows.append(
                {
                    "id": program.pk,
                    "name": program.name,
                    "year": program.year,
                    "area": program.area_id,
                    "places": totals.places,
                    "used": totals.used,
                    "sponsored": totals.sponsored,
                    "budget": program.budget,
                    "committed": program.committed,
                }
            )
        if as_json:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for row in rows:
            self.stdout.write(
                f"{row['id']:>4}  {row['year']}  {row['name'][:48]:<48} "
                f"{row['sponsored']:>7,}/{row['places']:<7,} Rp {row['committed']:,}".replace(
                    ",", "."
                )
            )
