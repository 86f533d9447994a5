from django.utils.translation import gettext as _

from lindung.privacy.history import TrackedCommand
from lindung.regions.services import load_official_regions


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


class Command(TrackedCommand):
    help = "Memuat wilayah resmi Kemendagri terkini (regions load): baru, ganti nama, pindah kode."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "load",
            help="muat semua provinsi, kabupaten/kota, kecamatan, desa; catatan di wilayah "
            "yang pindah kode ikut pindah",
        )

    def handle(self, *args, action, **options):
        result = load_official_regions()
        self.stdout.write(
            _("%(total)s wilayah dimuat dalam %(seconds).1f detik.")
            % {"total": _number(result.total), "seconds": result.seconds}
        )
        if not result.changed:
            self.stdout.write(_("Tidak ada perubahan: wilayah sudah sesuai daftar terkini."))
            return
        lines = [
            ("added", _("Ditambah"), result.added),
            ("renamed", _("Ganti nama"), result.renamed),
            ("respelled", _("Penulisan nama diperbarui"), result.respelled),
            ("moved", _("Pindah kode"), result.moved),
            ("removed", _("Dihapus (tidak ada lagi, tidak dipakai)"), result.removed),
            ("kept", _("Tidak ada lagi tetapi masih dipakai catatan (disimpan)"), result.kept),
        ]
        for kind, label, count in lines:
            if not count:
                continue
            self.stdout.write(f"{label}: {_number(count)}")
            for sample in result.samples.get(kind, []):
                self.stdout.write(f"  - {sample}")
        if result.changes_recorded:
            self.stdout.write(
                _("Tabel kode lama → kode baru: %(count)s baris dicatat.")
                % {"count": _number(result.changes_recorded)}
            )
        for label, count in sorted(result.records_moved.items()):
            self.stdout.write(
                _("Catatan ikut pindah kode: %(model)s %(count)s")
                % {"model": label, "count": _number(count)}
            )
        if result.records_moved:
            # The dashboards' summary is kept per village code; the regions know nothing
            # of it (they are the lowest layer), so the command says what to run.
            self.stdout.write(
                _("Jalankan lindung coverage rebuild agar ringkasan dasbor memakai kode baru.")
            )
