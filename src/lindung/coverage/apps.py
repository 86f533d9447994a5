from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The models, besides the summary, whose rows the dashboards' figures are read from.
FIGURE_SOURCES = (
    "targets.Target",
    "targets.WorkforceFigure",
    "targets.ReportedCoverage",
    "programs.Program",
    "programs.AgreedListVersion",
    "billing.Payment",
    "billing.RunBill",
    "billing.Bill",
    "billing.BillingRun",
    "claims.Claim",
    "employers.Employer",
    "employers.Action",
)


class CoverageConfig(AppConfig):
    name = "lindung.coverage"
    verbose_name = _("Ringkasan cakupan")

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save

        from lindung.coverage import cache
        from lindung.coverage.tasks import schedule_refresh
        from lindung.coverage.triggers import restore_sqlite_triggers
        from lindung.signals import records_changed

        records_changed.connect(schedule_refresh, dispatch_uid="coverage.schedule_refresh")
        # What the dashboards show besides the summary: a change to any of it makes the
        # figures kept in the cache old (the summary's own refresh says so itself).
        records_changed.connect(cache.bump, dispatch_uid="coverage.bump")
        for label in FIGURE_SOURCES:
            try:
                model = self.apps.get_model(label)
            except LookupError:  # that app is not installed: nothing of it is shown
                continue
            for signal in (post_save, post_delete):
                signal.connect(cache.bump, sender=model, dispatch_uid=f"coverage.bump.{label}")
        post_migrate.connect(
            restore_sqlite_triggers, sender=self, dispatch_uid="coverage.restore_triggers"
        )
