from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgentsConfig(AppConfig):
    name = "lindung.agents"
    verbose_name = _("Agen Perisai")

    def ready(self) -> None:
        from lindung.agents import signals  # noqa: F401  (connects the receivers)
