"""``lindung coverage``: keep the dashboards' summary current, rebuild it, check it.

- ``refresh``: recompute the villages marked since the last refresh (what every dashboard
  read does first, and the background worker after large writes).
- ``rebuild``: recompute the whole summary from the registry (after a bulk load).
- ``verify``: compare the summary with a full recomputation; exit 1 on any difference.

Each acts on both summaries: the workers' and the employers' (``formal_summary``).
"""

import time

from django.core.management.base import BaseCommand, CommandError

from lindung.coverage import formal_summary, summary


class Command(BaseCommand):
    help = "Ringkasan cakupan dasbor: refresh, rebuild, verify."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("refresh", help="hitung ulang desa yang berubah sejak refresh terakhir")
        sub.add_parser("rebuild", help="hitung ulang seluruh ringkasan dari registri")
        sub.add_parser("verify", help="bandingkan ringkasan dengan hitung ulang penuh")

    def handle(self, *args, action, **options):
        started = time.perf_counter()
        if action == "refresh":
            villages = summary.refresh()
            employers = formal_summary.refresh()
            self.stdout.write(
                f"{villages} desa dihitung ulang, {employers} desa pemberi kerja "
                f"({_since(started)})."
            )
        elif action == "rebuild":
            rows = summary.rebuild()
            employer_rows = formal_summary.rebuild()
            self.stdout.write(
                f"Ringkasan dibangun ulang: {rows} baris, {employer_rows} baris pemberi kerja "
                f"({_since(started)})."
            )
        else:
            found = summary.verify() + formal_summary.verify()
            if found:
                for row in found:
                    self.stdout.write(f"  {row}")
                raise CommandError("Ringkasan berbeda dari hitung ulang penuh.")
            self.stdout.write(f"Ringkasan sama dengan hitung ulang penuh ({_since(started)}).")


def _since(started: float) -> str:
    return f"{time.perf_counter() - started:.1f} detik"
