"""Read-only admin of the audit log, scoped to the user's authority (capability ``audit.view``)."""

from django.contrib import admin

from willkommen.core.admin import AuthorityScopedAdmin
from willkommen.tenancy.admin import CapabilityAdmin

from .models import AuditEntry, RetentionRun


@admin.register(AuditEntry)
class AuditEntryAdmin(CapabilityAdmin, AuthorityScopedAdmin, admin.ModelAdmin):
    capability = "audit.view"
    read_only = True
    list_display = ("at", "actor_label", "action", "person_id", "object_type", "object_id", "purpose")
    list_filter = ("action",)
    search_fields = ("actor_label", "object_id", "purpose")
    date_hierarchy = "at"
    actions = None

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]


@admin.register(RetentionRun)
class RetentionRunAdmin(CapabilityAdmin, AuthorityScopedAdmin, admin.ModelAdmin):
    """The recorded retention runs (also on the desk page /desk/audit/retention/), read-only."""

    capability = "audit.view"
    read_only = True
    list_display = ("room", "started_at", "finished_at", "status", "deleted")
    list_filter = ("room", "status")
    date_hierarchy = "started_at"
    actions = None

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]
