"""``lindung serve``: the production server (granian, WSGI), not Django's runserver.

By default one server process per CPU (``LINDUNG_WORKERS`` or ``--workers`` to choose),
each with ``LINDUNG_THREADS`` threads. The processes add up their request counters for
``/metrics`` in ``var/prometheus`` (set up by ``lindung.cli`` before Django starts).
"""

import os

from django.core.management import call_command
from django.core.management.base import BaseCommand


def default_workers() -> int:
    return int(os.environ.get("LINDUNG_WORKERS") or os.cpu_count() or 1)


class Command(BaseCommand):
    help = "Jalankan server web (granian). Alamat dari --host/--port atau HOST/PORT."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=default_workers())
        parser.add_argument("--no-collectstatic", action="store_true")

    def handle(self, *args, host, port, workers, no_collectstatic, **options):
        from granian import Granian
        from granian.constants import Interfaces

        if not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(
            f"Lindung berjalan di http://{host}:{port}/ ({workers} proses; Ctrl+C untuk berhenti)"
        )
        self.stdout.flush()
        Granian(
            "lindung.wsgi:application",
            address=host,
            port=port,
            interface=Interfaces.WSGI,
            workers=workers,
            blocking_threads=int(os.environ.get("LINDUNG_THREADS", "4")),
        ).serve()
