"""Forms of the project: Django's forms with the text rules of ``core.text`` on every character field.

Rooms write ``from willkommen.core import forms`` and then use ``forms.Form``, ``forms.ModelForm``,
``forms.CharField``... exactly as with ``django.forms`` (everything else is Django's, re-exported).
A one-line field (any widget but a textarea) refuses line breaks, control characters and bidi
controls; a textarea refuses control characters other than line breaks and tabs and the bidi
overrides. Password fields are left as typed. A test checks that every form of the project has the
rules; the admin gets them through ``tenancy.admin.CapabilityAdmin``.
"""

from django import forms as django_forms
from django.forms import *  # noqa: F403 (this module stands in for django.forms in the rooms)

from .text import validate_multi_line, validate_one_line


def apply_text_rules(field):
    """Add the one-line or multi-line rule to a form field once (character fields only)."""
    if not isinstance(field, django_forms.CharField) or isinstance(field.widget, django_forms.PasswordInput):
        return
    rule = validate_multi_line if isinstance(field.widget, django_forms.Textarea) else validate_one_line
    if rule not in field.validators:
        field.validators.append(rule)


class TextRulesFormMixin:
    """Applies the text rules to every character field, including fields added in ``__init__``."""

    def full_clean(self):
        for field in self.fields.values():
            apply_text_rules(field)
        super().full_clean()


class Form(TextRulesFormMixin, django_forms.Form):
    pass


class ModelForm(TextRulesFormMixin, django_forms.ModelForm):
    pass


def with_text_rules(form_class):
    """``form_class`` with the text rules (for form classes made at run time, e.g. by the admin)."""
    if issubclass(form_class, TextRulesFormMixin):
        return form_class
    return type(form_class.__name__, (TextRulesFormMixin, form_class), {"__module__": form_class.__module__})


def form_status(form):
    """HTTP status for a page showing ``form``: 400 when submitted input was refused, else 200."""
    return 400 if form.is_bound and form.errors else 200


class MultipleFileInput(django_forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(django_forms.FileField):
    """One or more files in one field (``<input type=file multiple>``); cleans to a list (empty when none)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []
