"""``lindung bpjs``: make a submission batch, write its registration file, import the
insurer's answer file."""

import json
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError
from django.http import Http404
from django.utils import timezone

from lindung.bpjs import files, selectors, services
from lindung.privacy.history import TrackedCommand
from lindung.programs import selectors as programs
from lindung.programs.management.commands.programs import _user
from lindung.uploads import check_size


class Command(TrackedCommand):
    help = "Berkas BPJS Ketenagakerjaan: unduh berkas pendaftaran batch, impor jawaban."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="berkas pendaftaran (XLSX) sebuah batch")
        export.add_argument("--program", type=int, required=True)
        export.add_argument("--batch", type=int, required=True, help="nomor batch di program")
        export.add_argument("--out", required=True)
        export.add_argument("--user")
        batch = sub.add_parser("batch", help="buat batch pengajuan dari pekerja terverifikasi")
        batch.add_argument("--program", type=int, required=True)
        batch.add_argument("--round", type=int, help="nomor putaran (bawaan: semua)")
        batch.add_argument("--village", default="", help="kode desa (bawaan: seluruh wilayah)")
        batch.add_argument("--note", default="")
        batch.add_argument("--user")
        batch.add_argument("--json", action="store_true")
        answer = sub.add_parser("import-answer", help="impor jawaban BPJS (XLSX/CSV)")
        answer.add_argument("file")
        answer.add_argument("--program", type=int, required=True)
        answer.add_argument("--user")
        answer.add_argument("--json", action="store_true")

    def handle(self, *args, action, **options):
        user = _user(options.get("user"))
        try:
            program = programs.get_program(user, options["program"])
            if action == "export":
                self._export(user, program, options["batch"], Path(options["out"]))
            elif action == "batch":
                self._batch(user, program, options)
            else:
                self._import(user, program, Path(options["file"]), as_json=options["json"])
        except Http404 as exc:
            raise CommandError("Program atau batch tidak ada (atau di luar wilayah).") from exc
        except PermissionDenied as exc:
            raise CommandError("Peran pengguna ini tidak boleh melakukannya.") from exc

    def _export(self, user, program, number: int, out: Path) -> None:
        batch = program.submission_batches.filter(number=number).first()
        if batch is None:
            raise Http404
        batch = selectors.get_batch(user, program, batch.pk)
        entries = list(selectors.batch_entries(user, batch))
        out.write_bytes(
            files.registration_workbook(
                batch, entries, program=program, generated_at=timezone.localtime()
            )
        )
        self.stdout.write(f"{len(entries)} peserta ditulis ke {out}.")

    def _batch(self, user, program, options: dict) -> None:
        try:
            batch = services.create_batch(
                user=user,
                program=program,
                round_number=options.get("round"),
                village=options.get("village", ""),
                note=options.get("note", ""),
            )
        except services.NothingToSubmit as refusal:
            raise CommandError(refusal.message) from refusal
        summary = {
            "program_id": program.pk,
            "number": batch.number,
            "label": batch.label,
            "entries": batch.entries.count(),
        }
        if options.get("json"):
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        else:
            self.stdout.write(
                f"Batch {batch.label} dibuat: {summary['entries']} peserta. Unduh berkasnya "
                f"dengan: lindung bpjs export --program {program.pk} --batch {batch.number} "
                "--out BERKAS.xlsx"
            )

    def _import(self, user, program, path: Path, *, as_json: bool) -> None:
        if not path.is_file():
            raise CommandError(f"Berkas {path} tidak ada.")
        try:
            check_size(path.stat().st_size, refuse=files.AnswerFileInvalid)
            record = services.import_answer(
                user=user, program=program, content=path.read_bytes(), file_name=path.name
            )
        except files.AnswerFileInvalid as error:
            raise CommandError(error.message) from error
        summary = {
            "rows": record.rows,
            "activated": record.activated,
            "rejected": record.rejected,
            "unchanged": record.unchanged,
            "unknown": record.unknown,
            "invalid": record.invalid,
            "problems": record.report,
        }
        if as_json:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
            return
        self.stdout.write(
            f"{record.rows} baris: {record.activated} aktif, {record.rejected} ditolak, "
            f"{record.unchanged} tidak berubah, {record.unknown} NIK tidak dikenal, "
            f"{record.invalid} baris salah."
        )
        for problem in record.report:
            self.stdout.write(f"  baris {problem['row']}: {problem['code']} — {problem['message']}")
