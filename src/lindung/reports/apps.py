from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "lindung.reports"
    verbose_name = _("Laporan Inpres 2/2021 dan dokumen penghargaan")
