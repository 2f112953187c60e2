"""Admin for the appointments room's reference data: the renewal rules of an authority (which titles are
invited to renew them, how early, when followed up, on or off), edited by its administrator."""

from django.contrib import admin

from willkommen.tenancy.admin import TenantAdmin

from .models import RenewalRule


@admin.register(RenewalRule)
class RenewalRuleAdmin(TenantAdmin):
    capability = "catalogue.edit"
    list_display = ("anliegen", "title_kind", "legal_basis_contains", "lead_weeks", "follow_up_days", "active")
    list_filter = ("active", "title_kind")
