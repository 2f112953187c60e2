from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from willkommen.core.admin import AuthorityScopedAdmin

from .models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("team", "is_lead", "authority")


@admin.register(User)
class StaffAdmin(AuthorityScopedAdmin, UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "authority", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = UserAdmin.fieldsets + (
        ("Willkommen", {"fields": ("authority", "role", "phone", "contact_hours", "languages")}),
    )
    inlines = [MembershipInline]
