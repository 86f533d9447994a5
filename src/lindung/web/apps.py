import gc

from django.apps import AppConfig
from django.conf import settings
from django.core.signals import request_finished
from django.utils.translation import gettext_lazy as _


def _freeze_once(**kwargs):
    """After the first request (the URLconf, the API's schemas and the templates are loaded
    by then), move every object alive into the collector's permanent generation."""
    request_finished.disconnect(_freeze_once, dispatch_uid="lindung-gc-freeze")
    gc.collect()
    gc.freeze()


class WebConfig(AppConfig):
    name = "lindung.web"
    verbose_name = _("Tampilan")

    def ready(self):
        # The objects a process holds once it has served a request (Django, the apps, their
        # libraries: ~500,000) are kept out of the garbage collector's full passes. Without
        # this, every few requests a full pass walks all of them (~70 ms on this machine)
        # inside whichever request set it off: the dashboards' p95 was twice their median.
        # ``LINDUNG_GC_FREEZE = False`` turns it off.
        if getattr(settings, "LINDUNG_GC_FREEZE", True):
            request_finished.connect(_freeze_once, dispatch_uid="lindung-gc-freeze")
