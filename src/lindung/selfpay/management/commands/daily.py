"""``lindung daily [--today D]``: the daily job by hand (the worker runs it every night)."""

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from lindung.programs import clock
from lindung.selfpay.daily import run_daily
from lindung.selfpay.tasks import ensure_scheduled


class Command(BaseCommand):
    help = (
        "Pekerjaan harian: akhiri masa sponsor yang lewat, hentikan peserta mandiri yang "
        "menunggak lebih dari 3 bulan, tandai agen tidak aktif, hitung ulang rekap imbal jasa."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="YYYY-MM-DD (bawaan: hari ini)")

    def handle(self, *args, today=None, **options):
        try:
            day = dt.date.fromisoformat(today) if today else clock.today()
        except ValueError as exc:
            raise CommandError("Tanggal harus YYYY-MM-DD, mis. 2026-11-25.") from exc
        report = run_daily(today=day)
        ensure_scheduled()
        self.stdout.write(json.dumps(report, ensure_ascii=False))
