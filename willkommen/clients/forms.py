import re

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from willkommen.core import forms

from .models import Person, ResidenceEntry

ISO3 = re.compile(r"^[A-Z]{3}$")


class PersonForm(forms.ModelForm):
    nationalities_text = forms.CharField(
        label=_("Nationalities"),
        required=False,
        max_length=60,
        help_text=_("ISO codes separated by commas, e.g. SYR, TUR"),
    )

    class Meta:
        model = Person
        fields = [
            "family_name",
            "given_names",
            "family_name_native",
            "given_names_native",
            "birth_name",
            "date_of_birth",
            "place_of_birth",
            "country_of_birth",
            "sex",
            "street",
            "postal_code",
            "city",
            "email",
            "phone",
            "preferred_language",
            "preferred_channel",
            "interpreter_needed",
            "interpreter_language",
            "entry_date",
        ]
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "entry_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "preferred_language": forms.Select(choices=settings.LANGUAGES),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["nationalities_text"].initial = ", ".join(self.instance.nationalities or [])
        for field in self.fields.values():
            css = (
                "kern-form-check__checkbox"
                if isinstance(field.widget, forms.CheckboxInput)
                else "kern-form-input__input"
            )
            if isinstance(field.widget, forms.Select):
                css = "kern-form-input__select"
            field.widget.attrs.setdefault("class", css)

    def clean_nationalities_text(self):
        codes = [c.strip().upper() for c in self.cleaned_data["nationalities_text"].split(",") if c.strip()]
        bad = [c for c in codes if not ISO3.match(c)]
        if bad:
            raise forms.ValidationError(_("Use three-letter ISO codes, e.g. SYR."))
        return sorted(set(codes))

    def clean_preferred_language(self):
        code = self.cleaned_data["preferred_language"]
        if code not in dict(settings.LANGUAGES):
            raise forms.ValidationError(_("Unknown language."))
        return code

    def save(self, commit=True):
        self.instance.nationalities = self.cleaned_data.get("nationalities_text", [])
        return super().save(commit)


class ResidenceEntryForm(forms.ModelForm):
    class Meta:
        model = ResidenceEntry
        fields = ["kind", "legal_basis", "valid_from", "valid_to", "conditions", "document_number", "issued_by", "note"]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_to": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("The end must not be before the start."))
        return cleaned


class ConfirmEntryForm(forms.Form):
    """Confirm a declared entry: the dates and number as on the document (prefilled with what was declared)."""

    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    document_number = forms.CharField(label=_("Document number"), required=False, max_length=50)

    def __init__(self, *args, entry=None, **kwargs):
        if entry is not None:
            kwargs.setdefault(
                "initial",
                {"valid_from": entry.valid_from, "valid_to": entry.valid_to, "document_number": entry.document_number},
            )
            kwargs.setdefault("prefix", f"confirm-{entry.pk}")
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("The end must not be before the start."))
        return cleaned


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or e-mail"), required=False, max_length=100, widget=forms.TextInput(attrs={"data-key": "s"})
    )
