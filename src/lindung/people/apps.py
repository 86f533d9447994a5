from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


def _sqlite_similarity(sender, connection, **kwargs):
    """SQLite has no ``pg_trgm``: the same ``similarity()`` from Python (``people.names``),
    so the duplicate check's one query runs unchanged and flags the same pairs."""
    if connection.vendor == "sqlite":
        from lindung.people.names import similarity

        connection.connection.create_function("similarity", 2, similarity, deterministic=True)


class PeopleConfig(AppConfig):
    name = "lindung.people"
    verbose_name = _("Registri pekerja")

    def ready(self) -> None:
        connection_created.connect(_sqlite_similarity, dispatch_uid="people_sqlite_similarity")
