from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "lindung.privacy"
    verbose_name = _("Privasi data pribadi")

    def ready(self) -> None:
        from lindung.privacy import history

        history.connect()
