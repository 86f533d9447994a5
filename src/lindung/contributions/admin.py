"""The system admin keeps the rate tables here: a change is a new version, old ones stay.

A saved version's figures and date cannot be changed or deleted (bills were priced on
them); only its legal basis and notes can be completed. A correction is a new version.
"""

from django.contrib import admin

from lindung.contributions.models import BpuRateVersion, PuRateVersion, ReliefRule, WageCap


class VersionAdmin(admin.ModelAdmin):
    editable_after_save = ("legal_basis", "notes")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ("created_at",)
        return [f.name for f in self.model._meta.fields if f.name not in self.editable_after_save]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BpuRateVersion)
class BpuRateVersionAdmin(VersionAdmin):
    list_display = [
        "effective_from",
        "jkk_rate_bp",
        "jkk_min",
        "jkk_max",
        "jkm_amount",
        "jht_rate_bp",
        "legal_basis",
    ]


@admin.register(PuRateVersion)
class PuRateVersionAdmin(VersionAdmin):
    list_display = [
        "effective_from",
        "jkk_class1_bp",
        "jkk_class5_bp",
        "jkm_bp",
        "jht_employer_bp",
        "jp_employer_bp",
        "jkp_government_bp",
        "legal_basis",
    ]


@admin.register(WageCap)
class WageCapAdmin(VersionAdmin):
    list_display = ["program", "effective_from", "amount", "legal_basis"]
    list_filter = ["program"]


@admin.register(ReliefRule)
class ReliefRuleAdmin(VersionAdmin):
    list_display = [
        "code",
        "legal_basis",
        "segment",
        "discount_bp",
        "first_month",
        "last_month",
        "participants",
    ]
