"""The access log in the admin: read only (nobody adds, changes or deletes an entry)."""

from django.contrib import admin

from lindung.privacy.models import AccessEntry, SubjectRequest


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessEntry)
class AccessEntryAdmin(ReadOnly):
    list_display = ["at", "username", "kind", "operation", "person_id", "count", "address"]
    list_filter = ["kind"]
    search_fields = ["username", "operation"]


@admin.register(SubjectRequest)
class SubjectRequestAdmin(ReadOnly):
    list_display = ["made_at", "kind", "nik", "made_by", "region_code"]
    list_filter = ["kind"]
