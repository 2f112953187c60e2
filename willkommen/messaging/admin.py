"""Admin: the automatic message templates (for superusers; administrators of an authority use the desk
page /desk/messaging/templates/, which has a preview in every language) and the interpreter register.
Every save is a new version; the change page shows a preview with sample data and warns about
missing or unknown placeholders."""

from django.contrib import admin
from django.db.models import Max
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from willkommen.core import forms
from willkommen.tenancy.admin import TenantAdmin

from . import template_texts, texts
from .models import Interpreter, MessageTemplate


class MessageTemplateForm(forms.ModelForm):
    key = forms.ChoiceField(label=_("template"), choices=[(d.key, d.label) for d in template_texts.DEFINITIONS])

    class Meta:
        model = MessageTemplate
        fields = ("key", "language", "subject", "body", "is_active")


@admin.register(MessageTemplate)
class MessageTemplateAdmin(TenantAdmin):
    form = MessageTemplateForm
    list_display = ("key", "language", "version", "subject", "is_active", "changed_at")
    list_filter = ("key", "language", "is_active")
    search_fields = ("subject", "body")
    fields = ("key", "language", "subject", "body", "is_active", "version", "changed_by", "preview")
    readonly_fields = ("version", "changed_by", "preview")

    @admin.display(description=_("Preview with sample data"))
    def preview(self, obj):
        if obj is None or not obj.pk:
            return "–"
        rendered = texts.sample(obj.authority, obj.key, obj.language, subject=obj.subject, body=obj.body)
        missing = texts.problems_of(obj.key, obj.subject, obj.body)
        warning = (
            format_html('<p class="errornote">{}: {}</p>', _("Check the text"), " ".join(str(m) for m in missing))
            if missing
            else ""
        )
        direction = "rtl" if obj.language in ("ar", "fa") else "ltr"
        return format_html(
            '{}<div dir="{}" lang="{}"><p><strong>{}</strong></p>{}</div>',
            warning,
            direction,
            obj.language,
            rendered.subject,
            rendered.html,
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
