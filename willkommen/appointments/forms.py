import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from willkommen.core import forms

from .models import Channel, Status


def _language_choices(authority):
    return authority.offered_languages if authority else list(settings.LANGUAGES)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PersonFields(forms.Form):
    family_name = forms.CharField(label=_("Family name"), max_length=150)
    given_names = forms.CharField(label=_("Given names"), max_length=150, required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DateInput())
    email = forms.EmailField(label=_("E-mail"), max_length=254)

    def __init__(self, *args, authority=None, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "kern-form-check__checkbox" if isinstance(field, forms.BooleanField) else "kern-form-input__input"
            if isinstance(field, forms.ChoiceField):
                css = "kern-form-input__select"
            field.widget.attrs.setdefault("class", css)
        if "language" in self.fields:
            self.fields["language"].choices = _language_choices(authority)

    def clean_date_of_birth(self):
        value = self.cleaned_data["date_of_birth"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date of birth lies in the future."))
        if value < dt.date(1900, 1, 1):
            raise forms.ValidationError(_("Please check the date of birth."))
        return value


class DetailsForm(PersonFields):
    passport_number = forms.CharField(
        label=_("Passport number"),
        max_length=40,
        required=False,
        help_text=_(
            "Only a code calculated from the number is stored, never the number itself. "
            "With it, one passport can hold only one appointment per Anliegen."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    language = forms.ChoiceField(label=_("Language for messages"))
    interpreter_needed = forms.BooleanField(label=_("I need an interpreter"), required=False)
    interpreter_language = forms.CharField(label=_("Interpreter language"), max_length=50, required=False)

    def clean_passport_number(self):
        """Normalised (upper case, no spaces); the services store only its keyed hash."""
        from .errors import PASSPORT_NUMBER_INVALID
        from .identity import normalise_passport_number

        try:
            return normalise_passport_number(self.cleaned_data.get("passport_number"))
        except ValueError:
            raise forms.ValidationError(PASSPORT_NUMBER_INVALID, code="invalid") from None

    def clean(self):
        data = super().clean()
        if data.get("interpreter_needed") and not data.get("interpreter_language"):
            self.add_error("interpreter_language", _("Please tell us which language the interpreter should speak."))
        return data


class InvitationForm(PersonFields):
    """The office invites a client (Terminladung)."""

    language = forms.ChoiceField(label=_("Language for messages"))
    deadline = forms.DateField(label=_("Book by"), widget=DateInput())
    slot = forms.IntegerField(
        label=_("Fixed slot (optional)"), required=False, help_text=_("Leave empty to send a personal booking link.")
    )

    def clean_deadline(self):
        value = self.cleaned_data["deadline"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("The deadline lies in the past."))
        return value


class OnBehalfForm(DetailsForm):
    """Staff book for a client (phone, ServicePoint); the booking is confirmed at once."""

    channel = forms.ChoiceField(label=_("Places from"), choices=Channel.choices, initial=Channel.PUBLIC)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason (sent to the client)"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].widget.attrs["class"] = "kern-form-input__input"


class MarkForm(forms.Form):
    status = forms.ChoiceField(choices=[(Status.ATTENDED, _("attended")), (Status.NO_SHOW, _("did not come"))])


class AllocationRequestForm(PersonFields):
    language = forms.ChoiceField(label=_("Language for messages"))
    earliest = forms.DateField(label=_("Earliest date I can come"), widget=DateInput())
    latest = forms.DateField(label=_("Latest date I can come"), widget=DateInput())
    permit_expires = forms.DateField(
        label=_("My current permit expires on"), widget=DateInput(), required=False, help_text=_("If you have one.")
    )

    def clean(self):
        data = super().clean()
        earliest, latest = data.get("earliest"), data.get("latest")
        if earliest and latest and earliest > latest:
            self.add_error("latest", _("The latest date must not be before the earliest date."))
        if earliest and earliest < timezone.localdate():
            self.add_error("earliest", _("The earliest date lies in the past."))
        return data
