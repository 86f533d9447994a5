from django.contrib import admin

from lindung.contributions.models import BpuRateVersion


@admin.register(BpuRateVersion)
class BpuRateVersionAdmin(admin.ModelAdmin):
    list_display = [
        "effective_from",
        "jkk_rate_bp",
        "jkk_min",
        "jkk_max",
        "jkm_amount",
        "jht_rate_bp",
        "legal_basis",
    ]
