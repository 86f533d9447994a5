from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from lindung.regions.services import load_official_regions


class Command(BaseCommand):
    help = "Memuat wilayah resmi Kemendagri (regions load)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="muat semua provinsi, kabupaten/kota, kecamatan, desa")

    def handle(self, *args, action, **options):
        result = load_official_regions()
        self.stdout.write(
            _("%(total)s wilayah dimuat dalam %(seconds).1f detik.")
            % {"total": f"{result.total:,}".replace(",", "."), "seconds": result.seconds}
        )
