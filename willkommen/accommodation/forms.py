from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Accommodation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AccommodationForm(forms.ModelForm):
    class Meta:
        model = Accommodation
        fields = ["name", "street", "postal_code", "city", "capacity", "phone", "notes", "active"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["capacity"].widget.attrs["min"] = 1
        self.fields["active"].widget.attrs["class"] = "kern-form-check__checkbox"


def _not_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("The date must not be in the future."))


class PlaceForm(forms.Form):
    person = forms.IntegerField(label=_("Client number"), min_value=1, help_text=_("As shown in the client's file."))
    unit = forms.CharField(label=_("Room or unit"), max_length=50, required=False)
    moved_in = forms.DateField(label=_("Moved in on"), widget=DATE, validators=[_not_future])

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("moved_in", timezone.localdate())
        super().__init__(*args, **kwargs)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Find a client by name"), max_length=100, required=False)


class MoveOutForm(forms.Form):
    moved_out = forms.DateField(label=_("Moved out on"), widget=DATE, validators=[_not_future])

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"moved_out": timezone.localdate()})
        kwargs.setdefault("prefix", "out")
        super().__init__(*args, **kwargs)


class MoveForm(forms.Form):
    accommodation = forms.ModelChoiceField(label=_("New accommodation"), queryset=Accommodation.objects.none())
    unit = forms.CharField(label=_("Room or unit"), max_length=50, required=False)
    moved_on = forms.DateField(label=_("Moves on"), widget=DATE, validators=[_not_future])

    def __init__(self, *args, authority, **kwargs):
        kwargs.setdefault("initial", {"moved_on": timezone.localdate()})
        kwargs.setdefault("prefix", "move")
        super().__init__(*args, **kwargs)
        from . import selectors

        self.fields["accommodation"].queryset = selectors.accommodations(authority, active_only=True)
