from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MapsConfig(AppConfig):
    name = "lindung.maps"
    verbose_name = _("Peta wilayah")
