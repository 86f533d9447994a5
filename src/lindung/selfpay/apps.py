from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelfpayConfig(AppConfig):
    name = "lindung.selfpay"
    verbose_name = _("Iuran mandiri lanjutan, setoran dan imbal jasa agen")
