import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from willkommen.core import forms

MAX_DAYS = 366


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    location = forms.ChoiceField(label=_("Location"), required=False)

    def __init__(self, data=None, *, locations=(), **kwargs):
        today = timezone.localdate()
        if not data or not ({"start", "end"} & set(data.keys())):
            data = {"start": today - dt.timedelta(days=13), "end": today, **({} if data is None else data.dict())}
        super().__init__(data, **kwargs)
        self.locations = list(locations)
        self.fields["location"].choices = [("", _("All locations"))] + [(str(loc.pk), loc.name) for loc in locations]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if start > end:
                raise forms.ValidationError(_("The start date must not be after the end date."))
            if (end - start).days >= MAX_DAYS:
                raise forms.ValidationError(_("Please choose a period of at most one year."))
        return cleaned

    def chosen_location(self):
        wanted = self.cleaned_data.get("location")
        return next((loc for loc in self.locations if str(loc.pk) == wanted), None)


class CaseworkForm(PeriodForm):
    """Period, team, Anliegen and location for the casework figures. The choices are what the user
    may see: a team lead only their own teams."""

    team = forms.ChoiceField(label=_("Team"), required=False)
    anliegen = forms.ChoiceField(label=_("Anliegen"), required=False)

    field_order = ["start", "end", "team", "anliegen", "location"]

    def __init__(self, data=None, *, locations=(), teams=(), anliegen=(), all_teams=True, **kwargs):
        super().__init__(data, locations=locations, **kwargs)
        self.teams = list(teams)
        self.anliegen = list(anliegen)
        first = [("", _("All teams"))] if all_teams else [("", _("All my teams"))]
        self.fields["team"].choices = first + [(str(t.pk), t.name) for t in self.teams]
        self.fields["anliegen"].choices = [("", _("All Anliegen"))] + [(str(pk), label) for pk, label in self.anliegen]

    def chosen_team(self):
        wanted = self.cleaned_data.get("team")
        return next((t for t in self.teams if str(t.pk) == wanted), None)

    def chosen_anliegen_id(self):
        wanted = self.cleaned_data.get("anliegen")
        return next((pk for pk, _label in self.anliegen if str(pk) == wanted), None)
