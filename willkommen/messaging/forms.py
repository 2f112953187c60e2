from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from willkommen.core import forms

from . import channels, texts
from .models import GroupNotice, Interpreter


def _max_body():
    return getattr(settings, "MESSAGING_MAX_BODY_CHARS", 20_000)


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    body = forms.CharField(label=_("Your message"), widget=forms.Textarea(attrs={"rows": 6}))
    attachment = forms.FileField(label=_("Attachment"), required=False, help_text=_("PDF, JPEG or PNG, at most 10 MB."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].max_length = _max_body()
        self.fields["body"].validators.append(MaxLengthValidator(_max_body()))
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "kern-form-input__input")

    def clean_subject(self):
        return channels.clean_header(self.cleaned_data.get("subject", ""))


class StaffReplyForm(MessageForm):
    body = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 6}))


class PhoneNoteForm(forms.Form):
    body = forms.CharField(
        label=_("Note of the phone call"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "kern-form-input__input"}),
    )


class AssignForm(forms.Form):
    person_id = forms.IntegerField(label=_("Person number"), min_value=1)
    case_number = forms.CharField(label=_("Case number"), max_length=30, required=False)


NOTICE_LANGUAGES = [code for code, _name in settings.LANGUAGES]


class GroupNoticeForm(forms.Form):
    group = forms.ChoiceField(label=_("Recipients"), choices=GroupNotice.Group.choices)
    team = forms.ModelChoiceField(label=_("Team"), queryset=None, required=False)
    accommodation = forms.ModelChoiceField(label=_("Accommodation"), queryset=None, required=False)

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        from willkommen.tenancy.models import Team

        from . import recipients

        self.fields["team"].queryset = Team.objects.filter(authority=authority)
        nothing = GroupNotice._meta.get_field("accommodation").related_model.objects.none()
        self.fields["accommodation"].queryset = recipients.choices(authority, GroupNotice.Group.ACCOMMODATION, nothing)
        names = dict(settings.LANGUAGES)
        for code in NOTICE_LANGUAGES:
            required = code == "de"
            self.fields[f"subject_{code}"] = forms.CharField(
                label=_("Subject (%(language)s)") % {"language": names[code]}, max_length=200, required=required
            )
            self.fields[f"body_{code}"] = forms.CharField(
                label=_("Text (%(language)s)") % {"language": names[code]},
                max_length=5000,
                required=required,
                widget=forms.Textarea(attrs={"rows": 3, "lang": code, "dir": "auto"}),
            )

    def clean(self):
        data = super().clean()
        if data.get("group") == GroupNotice.Group.TEAM and not data.get("team"):
            self.add_error("team", _("Please choose the team."))
        if data.get("group") == GroupNotice.Group.ACCOMMODATION and not data.get("accommodation"):
            self.add_error("accommodation", _("Please choose the accommodation."))
        if data.get("group") != GroupNotice.Group.ACCOMMODATION:
            data["accommodation"] = None  # only the chosen group's choice is kept with the notice
        return data

    def texts(self):
        data = self.cleaned_data
        return {
            code: {"subject": channels.clean_header(data.get(f"subject_{code}", "")), "body": data[f"body_{code}"]}
            for code in NOTICE_LANGUAGES
            if data.get(f"body_{code}")
        }


class InterpreterForm(forms.ModelForm):
    languages = forms.CharField(
        label=_("Languages"), help_text=_("Language codes separated by commas, e.g. ar, fa, ku")
    )

    class Meta:
        model = Interpreter
        fields = ["name", "email", "phone", "languages", "availability", "hourly_rate", "qualified"]

    def clean_languages(self):
        codes = [c.strip().lower() for c in self.cleaned_data["languages"].split(",") if c.strip()]
        if not codes or any(len(c) > 10 or not c.replace("-", "").isalpha() for c in codes):
            raise forms.ValidationError(_("Please enter language codes separated by commas."))
        return codes


class BookingForm(forms.Form):
    interpreter = forms.ModelChoiceField(label=_("Interpreter"), queryset=None)
    language = forms.CharField(label=_("Language"), max_length=20)
    starts_at = forms.DateTimeField(
        label=_("Date and time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=15, max_value=480, initial=60)
    appointment_id = forms.IntegerField(label=_("Appointment number"), min_value=1, required=False)
    case_number = forms.CharField(label=_("Case number"), max_length=30, required=False)

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.authority = authority
        self.fields["interpreter"].queryset = Interpreter.objects.filter(authority=authority, active=True)

    def clean_case_number(self):
        number = self.cleaned_data.get("case_number", "").strip().upper()
        if not number:
            return None
        from willkommen.clients import case_refs

        case = case_refs.by_number(self.authority, number)
        if case is None:
            raise forms.ValidationError(_("No case with this number."))
        return case

    def clean(self):
        data = super().clean()
        interpreter, language = data.get("interpreter"), (data.get("language") or "").strip().lower()
        if interpreter and language and language not in interpreter.languages:
            self.add_error("language", _("This interpreter does not offer this language."))
        return data


class TemplateForm(forms.Form):
    """One language of an automatic text; the placeholders are checked against the catalogue."""

    subject = forms.CharField(label=_("Subject or heading"), required=False, max_length=200)
    body = forms.CharField(label=_("Text"), max_length=5000, widget=forms.Textarea(attrs={"rows": 16}))

    def __init__(self, *args, key, **kwargs):
        super().__init__(*args, **kwargs)
        self.key = key
        self.fields["body"].help_text = _(
            "Placeholders in curly braces, e.g. {name}. A line whose optional placeholders are all empty is left out."
        )

    def clean(self):
        data = super().clean()
        if "body" in data:
            for error in texts.problems_of(self.key, data.get("subject", ""), data["body"]):
                self.add_error(None, error)
        return data


class NumberForm(forms.Form):
    """A mobile number to confirm for incoming SMS and Signal messages (the code goes out by ``channel``)."""

    number = forms.CharField(
        label=_("Mobile phone number"),
        max_length=30,
        help_text=_(
            "We send a code to this number. With the number confirmed, your SMS and Signal messages reach your file."
        ),
    )
    channel = forms.ChoiceField(
        label=_("Send the code by"), choices=[("sms", _("SMS")), ("messenger", _("Signal"))], initial="sms"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].widget.attrs.update(
            {"class": "kern-form-input__input", "autocomplete": "tel", "inputmode": "tel"}
        )
        self.fields["channel"].widget.attrs.update({"class": "kern-form-input__select"})


class NumberCodeForm(forms.Form):
    record = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    code = forms.CharField(label=_("Code"), max_length=12)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {"class": "kern-form-input__input", "autocomplete": "one-time-code", "inputmode": "numeric"}
        )
