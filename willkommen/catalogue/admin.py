"""Admin for the catalogue: an authority's administrator edits their own Anliegen with texts, questions
and checklist items, and copies entries of other authorities from the read-only "shared catalogue"
(good practice shared between authorities) with ``copy_anliegen``."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from willkommen.tenancy.admin import TenantAdmin, TenantInlineMixin

from .models import Anliegen, AnliegenText, ChecklistItem, ChecklistItemText, Question, QuestionText
from .services import copy_anliegen
from .texts import pick

CAPABILITY = "catalogue.edit"


class AnliegenTextInline(TenantInlineMixin, admin.StackedInline):
    capability = CAPABILITY
    model = AnliegenText
    extra = 0
    fields = (("language", "version", "status"), "title", "summary")


class QuestionInline(TenantInlineMixin, admin.TabularInline):
    capability = CAPABILITY
    model = Question
    extra = 0
    fields = ("key", "kind", "options", "order")
    show_change_link = True


class ChecklistItemInline(TenantInlineMixin, admin.TabularInline):
    capability = CAPABILITY
    model = ChecklistItem
    extra = 0
    fields = ("key", "document_type", "condition", "required", "order")
    show_change_link = True


def copy_to_my_authority(modeladmin, request, queryset):
    """Admin action: deep-copy the selected Anliegen into the user's own authority."""
    authority = request.user.authority
    if authority is None:
        modeladmin.message_user(request, _("Your account belongs to no authority."), messages.ERROR)
        return None
    copies = [copy_anliegen(source, authority) for source in queryset.order_by("authority_id", "order", "slug")]
    modeladmin.message_user(
        request,
        ngettext(
            "Copied %(count)d entry into your catalogue: %(slugs)s.",
            "Copied %(count)d entries into your catalogue: %(slugs)s.",
            len(copies),
        )
        % {"count": len(copies), "slugs": ", ".join(c.slug for c in copies)},
        messages.SUCCESS,
    )
    return None


copy_to_my_authority.short_description = _("Copy to my authority")


@admin.register(Anliegen)
class AnliegenAdmin(TenantAdmin):
    capability = CAPABILITY
    list_display = ("slug", "title", "legal_basis", "fee_eur", "complexity", "way_in", "active", "order")
    list_filter = ("active", "complexity", "way_in", "discretionary")
    search_fields = ("slug", "legal_basis", "texts__title")
    ordering = ("order", "slug")
    readonly_fields = ("copied_from",)
    inlines = [AnliegenTextInline, QuestionInline, ChecklistItemInline]
    actions = [copy_to_my_authority]
    change_list_template = "admin/catalogue/anliegen/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("texts")

    @admin.display(description=_("title"))
    def title(self, obj):
        text = pick(obj.texts.all(), get_language() or "de")
        return text.title if text else ""

    def get_urls(self):
        urls = [
            path(
                "shared/",
                self.admin_site.admin_view(self.shared_view),
                name="catalogue_anliegen_shared",
            )
        ]
        return urls + super().get_urls()

    def shared_queryset(self, request):
        """Every other authority's Anliegen (read-only good practice to copy from)."""
        qs = Anliegen.objects.select_related("authority").prefetch_related(
            Prefetch("texts", queryset=AnliegenText.objects.filter(status="public"))
        )
        if request.user.authority_id is not None:
            qs = qs.exclude(authority_id=request.user.authority_id)
        return qs.order_by("authority__name", "order", "slug")

    def shared_view(self, request):
        """The shared catalogue: other authorities' entries, read-only, with "copy to my authority"."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            ids = [value for value in request.POST.getlist("ids") if value.isdigit()]
            selected = self.shared_queryset(request).filter(pk__in=ids)
            if not selected:
                self.message_user(request, _("Select at least one entry to copy."), messages.WARNING)
                return HttpResponseRedirect(request.path)
            copy_to_my_authority(self, request, selected)
            return HttpResponseRedirect(reverse(f"{self.admin_site.name}:catalogue_anliegen_changelist"))
        language = get_language() or "de"
        rows = []
        for anliegen in self.shared_queryset(request):
            text = pick(anliegen.texts.all(), language)
            rows.append({"obj": anliegen, "title": text.title if text else anliegen.slug})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Shared catalogue of other authorities"),
            "rows": rows,
            "can_copy": request.user.authority_id is not None,
        }
        return TemplateResponse(request, "admin/catalogue/anliegen/shared.html", context)


class QuestionTextInline(TenantInlineMixin, admin.TabularInline):
    capability = CAPABILITY
    model = QuestionText
    extra = 0
    fields = ("language", "version", "status", "text", "help_text", "option_labels")


@admin.register(Question)
class QuestionAdmin(TenantAdmin):
    capability = CAPABILITY
    list_display = ("key", "anliegen", "kind", "order")
    list_filter = ("kind",)
    list_select_related = ("anliegen",)
    search_fields = ("key", "anliegen__slug")
    inlines = [QuestionTextInline]


class ChecklistItemTextInline(TenantInlineMixin, admin.StackedInline):
    capability = CAPABILITY
    model = ChecklistItemText
    extra = 0
    fields = (("language", "version", "status"), "title", "explanation")


@admin.register(ChecklistItem)
class ChecklistItemAdmin(TenantAdmin):
    capability = CAPABILITY
    list_display = ("key", "anliegen", "document_type", "condition", "required", "order")
    list_filter = ("required", "document_type")
    list_select_related = ("anliegen",)
    search_fields = ("key", "anliegen__slug")
    inlines = [ChecklistItemTextInline]


@admin.register(QuestionText)
class QuestionTextAdmin(TenantAdmin):
    capability = CAPABILITY
    list_display = ("question", "language", "version", "status", "text")
    list_filter = ("language", "status")
    list_select_related = ("question",)
    search_fields = ("text", "question__key")


@admin.register(ChecklistItemText)
class ChecklistItemTextAdmin(TenantAdmin):
    capability = CAPABILITY
    list_display = ("item", "language", "version", "status", "title")
    list_filter = ("language", "status")
    list_select_related = ("item",)
    search_fields = ("title", "item__key")
