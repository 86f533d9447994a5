from django.core.management.base import CommandError

from lindung.demo.services import DEMO_PASSWORD, load_demo
from lindung.privacy.history import TrackedCommand
from lindung.regions.models import Region


class Command(TrackedCommand):
    help = "Muat data demo (demo load): pengguna per peran dan pekerja contoh. Aman diulang."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load")
        load.add_argument("--per-village", type=int, default=5)

    def handle(self, *args, action, per_village, **options):
        if not Region.objects.filter(code="51.04").exists():
            raise CommandError("Wilayah belum dimuat: jalankan dulu `lindung regions load`.")
        result = load_demo(per_village=per_village)
        self.stdout.write(
            f"Pekerja demo: {result.workers_created} baru, {result.workers_total} total."
        )
        self.stdout.write(f"Pengguna demo (kata sandi semua: {DEMO_PASSWORD}):")
        for username, role, region in result.users:
            self.stdout.write(f"  {username:<24} {role:<18} {region}")
