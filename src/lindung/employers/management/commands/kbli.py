import json
from pathlib import Path

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.employers.kbli import KbliFileRefused
from lindung.employers.services import load_kbli
from lindung.privacy.history import TrackedCommand


class Command(TrackedCommand):
    help = (
        "Memuat daftar kode KBLI 2020 (5 angka) dari tabel terbitan BPS (kbli load FILE): "
        "kode baru ditambah, judul yang berubah diperbarui, tidak ada yang dihapus."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="muat tabel KBLI 2020 (CSV/XLSX: kolom kode, judul)")
        load.add_argument("file", help="berkas CSV atau XLSX dari BPS")
        load.add_argument(
            "--json", action="store_true", dest="as_json", help="laporan sebagai JSON"
        )

    def handle(self, *args, action, file, as_json=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("Berkas tidak ditemukan: %(path)s") % {"path": file})
        try:
            result = load_kbli(path.read_bytes(), path.name, now=timezone.now())
        except KbliFileRefused as refused:
            raise CommandError(f"[{refused.code}] {refused.message}") from refused
        if as_json:
            self._write_json(result)
        else:
            self._write_text(result)
        if not result.ok:
            raise CommandError(_("Tidak ada kode yang dimuat: perbaiki baris di atas."))

    def _write_json(self, result) -> None:
        problems = [
            {"row": p.row, "column": p.column, "code": p.code, "value": p.value,
             "message": p.message}
            for p in result.problems
        ]  # fmt: skip
        report = {
            "ok": result.ok,
            "added": result.added,
            "retitled": result.retitled,
            "unchanged": result.unchanged,
            "levels_above": result.above,
            "retitled_samples": result.samples or [],
            "problems": problems,
        }
        self.stdout.write(json.dumps(report, ensure_ascii=False))

    def _write_text(self, result) -> None:
        for problem in result.problems:
            self.stdout.write(
                _("Baris %(row)s, kolom %(column)s: %(message)s")
                % {"row": problem.row, "column": problem.column, "message": problem.message}
            )
        if not result.ok:
            return
        self.stdout.write(
            _(
                "KBLI 2020: %(added)s kode baru, %(retitled)s judul diperbarui, %(unchanged)s "
                "tetap; %(above)s baris tingkat di atas kelompok (kategori sampai subgolongan) "
                "dilewati."
            )
            % {
                "added": result.added,
                "retitled": result.retitled,
                "unchanged": result.unchanged,
                "above": result.above,
            }
        )
        for sample in result.samples or []:
            self.stdout.write(f"  - {sample}")
