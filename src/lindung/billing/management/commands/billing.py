"""``lindung billing run --program ID --month YYYY-MM [--json]`` and friends.

Without ``--user`` the command acts for the whole country (an operator at the server);
with it, with that user's role and region, as the pages would.
"""

import json as jsonlib
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError

from lindung.billing import planner, services
from lindung.billing.run import BillingRefused
from lindung.formatting import number, rupiah
from lindung.people.validation import parse_date
from lindung.privacy.history import TrackedCommand
from lindung.programs import clock
from lindung.programs.models import Program
from lindung.programs.services import parse_month
from lindung.uploads import check_size


def _dumps(data) -> str:
    return jsonlib.dumps(data, ensure_ascii=False, indent=2, default=str)


class Command(TrackedCommand):
    help = "Tagihan iuran: jalankan tagihan bulanan, impor konfirmasi pembayaran, rencana anggaran."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="jalankan tagihan satu program untuk satu bulan")
        run.add_argument("--program", type=int, required=True, help="nomor (id) program")
        run.add_argument("--month", required=True, help="bulan tagihan, mis. 2024-01")
        run.add_argument("--json", action="store_true", help="cetak hasil sebagai JSON")
        pay = sub.add_parser("import-payments", help="impor berkas konfirmasi pembayaran BPJS")
        pay.add_argument("file", help="berkas CSV atau XLSX")
        pay.add_argument("--json", action="store_true", help="cetak hasil sebagai JSON")
        plan = sub.add_parser("plan", help="rencana anggaran sebuah program")
        plan.add_argument("--program", type=int, required=True, help="nomor (id) program")
        plan.add_argument("--json", action="store_true", help="cetak hasil sebagai JSON")
        for command in (run, pay, plan):
            command.add_argument("--user", help="bertindak sebagai pengguna ini (peran, wilayah)")
            command.add_argument("--today", help="tanggal hari ini, mis. 2024-03-01 (untuk uji)")

    def _user(self, username):
        if not username:
            return None
        from lindung.accounts.models import User

        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Pengguna {username} tidak ada.")
        return user

    def _today(self, text):
        if not text:
            return clock.today()
        day = parse_date(text)
        if day is None:
            raise CommandError(f"Tanggal {text} tidak dikenali: tulis 2024-03-01.")
        return day

    def _program(self, pk):
        program = Program.objects.filter(pk=pk).first()
        if program is None:
            raise CommandError(f"Program {pk} tidak ada.")
        return program

    def handle(self, *args, action, json: bool = False, **options):
        user, today = self._user(options.get("user")), self._today(options.get("today"))
        try:
            if action == "run":
                self._run(user, today, options["program"], options["month"], json)
            elif action == "import-payments":
                self._import(user, today, Path(options["file"]), json)
            else:
                result = planner.for_program(self._program(options["program"]))
                self.stdout.write(_dumps(result.as_dict()) if json else result.formula)
        except PermissionDenied as exc:
            raise CommandError("Peran pengguna ini tidak boleh melakukan ini.") from exc

    def _run(self, user, today, program_id, month_text, json):
        month = parse_month(month_text)
        if month is None:
            raise CommandError(f"Bulan {month_text} tidak dikenali: tulis 2024-01.")
        program = self._program(program_id)
        try:
            result = services.run_billing(
                user=user, program=program, month=month, today=today, via="cli"
            )
        except BillingRefused as refusal:
            if json:
                self.stdout.write(_dumps(refusal.as_dict()))
            raise CommandError(refusal.message) from refusal
        if json:
            self.stdout.write(_dumps(result.as_dict()))
            return
        self.stdout.write(
            f"{program.name}, tagihan {month:%m/%Y}: {number(result.lines)} baris, "
            f"{rupiah(result.amount)} (proses ini menambah {number(result.run.lines)} baris, "
            f"{rupiah(result.run.amount)}; susulan {number(result.run.late_lines)}, "
            f"koreksi {number(result.run.reversals)})."
        )
        for bill in result.bills:
            self.stdout.write(f"  {bill.number}: {number(bill.lines_count)} baris, "
                              f"{rupiah(bill.amount)}, dibayar {rupiah(bill.paid)}")  # fmt: skip

    def _import(self, user, today, path: Path, json):
        if not path.is_file():
            raise CommandError(f"Berkas {path} tidak ada.")
        try:
            check_size(path.stat().st_size, refuse=services.ImportUnreadable)
            record = services.import_payments(
                user=user, file_name=path.name, content=path.read_bytes(), today=today
            )
        except services.ImportUnreadable as problem:
            raise CommandError(problem.message) from problem
        summary = {
            "file": record.file_name,
            "rows": record.rows,
            "recorded": record.recorded,
            "unchanged": record.unchanged,
            "refused": record.refused,
            "report": record.report,
        }
        if json:
            self.stdout.write(_dumps(summary))
            return
        self.stdout.write(
            f"{record.rows} baris: {record.recorded} dicatat, {record.unchanged} sudah tercatat, "
            f"{record.refused} ditolak."
        )
        for row in record.report:
            if row["status"] == "refused":
                self.stdout.write(f"  baris {row['row']} ({row['number']}): {row['message']}")
