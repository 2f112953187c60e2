from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from willkommen.core.admin import AuthorityScopedAdmin
from willkommen.tenancy.admin import CapabilityAdmin

from .models import Membership, User

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
