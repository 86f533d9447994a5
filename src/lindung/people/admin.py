from django.contrib import admin

from lindung.accounts.scope import scoped
from lindung.people.models import Occupation, Person


@admin.register(Occupation)
class OccupationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "name_en", "is_transport", "is_active"]
    list_editable = ["is_active"]
    search_fields = ["name", "code"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    """The admin reads personal data through the same region scope as every page."""

    list_display = ["full_name", "nik", "village", "category", "segment"]
    list_filter = ["category", "segment", "sex"]
    search_fields = ["nik", "full_name"]
    raw_id_fields = ["village", "created_by"]
    list_select_related = ["village"]

    def get_queryset(self, request):
        return scoped(request.user, super().get_queryset(request))
