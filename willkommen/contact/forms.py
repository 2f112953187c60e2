from django.conf import settings
from django.utils.translation import gettext_lazy as _

from willkommen.core import forms
from willkommen.tenancy.models import Weekday

from .models import CallbackWindow, FeedbackCategory, FeedbackKind, HourKind


class HourForm(forms.Form):
    team = forms.ChoiceField(label=_("Team"))
    staff = forms.ChoiceField(label=_("Caseworker"), required=False, help_text=_("Empty: the whole team."))
    kind = forms.ChoiceField(label=_("Kind"), choices=HourKind.choices)
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=Weekday.choices, coerce=int)
    starts = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}))
    location = forms.ChoiceField(label=_("Location"), required=False)
    place = forms.CharField(label=_("Room or phone number"), max_length=200, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=settings.LANGUAGES, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, data=None, *, teams=(), members=(), locations=(), **kwargs):
        super().__init__(data, **kwargs)
        self.teams, self.members, self.locations = list(teams), list(members), list(locations)
        self.fields["team"].choices = [(str(t.pk), t.name) for t in self.teams]
        self.fields["staff"].choices = [("", _("The whole team"))] + [(str(u.pk), u.display_name) for u in self.members]
        self.fields["location"].choices = [("", "–")] + [(str(loc.pk), loc.name) for loc in self.locations]

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts"), cleaned.get("ends")
        if starts and ends and starts >= ends:
            raise forms.ValidationError(_("The hour must end after it starts."))
        return cleaned

    def _pick(self, name, objects):
        wanted = self.cleaned_data.get(name)
        return next((o for o in objects if str(o.pk) == wanted), None)

    def chosen(self):
        return {
            "team": self._pick("team", self.teams),
            "staff": self._pick("staff", self.members),
            "location": self._pick("location", self.locations),
        }


class CallbackForm(forms.Form):
    topic = forms.CharField(label=_("What is it about?"), max_length=300)
    window = forms.ChoiceField(
        label=_("When may we call you?"), choices=CallbackWindow.choices, widget=forms.RadioSelect
    )
    phone = forms.CharField(
        label=_("Your phone number"),
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "dir": "ltr"}),
    )


class CloseCallbackForm(forms.Form):
    note = forms.CharField(label=_("Phone note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What would you like to tell us?"), choices=FeedbackKind.choices, widget=forms.RadioSelect
    )
    category = forms.ChoiceField(
        label=_("What is it about?"), choices=FeedbackCategory.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(label=_("Your message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    case_number = forms.CharField(
        label=_("Case number"),
        max_length=40,
        required=False,
        help_text=_("Leave it empty to stay anonymous."),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("E-mail for our reply"),
        max_length=254,
        required=False,
        help_text=_("Leave it empty if you do not want a reply."),
        widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "email"}),
    )


class AnswerFeedbackForm(forms.Form):
    reply = forms.CharField(label=_("Reply"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))


SCALE = [(str(n), str(n)) for n in range(1, 6)]


class SurveyForm(forms.Form):
    overall = forms.ChoiceField(
        label=_("How satisfied are you with us overall?"), choices=SCALE, widget=forms.RadioSelect
    )
    understood = forms.ChoiceField(
        label=_("Did we explain things so that you could understand them?"), choices=SCALE, widget=forms.RadioSelect
    )
    reachable = forms.ChoiceField(label=_("How easy was it to reach us?"), choices=SCALE, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Anything else you want to tell us?"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
