import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
