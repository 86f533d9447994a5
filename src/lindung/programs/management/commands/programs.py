"""``lindung programs``: list programs, and end the enrollments whose sponsored months are over.

``end-periods`` is meant for a daily timer (cron or systemd); running it twice the same day
changes nothing the second time.
"""

import datetime as dt
import json

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


class Command(TrackedCommand):
    help = "Program perlindungan: daftar, dan akhiri kepesertaan yang masa sponsornya selesai."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="daftar program dan angkanya")
        listing.add_argument("--user", help="batasi ke wilayah pengguna ini")
        listing.add_argument("--json", action="store_true")
        end = sub.add_parser("end-periods", help="aktif → selesai bila masa sponsor lewat")
        end.add_argument("--today", help="YYYY-MM-DD (bawaan: hari ini)")
        end.add_argument("--program", type=int)
        end.add_argument("--user", help="batasi ke wilayah pengguna ini")

    def handle(self, *args, action, **options):
        user = _user(options.get("user"))
        if action == "list":
            self._list(user, as_json=options["json"])
        else:
            program = None
            if options.get("program"):
                program = selectors.get_program(user, options["program"])
            ended = services.end_finished(user=user, today=_date(options["today"]), program=program)
            self.stdout.write(f"{ended} kepesertaan selesai masa sponsornya.")

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
