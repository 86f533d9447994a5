"""``lindung import workers FILE``: load a CSV/XLSX worker list into the registry.

``lindung import members FILE`` and ``lindung import welfare FILE`` apply the insurer's
member list and the social office's welfare file (see :mod:`lindung.imports.updates`).

The command runs the import in this process (no background worker needed), shows a
progress bar on stderr, and leaves a job that the web page lists too. Run the same command
again after an interruption (Ctrl+C, a killed process, a lost database) and it continues
after the last committed batch.
"""

import json
import signal
import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError

from lindung.accounts.models import User
from lindung.formatting import number
from lindung.imports import report, services, updates
from lindung.imports.messages import file_message
from lindung.imports.models import ImportJob
from lindung.imports.progress import Bar
from lindung.people.validation import parse_date
from lindung.privacy.history import TrackedCommand


class Command(TrackedCommand):
    help = "Impor berkas (import workers FILE): daftar pekerja dari CSV atau XLSX."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True)
        workers = sub.add_parser("workers", help="impor daftar pekerja ke registri")
        workers.add_argument("file", metavar="FILE", help="berkas .csv atau .xlsx")
        workers.add_argument(
            "--user", help="nama pengguna: impor dengan wilayah kerja pengguna ini"
        )
        workers.add_argument(
            "--village", default="", help="kode desa untuk baris yang kode_desa-nya kosong"
        )
        workers.add_argument(
            "--update", action="store_true", help="perbarui pekerja yang NIK-nya sudah ada"
        )
        workers.add_argument("--report", help="tulis laporan per baris ke OUT.xlsx atau OUT.csv")
        workers.add_argument("--json", action="store_true", help="cetak ringkasan sebagai JSON")
        workers.add_argument(
            "--batch-rows", type=int, default=None, help="baris per transaksi (bawaan 50000)"
        )
        workers.add_argument(
            "--no-progress", action="store_true", help="jangan tampilkan bilah kemajuan"
        )

        for name, text in (
            ("members", "daftar peserta BPJS (NIK, NO_KPJ, STATUS, TANGGAL): KPJ dan status"),
            ("welfare", "data kesejahteraan (NIK, DESIL, TANGGAL, SUMBER, DISABILITAS)"),
        ):
            updating = sub.add_parser(name, help=text)
            updating.add_argument("file", metavar="FILE", help="berkas .csv atau .xlsx")
            updating.add_argument("--user", help="nama pengguna (admin kabupaten)")
            updating.add_argument(
                "--as-of", default="", help="tanggal data DD/MM/YYYY untuk baris tanpa TANGGAL"
            )
            updating.add_argument("--json", action="store_true", help="cetak hasil sebagai JSON")

    def handle(self, *args, kind, file, user=None, village="", update=False, **options):
        if kind in ("members", "welfare"):
            return self._update(kind, Path(file), user, options)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Berkas tidak ada: {file}")
        report_path = options.get("report")
        if report_path and Path(report_path).suffix.lower() not in (".xlsx", ".csv"):
            raise CommandError("--report harus berakhiran .xlsx atau .csv")
        account = None
        if user:
            account = User.objects.filter(username=user, is_active=True).first()
            if account is None:
                raise CommandError(f"Pengguna tidak ada atau tidak aktif: {user}")
            if not account.can_edit_workers:
                raise CommandError(f"Peran {account.get_role_display()} tidak boleh mengimpor.")
        try:
            job, resumed = services.job_for_path(
                path=path,
                user=account,
                update=update,
                village=village,
                batch_rows=options.get("batch_rows"),
            )
        except services.ImportRefused as refusal:
            raise CommandError(file_message(refusal.code, refusal.params)) from refusal
        if resumed:
            self.stderr.write(
                f"Melanjutkan impor #{job.pk} yang terhenti "
                f"({number(job.rows_loaded)} baris sudah tersimpan)."
            )
        show = not options.get("no_progress") and sys.stderr.isatty()
        bar = Bar(self.stderr._out) if show else None
        # SIGTERM (kill, systemd stop) ends like Ctrl+C: the open batch rolls back.
        previous = signal.signal(signal.SIGTERM, _interrupt)
        try:
            job = services.run_job(job.pk, progress=bar)
        except KeyboardInterrupt as exc:
            raise CommandError(
                f"Dihentikan. Batch yang selesai tersimpan; jalankan perintah yang sama lagi "
                f"untuk melanjutkan impor #{job.pk}."
            ) from exc
        finally:
            signal.signal(signal.SIGTERM, previous)
        if report_path:
            report.write_report(job, report_path)
        if options["json"]:
            self.stdout.write(json.dumps(job.summary(), ensure_ascii=False))
        else:
            self.stdout.write(_describe(job))
        if job.status == ImportJob.Status.REFUSED:
            raise CommandError(file_message(job.error_code, job.error_params))

    def _update(self, kind: str, path: Path, user: str | None, options: dict) -> None:
        """``import members`` / ``import welfare``: applied at once, the report printed."""
        if not path.is_file():
            raise CommandError(f"Berkas tidak ada: {path}")
        account = None
        if user:
            account = User.objects.filter(username=user, is_active=True).first()
            if account is None:
                raise CommandError(f"Pengguna tidak ada atau tidak aktif: {user}")
        as_of = None
        if options.get("as_of"):
            as_of = parse_date(options["as_of"])
            if as_of is None:
                raise CommandError("--as-of harus tanggal seperti 30/11/2026.")
        apply = updates.import_member_list if kind == "members" else updates.import_welfare
        try:
            record = apply(
                user=account, content=path.read_bytes(), file_name=path.name, as_of=as_of
            )
        except updates.UpdateRefused as refusal:
            raise CommandError(refusal.message) from refusal
        except PermissionDenied as exc:
            raise CommandError("Hanya admin kabupaten yang boleh mengimpor berkas ini.") from exc
        summary = {
            "id": record.pk,
            "kind": record.kind,
            "rows": record.rows,
            "updated": record.updated,
            "unchanged": record.unchanged,
            "refused": record.refused,
            "report": record.report,
        }
        if options.get("json"):
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
            return
        self.stdout.write(
            f"{record.get_kind_display()} {record.file_name}: {number(record.rows)} baris, "
            f"diperbarui {number(record.updated)}, tetap {number(record.unchanged)}, "
            f"ditolak {number(record.refused)}"
        )
        for problem in record.report:
            self.stdout.write(f"  baris {problem['row']}: {problem['code']}: {problem['message']}")


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _describe(job: ImportJob) -> str:
    lines = [
        f"Impor #{job.pk} {job.get_status_display().lower()}: {job.source_name}",
        f"  baris      {number(job.rows_total)}",
        f"  diterima   {number(job.accepted)} (baru {number(job.created)}, diperbarui "
        f"{number(job.updated)}, tetap {number(job.unchanged)})",
        f"  ditolak    {number(job.rejected)}",
    ]
    for code, count in job.errors_by_code.items():
        lines.append(f"    {code}: {number(count)}")
    for code, count in job.warnings_by_code.items():
        lines.append(f"  peringatan {code}: {number(count)}")
    return "\n".join(lines)
