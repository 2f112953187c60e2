"""Admin: administrators edit the automatic message templates (every save is a new version; the
change page shows a preview with sample data and warns about missing placeholders) and the
interpreter register."""

from django.contrib import admin
from django.db.models import Max
from django.utils.html import format_html, linebreaks
from django.utils.translation import gettext_lazy as _

from willkommen.tenancy.admin import TenantAdmin

from . import services, template_texts
from .models import Interpreter, MessageTemplate


@admin.register(MessageTemplate)
class MessageTemplateAdmin(TenantAdmin):
    list_display = ("key", "language", "version", "subject", "is_active", "german_below", "changed_at")
    list_filter = ("key", "language", "is_active")
    search_fields = ("subject", "body")
    fields = ("key", "language", "subject", "body", "german_below", "is_active", "version", "changed_by", "preview")
    readonly_fields = ("version", "changed_by", "preview")

    @admin.display(description=_("Preview with sample data"))
    def preview(self, obj):
        if obj is None or not obj.pk:
            return "–"
        subject = services._fill(obj.subject, template_texts.SAMPLE_CONTEXT)
        body = services._fill(obj.body, template_texts.SAMPLE_CONTEXT)
        missing = services.missing_placeholders(obj.subject, obj.body, obj.key)
        warning = (
            format_html('<p class="errornote">{}: {}</p>', _("Missing placeholders"), ", ".join(missing))
            if missing
            else ""
        )
        direction = "rtl" if obj.language in ("ar", "fa") else "ltr"
        return format_html(
            '{}<div dir="{}" lang="{}"><p><strong>{}</strong></p>{}</div>',
            warning,
            direction,
            obj.language,
            subject,
            linebreaks(body),
        )

    def save_model(self, request, obj, form, change):
        """A change never overwrites a version in use: it is saved as the next version."""
        obj.changed_by = request.user.get_username()[:150]
        if not request.user.is_superuser:
            obj.authority_id = request.user.authority_id
        if change and form.changed_data:
            latest = MessageTemplate.objects.filter(
                authority_id=obj.authority_id, key=obj.key, language=obj.language
            ).aggregate(v=Max("version"))["v"]
            obj.pk = None
            obj._state.adding = True
            obj.version = (latest or 0) + 1
        elif not change:
            latest = MessageTemplate.objects.filter(
                authority_id=obj.authority_id, key=obj.key, language=obj.language
            ).aggregate(v=Max("version"))["v"]
            obj.version = (latest or 0) + 1
        obj.save()


@admin.register(Interpreter)
class InterpreterAdmin(TenantAdmin):
    capability = "appointments.manage"
    list_display = ("name", "email", "hourly_rate", "qualified", "active")
    list_filter = ("qualified", "active")
    search_fields = ("name", "email")
