"""Admin views for inspection. Writes go through the pages and services (counters, history),
so enrollments are read-only here, and read through the same region scope as every page."""

from django.contrib import admin

from lindung.accounts.scope import scoped
from lindung.programs.models import Enrollment, LegalDocument, Program, Transition


@admin.register(LegalDocument)
class LegalDocumentAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "issued_on"]
    search_fields = ["number", "title"]


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "area", "funder", "budget", "committed"]
    list_filter = ["year", "funder"]
    search_fields = ["name"]
    readonly_fields = ["committed", "area", "sponsored_months", "quota_per_village"]
    filter_horizontal = ["legal_basis"]


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    can_delete = False
    readonly_fields = ["from_state", "to_state", "at", "by", "reason", "via"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["person", "program", "round", "village", "state", "kpj", "coverage_end"]
    list_filter = ["state", "program"]
    search_fields = ["person__nik", "person__full_name", "kpj"]
    list_select_related = ["person", "program", "round", "village"]
    inlines = [TransitionInline]

    def get_queryset(self, request):
        return scoped(request.user, super().get_queryset(request))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
