import datetime as dt
import re

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from willkommen.clients.models import Channel
from willkommen.core import forms
from willkommen.core.countries import NationalitiesWidget, known_code

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


class PersonalForm(forms.Form):
    family_name = forms.CharField(
        label=_("Family name (in Latin letters, as in your passport)"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    given_names = forms.CharField(
        label=_("Given names (in Latin letters)"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    family_name_native = forms.CharField(label=_("Family name in the original script"), max_length=150, required=False)
    given_names_native = forms.CharField(label=_("Given names in the original script"), max_length=150, required=False)
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
    )
    nationalities = forms.CharField(
        label=_("Nationality"),
        max_length=60,
        required=False,
        widget=NationalitiesWidget,
        help_text=_("As in your passport. If you have two nationalities, choose the second one as well."),
    )
    street = forms.CharField(
        label=_("Street and number"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    city = forms.CharField(
        label=_("City"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "address-level2"})
    )
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("We send the receipt and a link to continue here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)
    preferred_channel = forms.ChoiceField(
        label=_("How should we contact you?"), choices=Channel.choices, initial=Channel.EMAIL
    )
    permit_valid_until = forms.DateField(
        label=_("Your current residence permit is valid until"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Only if you already hold a permit. It decides whether your current permit continues to apply."),
    )

    def clean_date_of_birth(self):
        value = self.cleaned_data["date_of_birth"]
        if value > timezone.localdate() or value < dt.date(1900, 1, 1):
            raise forms.ValidationError(_("Please check the date of birth."))
        return value

    def clean_nationalities(self):
        raw = self.cleaned_data.get("nationalities", "")
        codes = [c.strip().upper() for c in re.split(r"[,\s]+", raw) if c.strip()]
        if any(not re.fullmatch(r"[A-Z]{3}", c) or not known_code(c) for c in codes) or len(codes) > 5:
            raise forms.ValidationError(_("Please choose your nationality from the list."))
        return list(dict.fromkeys(codes))  # the same country twice counts once


class UploadForm(forms.Form):
    checklist_key = forms.SlugField(max_length=60)
    file = forms.FileField(label=_("File (PDF, JPEG or PNG)"), allow_empty_file=True)


class StatusLoginForm(forms.Form):
    number = forms.CharField(label=_("Case number"), max_length=30, help_text=_("e.g. ABH-2026-000123"))
    code = forms.CharField(label=_("Access code"), max_length=20)


class ResumeForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address used in the application"))
