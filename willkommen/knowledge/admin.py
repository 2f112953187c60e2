"""Admin for the knowledge room (capability ``knowledge.edit``), scoped to the user's authority. A form's
file is read-only here: new files go through the desk page, which checks them (PDF only)."""

from django.contrib import admin

from willkommen.tenancy.admin import TenantAdmin, TenantInlineMixin

from .models import (
    CountryNote,
    NewsItem,
    NewsText,
    PublicForm,
    PublicFormText,
    TextBlock,
    TrainingRecord,
    WorkInstruction,
)


class PublicFormTextInline(TenantInlineMixin, admin.StackedInline):
    capability = "knowledge.edit"
    model = PublicFormText
    extra = 0


class NewsTextInline(TenantInlineMixin, admin.StackedInline):
    capability = "knowledge.edit"
    model = NewsText
    extra = 0


@admin.register(PublicForm)
class PublicFormAdmin(TenantAdmin):
    capability = "knowledge.edit"
    list_display = ("file_name", "position", "active", "anliegen")
    readonly_fields = ("file", "file_name", "size", "sha256")
    inlines = [PublicFormTextInline]

    def has_add_permission(self, request, *args):
        return False  # a form's file is checked on the desk page (PDF only)


@admin.register(NewsItem)
class NewsItemAdmin(TenantAdmin):
    capability = "knowledge.edit"
    list_display = ("kind", "visible_from", "visible_until")
    list_filter = ("kind",)
    inlines = [NewsTextInline]


@admin.register(CountryNote)
class CountryNoteAdmin(TenantAdmin):
    capability = "knowledge.edit"
    list_display = ("country", "as_of")
    search_fields = ("country",)
    readonly_fields = ("updated_by",)


class ReadOnlyAdmin(TenantAdmin):
    """Instructions, text blocks and training records are written on the desk pages (a new version per
    change, the due date computed); the admin shows them and may remove a wrong one."""

    capability = "knowledge.edit"

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WorkInstruction)
class WorkInstructionAdmin(ReadOnlyAdmin):
    list_display = ("title", "legal_basis", "version", "needs_review", "published")
    list_filter = ("needs_review", "published")
    search_fields = ("title", "legal_basis")


@admin.register(TextBlock)
class TextBlockAdmin(ReadOnlyAdmin):
    list_display = ("title", "legal_basis", "outcome", "kind", "version", "needs_review", "published")
    list_filter = ("outcome", "kind", "needs_review", "published")
    search_fields = ("title", "legal_basis")


@admin.register(TrainingRecord)
class TrainingRecordAdmin(ReadOnlyAdmin):
    list_display = ("course", "staff", "completed_on", "mandatory", "due_on")
    list_filter = ("mandatory", "intercultural")
