"""``lindung translations compile``: turn the ``.po`` catalogues into ``.mo`` files.

Django's own ``compilemessages`` needs GNU gettext installed on the machine; Babel does
the same in pure Python, so a fresh machine needs nothing more than ``pip``. The ``.mo``
files are build output and are not committed. Each app keeps its own catalogue in
``<app>/locale`` (Django finds those by itself); ``LOCALE_PATHS`` holds the shared one.
"""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand


def catalogue_dirs() -> list[Path]:
    app_dirs = [Path(config.path) / "locale" for config in apps.get_app_configs()]
    own = [d for d in app_dirs if d.is_dir() and str(d).startswith(str(settings.PACKAGE_DIR))]
    return [Path(d) for d in settings.LOCALE_PATHS] + own


class Command(BaseCommand):
    help = "Kompilasi terjemahan (.po → .mo)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("compile")

    def handle(self, *args, action, **options):
        compiled = 0
        for locale_dir in catalogue_dirs():
            for po_path in locale_dir.glob("*/LC_MESSAGES/*.po"):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                with po_path.open("rb") as po_file:
                    catalog = read_po(po_file)
                with mo_path.open("wb") as mo_file:
                    write_mo(mo_file, catalog)
                compiled += 1
        if compiled:
            self.stdout.write(f"{compiled} katalog terjemahan dikompilasi.")
