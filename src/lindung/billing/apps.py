from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "lindung.billing"
    verbose_name = _("Tagihan, pembayaran dan realisasi anggaran")
