"""Admin for the tenancy room: an authority's administrator edits their own locations, teams and rules.

``CapabilityAdmin`` (also used by the catalogue, clients and audit admins) grants the admin pages by
capability (accounts/roles.py) instead of Django model permissions, so an administrator needs no
per-model permission rows; superusers may do everything.
"""

from django.contrib import admin

from willkommen.core.admin import AuthorityScopedAdmin
from willkommen.core.forms import with_text_rules

from .models import Authority, AuthorityText, Closure, Location, OpeningHours, RoutingRule, Team, TeamText


class CapabilityAdmin:
    """Admin mixin: view/add/change/delete allowed to superusers and to users with ``capability``."""

    capability = "admin"
    read_only = False

    def _allowed(self, request):
        user = request.user
        return user.is_active and (user.is_superuser or (user.authority_id is not None and user.can(self.capability)))

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request, *args):
        return not self.read_only and self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return not self.read_only and self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return not self.read_only and self._allowed(request)

    # Text typed in the admin follows the same rules as every form (core.text): no line breaks in
    # one-line fields, no control or bidi override characters.
    def get_form(self, request, obj=None, **kwargs):
        return with_text_rules(super().get_form(request, obj, **kwargs))

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = with_text_rules(formset.form)
        return formset


class TenantInlineMixin(CapabilityAdmin):
    """Inline rows get the parent's authority (the field is not shown); allowed by the same capability
    as their parent admin (set ``capability`` alike)."""

    exclude = ("authority",)


def fill_authority(formset, authority_id):
    """Set ``authority`` on new inline rows before they are saved."""
    instances = formset.save(commit=False)
    for obj in formset.deleted_objects:
        obj.delete()
    for obj in instances:
        if getattr(obj, "authority_id", None) is None:
            obj.authority_id = authority_id
        obj.save()
    formset.save_m2m()


class TenantAdmin(CapabilityAdmin, AuthorityScopedAdmin, admin.ModelAdmin):
    """Scoped to the user's authority; the authority field is only shown to superusers."""

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        if not request.user.is_superuser:
            exclude.append("authority")
        return exclude

    def save_formset(self, request, form, formset, change):
        fill_authority(formset, form.instance.authority_id)


class AuthorityTextInline(CapabilityAdmin, admin.StackedInline):
    """The authority's client-facing texts in the other languages (German is on the authority)."""

    model = AuthorityText
    extra = 0


class TeamTextInline(TenantInlineMixin, admin.StackedInline):
    model = TeamText
    extra = 0


@admin.register(Authority)
class AuthorityAdmin(CapabilityAdmin, admin.ModelAdmin):
    """An administrator sees and edits only their own authority; only superusers add or delete one.
    The phone and consultation hours are German here; the other languages are rows below."""

    inlines = [AuthorityTextInline]

    list_display = ("name", "slug", "federal_state", "city")
    search_fields = ("name", "slug")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.filter(pk=request.user.authority_id)

    def get_readonly_fields(self, request, obj=None):
        return () if request.user.is_superuser else ("slug", "hostnames")

    def has_add_permission(self, request, *args):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class OpeningHoursInline(TenantInlineMixin, admin.TabularInline):  # capability "admin" like LocationAdmin
    model = OpeningHours
    extra = 0


@admin.register(Location)
class LocationAdmin(TenantAdmin):
    list_display = ("name", "city", "waiting_room_cap", "active")
    list_filter = ("active",)
    inlines = [OpeningHoursInline]


@admin.register(Closure)
class ClosureAdmin(TenantAdmin):
    list_display = ("starts_on", "ends_on", "location", "reason")
    date_hierarchy = "starts_on"


class RoutingRuleInline(TenantInlineMixin, admin.TabularInline):
    model = RoutingRule
    extra = 0
    fk_name = "team"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "anliegen" and not request.user.is_superuser:
            field.queryset = field.queryset.filter(authority_id=request.user.authority_id)
        return field


@admin.register(Team)
class TeamAdmin(TenantAdmin):
    list_display = ("name", "email", "is_special_task_area")
    list_filter = ("is_special_task_area",)
    search_fields = ("name",)
    inlines = [TeamTextInline, RoutingRuleInline]


@admin.register(RoutingRule)
class RoutingRuleAdmin(TenantAdmin):
    list_display = ("priority", "team", "anliegen", "nationalities", "surname_from", "surname_to", "special_task")
    list_select_related = ("team", "anliegen")
    ordering = ("priority", "id")
