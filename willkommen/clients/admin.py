"""Admin for persons (capability ``clients.edit``), scoped to the user's authority. Opening a person's
page in the admin is a read of client data and is written to the audit log."""

from django.contrib import admin

from willkommen.audit.services import record_read
from willkommen.tenancy.admin import TenantAdmin, TenantInlineMixin

from .models import Person, PersonAlias, ResidenceEntry


class PersonAliasInline(TenantInlineMixin, admin.TabularInline):
    capability = "clients.edit"
    model = PersonAlias
    extra = 0


class ResidenceEntryInline(TenantInlineMixin, admin.TabularInline):
    capability = "clients.edit"
    model = ResidenceEntry
    extra = 0
    fields = ("kind", "legal_basis", "valid_from", "valid_to", "conditions", "document_number", "issued_by")


@admin.register(Person)
class PersonAdmin(TenantAdmin):
    capability = "clients.edit"
    list_display = ("family_name", "given_names", "date_of_birth", "nationalities", "preferred_language")
    search_fields = ("family_name", "given_names", "family_name_native", "given_names_native", "email")
    list_filter = ("preferred_language", "preferred_channel", "interpreter_needed")
    inlines = [PersonAliasInline, ResidenceEntryInline]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        original = (getattr(response, "context_data", None) or {}).get("original")
        if original is not None and request.method == "GET":
            record_read(request, original, authority=original.authority, purpose="admin: person record")
        return response
