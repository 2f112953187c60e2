from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from willkommen.core import forms
from willkommen.core.admin import AuthorityScopedAdmin
from willkommen.tenancy.admin import CapabilityAdmin, TenantAdmin, TenantInlineMixin

from .models import ClientIdentityProvider, GroupMapping, Membership, StaffIdentityProvider, User

# Fields only a platform superuser may change: an authority's administrator must not be able to
# raise anybody (themselves included) above the authority, nor move staff to another authority.
SUPERUSER_ONLY = ("is_superuser", "groups", "user_permissions", "authority", "last_login", "date_joined")


class MembershipInline(CapabilityAdmin, admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("team", "is_lead")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "team" and not request.user.is_superuser:
            field.queryset = field.queryset.filter(authority_id=request.user.authority_id)
        return field


@admin.register(User)
class StaffAdmin(CapabilityAdmin, AuthorityScopedAdmin, UserAdmin):
    capability = "admin"
    list_display = ("username", "first_name", "last_name", "role", "authority", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = UserAdmin.fieldsets + (
        ("Willkommen", {"fields": ("authority", "role", "phone", "contact_hours", "languages")}),
    )
    inlines = [MembershipInline]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return fields
        return tuple(fields) + SUPERUSER_ONLY

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, Membership):
                instance.authority_id = form.instance.authority_id
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


class IdentityProviderForm(forms.ModelForm):
    """The client secret is written here and never shown again: an empty field keeps the stored one."""

    client_secret = forms.CharField(
        label=_("client secret"),
        required=False,
        max_length=500,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Stored and never shown again. Leave empty to keep the stored secret."),
    )

    class Meta:
        model = StaffIdentityProvider
        fields = (
            "authority",
            "name",
            "enabled",
            "issuer",
            "client_id",
            "scopes",
            "match_claim",
            "match_field",
            "provision",
            "groups_claim",
            "accepted_acr",
            "accepted_amr",
        )

    def save(self, commit=True):
        if self.cleaned_data.get("client_secret"):
            self.instance.client_secret = self.cleaned_data["client_secret"]
        return super().save(commit)


class GroupMappingInline(TenantInlineMixin, admin.TabularInline):
    model = GroupMapping
    extra = 1
    fields = ("group", "role", "team", "is_lead", "position")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "team" and not request.user.is_superuser:
            field.queryset = field.queryset.filter(authority_id=request.user.authority_id)
        return field


class ProviderAdmin(TenantAdmin):
    """The authority field only for superusers (an administrator's provider is their authority's)."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [(name, {**opts, "fields": [f for f in opts["fields"] if f != "authority"]}) for name, opts in fieldsets]


@admin.register(StaffIdentityProvider)
class StaffIdentityProviderAdmin(ProviderAdmin):
    form = IdentityProviderForm
    list_display = ("name", "issuer", "client_id", "enabled")
    list_filter = ("enabled",)
    inlines = [GroupMappingInline]
    fieldsets = (
        (None, {"fields": ("authority", "name", "enabled")}),
        (_("Connection"), {"fields": ("issuer", "client_id", "client_secret", "scopes")}),
        (_("Staff accounts"), {"fields": ("match_claim", "match_field", "provision", "groups_claim")}),
        (_("Second factor"), {"fields": ("accepted_acr", "accepted_amr")}),
    )


class ClientIdentityProviderForm(IdentityProviderForm):
    class Meta:
        model = ClientIdentityProvider
        fields = (
            "authority",
            "name",
            "enabled",
            "issuer",
            "client_id",
            "scopes",
            "acr_high",
            "acr_substantial",
            "place_of_birth_claim",
        )


@admin.register(ClientIdentityProvider)
class ClientIdentityProviderAdmin(ProviderAdmin):
    form = ClientIdentityProviderForm
    list_display = ("name", "issuer", "client_id", "enabled")
    list_filter = ("enabled",)
    fieldsets = (
        (None, {"fields": ("authority", "name", "enabled")}),
        (_("Connection"), {"fields": ("issuer", "client_id", "client_secret", "scopes")}),
        (_("Trust levels and attributes"), {"fields": ("acr_high", "acr_substantial", "place_of_birth_claim")}),
    )
