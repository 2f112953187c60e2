from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from willkommen.core import forms
from willkommen.efile.models import DOCUMENT_TYPES

from .models import WALK_IN_CATEGORIES, Category, Outcome
from .sms import normalise_phone

WALK_IN_CHOICES = [(value, label) for value, label in Category.choices if value in WALK_IN_CATEGORIES]


class KioskTicketForm(forms.Form):
    category = forms.ChoiceField(label=_("What have you come for?"), choices=WALK_IN_CHOICES)


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Booking reference"),
        max_length=200,
        help_text=_("From your confirmation e-mail, or scan the QR code."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class TelInput(forms.TextInput):
    input_type = "tel"


class PhoneField(forms.CharField):
    """An optional mobile number for the SMS, normalised to E.164 (see ``sms.normalise_phone``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault(
            "widget", TelInput(attrs={"class": "kern-form-input__input", "autocomplete": "tel", "dir": "ltr"})
        )
        super().__init__(**kwargs)

    def clean(self, value):
        return normalise_phone(super().clean(value))


class DeskTicketForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=WALK_IN_CHOICES)
    urgent = forms.BooleanField(label=_("Urgent"), required=False)
    language = forms.ChoiceField(label=_("Language of the client"), choices=settings.LANGUAGES, initial="de")
    phone = PhoneField(
        label=_("Mobile number for an SMS"),
        required=False,
        help_text=_("The client gets an SMS in their language when their turn is near and when they are called."),
    )


class DeskCheckInForm(CheckInForm):
    phone = PhoneField(
        label=_("Mobile number for an SMS"),
        required=False,
        help_text=_("The client gets an SMS in their language when their turn is near and when they are called."),
    )


class TicketSmsForm(forms.Form):
    phone = PhoneField(
        label=_("Your mobile number"),
        help_text=_("For example +49 151 23456789. It is deleted when your visit is over."),
    )


class CallForm(forms.Form):
    counter = forms.CharField(label=_("Counter"), max_length=30)


class FinishForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[(v, label) for v, label in Outcome.choices if v != Outcome.NO_SHOW]
    )


DOCUMENT_TYPE_CHOICES = [(slug, label) for slug, label in DOCUMENT_TYPES.items() if slug not in {"letter", "email"}]
FILE_SLOTS = 3


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FindClientForm(forms.Form):
    """Whose documents: the case number, or the client's name and date of birth, or the client number."""

    case_number = forms.CharField(
        label=_("Case number"), max_length=30, required=False, help_text=_("As on the receipt or a letter.")
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        help_text=_("Family name, given names or both; also in the original script or an earlier name."),
    )
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DATE)
    person = forms.IntegerField(
        label=_("Client number"), min_value=1, required=False, help_text=_("As shown in the client's file.")
    )

    def clean_date_of_birth(self):
        value = self.cleaned_data.get("date_of_birth")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date of birth lies in the future."))
        return value

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        name, born = (data.get("name") or "").strip(), data.get("date_of_birth")
        if name and not born:
            self.add_error("date_of_birth", _("Enter the date of birth as well."))
        elif born and not name:
            self.add_error("name", _("Enter the name as well."))
        elif not (name or (data.get("case_number") or "").strip() or data.get("person")):
            raise forms.ValidationError(_("Enter the case number, or the client's name and date of birth."))
        return data


class DropOffForm(FindClientForm):
    """The documents; the client as found in the first step (hidden), the case they belong to (may be named)."""

    email = forms.EmailField(label=_("E-mail the receipt to"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("person", "name", "date_of_birth"):
            self.fields[name].widget = forms.HiddenInput()
        self.fields["case_number"].help_text = _("The case the documents belong to, if any.")
        for i in range(1, FILE_SLOTS + 1):
            self.fields[f"file{i}"] = forms.FileField(label=_("Document %(n)s") % {"n": i}, required=i == 1)
            self.fields[f"type{i}"] = forms.ChoiceField(
                label=_("Type of document %(n)s") % {"n": i}, choices=DOCUMENT_TYPE_CHOICES, initial="other"
            )
            self.fields[f"title{i}"] = forms.CharField(
                label=_("Description of document %(n)s") % {"n": i}, max_length=200, required=False
            )

    def slots(self):
        return [(self[f"file{i}"], self[f"type{i}"], self[f"title{i}"]) for i in range(1, FILE_SLOTS + 1)]

    def files_to_add(self):
        found = []
        for i in range(1, FILE_SLOTS + 1):
            uploaded = self.cleaned_data.get(f"file{i}")
            if uploaded:
                found.append((uploaded, self.cleaned_data[f"type{i}"], self.cleaned_data.get(f"title{i}", "")))
        return found


class EmailReceiptForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
