"""Admin for partner organisations and their accounts (capability ``admin``), scoped to the user's authority.
A partner account is a user of role ``partner`` (made under Users, with its second factor) linked here to its
organisation; only users and organisations of the same authority can be chosen."""

from django.contrib import admin

from willkommen.tenancy.admin import TenantAdmin

from .models import PartnerAccount, PartnerOrganisation


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(TenantAdmin):
    list_display = ("name", "kind", "contact_email", "active")
    list_filter = ("kind", "active")
    search_fields = ("name",)


@admin.register(PartnerAccount)
class PartnerAccountAdmin(TenantAdmin):
    list_display = ("user", "organisation")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        authority_id = request.user.authority_id
        if db_field.name == "user":
            field.queryset = field.queryset.filter(role="partner")
            if not request.user.is_superuser:
                field.queryset = field.queryset.filter(authority_id=authority_id)
        if db_field.name == "organisation" and not request.user.is_superuser:
            field.queryset = field.queryset.filter(authority_id=authority_id)
        return field
