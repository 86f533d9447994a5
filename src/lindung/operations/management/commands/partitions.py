"""``lindung partitions list|create-ahead|detach``: the partitions of the history tables."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lindung.formatting import number
from lindung.operations import partitions as ops


class Command(BaseCommand):
    help = (
        "Partisi tabel riwayat (PostgreSQL): daftar, buat ke depan, lepas dan arsipkan "
        "partisi lama."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="daftar partisi: tabel, rentang, baris (perkiraan), ukuran")
        ahead = sub.add_parser(
            "create-ahead",
            help="buat partisi bulan ini sampai N bulan ke depan bila belum ada (aman diulang)",
        )
        ahead.add_argument("--months", type=int, default=ops.AHEAD_MONTHS)
        detach = sub.add_parser(
            "detach", help="lepas partisi yang seluruhnya sebelum bulan YYYY-MM"
        )
        detach.add_argument("--before", required=True, metavar="YYYY-MM")
        detach.add_argument(
            "--archive",
            type=Path,
            metavar="DIR",
            help="tulis tiap partisi yang dilepas ke DIR/<partisi>.dump (pg_dump), lalu hapus",
        )
        detach.add_argument(
            "--table", action="append", dest="tables", help="hanya tabel ini (boleh berulang)"
        )

    def handle(self, *args, action, **options):
        try:
            if action == "list":
                self._list()
            elif action == "create-ahead":
                self._create_ahead(options["months"])
            else:
                self._detach(options["before"], options["archive"], options["tables"])
        except ops.PartitionError as exc:
            raise CommandError(str(exc)) from exc

    def _list(self):
        if not ops.supported():
            self.stdout.write(_("SQLite: tabel tidak dipartisi."))
            return
        for row in ops.listing():
            self.stdout.write(
                f"{row['table']:<22} {row['name']:<30} {row['period']:<8} "
                f"{number(row['rows']):>12} {number(row['bytes']):>14}"
            )

    def _create_ahead(self, months: int):
        if not ops.supported():
            self.stdout.write(_("SQLite: tabel tidak dipartisi."))
            return
        made = ops.create_ahead(months=months)
        for name in made:
            self.stdout.write(_("Partisi dibuat: %(name)s") % {"name": name})
        self.stdout.write(
            _("%(count)s partisi baru; semua partisi sampai %(months)s bulan ke depan ada.")
            % {"count": number(len(made)), "months": months}
        )

    def _detach(self, before: str, archive: Path | None, tables: list[str] | None):
        done = ops.detach(before, archive=archive, tables=tables)
        for entry in done:
            values = {"name": entry["name"], "rows": number(entry["rows"])}
            if entry["archive"]:
                values["file"] = entry["archive"]
                self.stdout.write(
                    _(
                        "Partisi %(name)s (%(rows)s baris) dilepas dan diarsipkan ke "
                        "%(file)s; tabelnya dihapus dari basis data."
                    )
                    % values
                )
            else:
                self.stdout.write(
                    _(
                        "Partisi %(name)s (%(rows)s baris) dilepas: tabelnya tetap ada di basis "
                        "data tetapi tidak lagi dibaca aplikasi (arsipkan dengan --archive)."
                    )
                    % values
                )
        if not done:
            self.stdout.write(_("Tidak ada partisi sebelum %(month)s.") % {"month": before})
