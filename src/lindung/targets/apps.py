from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    name = "lindung.targets"
    verbose_name = _("Target dan angkatan kerja")
