from django.contrib import admin

from lindung.regions.models import CodeChange, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "kind"]
    list_filter = ["level", "kind"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


@admin.register(CodeChange)
class CodeChangeAdmin(admin.ModelAdmin):
    """Read-only: the table follows the pinned lists (``lindung regions load``)."""

    list_display = ["old_code", "old_name", "new_code", "new_name", "level", "recorded_on"]
    list_filter = ["level"]
    search_fields = ["old_code", "new_code", "old_name", "new_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
