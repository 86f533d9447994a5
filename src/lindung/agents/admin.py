from django.contrib import admin

from lindung.accounts.scope import scoped
from lindung.agents.models import Agent, Agreement, Contact, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "regency", "parent", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["name"]
    raw_id_fields = ["regency", "parent", "created_by"]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["number", "organisation", "start_date", "end_date"]
    raw_id_fields = ["organisation", "created_by"]


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin):
    list_display = ["full_name", "organisation", "regency", "status", "last_activity_on"]
    list_filter = ["status", "is_coordinator"]
    search_fields = ["full_name", "code"]
    raw_id_fields = ["organisation", "regency", "user", "created_by"]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["enrollment", "agent", "outcome", "contacted_on"]
    list_filter = ["outcome"]
    raw_id_fields = ["enrollment", "agent", "village", "created_by"]

    def get_queryset(self, request):
        return scoped(request.user, super().get_queryset(request))
