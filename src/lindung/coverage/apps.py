from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoverageConfig(AppConfig):
    name = "lindung.coverage"
    verbose_name = _("Ringkasan cakupan")

    def ready(self):
        from django.db.models.signals import post_migrate

        from lindung.coverage.tasks import schedule_refresh
        from lindung.coverage.triggers import restore_sqlite_triggers
        from lindung.signals import records_changed

        records_changed.connect(schedule_refresh, dispatch_uid="coverage.schedule_refresh")
        post_migrate.connect(
            restore_sqlite_triggers, sender=self, dispatch_uid="coverage.restore_triggers"
        )
