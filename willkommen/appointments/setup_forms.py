"""Forms of the office's set-up pages: appointment offers, allocation rounds, opening hours and closures."""

import datetime as dt

from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from willkommen.catalogue.models import Anliegen
from willkommen.core import forms
from willkommen.tenancy.models import Closure, Location, OpeningHours

from .forms import DateInput
from .models import AllocationRound, Offer

MAX_PLACES = 200


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _locations(authority):
    return Location.objects.filter(authority=authority).order_by("name")


class OfferForm(forms.ModelForm):
    """An offer; the Anliegen and the location only when it is new (its slots belong to them)."""

    class Meta:
        model = Offer
        fields = [
            "anliegen",
            "location",
            "workstations",
            "invitation_places",
            "urgent_places",
            "reserve_release_hours",
            "mode",
            "active",
        ]

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.authority = authority
        if self.instance.pk:
            del self.fields["anliegen"], self.fields["location"]
        else:
            self.fields["anliegen"].queryset = Anliegen.objects.filter(authority=authority).order_by("order", "slug")
            self.fields["location"].queryset = _locations(authority)
        for name in ("workstations", "invitation_places", "urgent_places"):
            self.fields[name].widget.attrs["max"] = MAX_PLACES
            self.fields[name].validators.append(_max(MAX_PLACES))
        self.fields["workstations"].widget.attrs["min"] = 1
        self.fields["reserve_release_hours"].validators.append(_max(24 * 14))

    def clean(self):
        data = super().clean()
        workstations = data.get("workstations")
        reserved = (data.get("invitation_places") or 0) + (data.get("urgent_places") or 0)
        if workstations is not None and workstations < 1:
            self.add_error("workstations", _("At least one place is needed."))
        elif workstations is not None and reserved > workstations:
            self.add_error(
                "invitation_places", _("Invitation-only and urgent places together cannot exceed the parallel places.")
            )
        anliegen, location = data.get("anliegen"), data.get("location")
        if not self.instance.pk and anliegen and location:
            if Offer.objects.filter(authority=self.authority, anliegen=anliegen, location=location).exists():
                self.add_error("anliegen", _("This location already has an offer for this Anliegen."))
        return data

    def validate_unique(self):
        """The uniqueness with the authority is checked in :meth:`clean` (the authority is not a field)."""


def _max(limit):
    return MaxValueValidator(limit)


class RoundForm(forms.ModelForm):
    class Meta:
        model = AllocationRound
        fields = ["anliegen", "location", "opens_at", "closes_at"]
        widgets = {"opens_at": DateTimeInput(), "closes_at": DateTimeInput()}

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["anliegen"].queryset = Anliegen.objects.filter(authority=authority).order_by("order", "slug")
        self.fields["location"].queryset = _locations(authority)
        self.authority = authority

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and opens >= closes:
            self.add_error("closes_at", _("The end must be after the start."))
        if closes and closes <= timezone.now():
            self.add_error("closes_at", _("The end must be in the future."))
        anliegen, location = data.get("anliegen"), data.get("location")
        if anliegen and location:
            offer = Offer.objects.filter(authority=self.authority, anliegen=anliegen, location=location).first()
            if offer is None or offer.mode != "allocation":
                self.add_error("anliegen", _("This location has no offer for this Anliegen in the allocation mode."))
        return data


class OpeningHoursForm(forms.ModelForm):
    class Meta:
        model = OpeningHours
        fields = ["weekday", "opens", "closes"]
        widgets = {"opens": TimeInput(), "closes": TimeInput()}

    def clean(self):
        data = super().clean()
        if data.get("opens") and data.get("closes") and data["opens"] >= data["closes"]:
            self.add_error("closes", _("Closing must be after opening."))
        return data

    def validate_constraints(self, exclude=None):
        """The order of the times is checked in :meth:`clean` with a message in words."""


class ClosureForm(forms.ModelForm):
    class Meta:
        model = Closure
        fields = ["location", "starts_on", "ends_on", "reason"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = _locations(authority)
        self.fields["location"].empty_label = _("all locations")
        self.fields["location"].help_text = _("Empty: every location is closed.")

    def clean(self):
        data = super().clean()
        first, last = data.get("starts_on"), data.get("ends_on")
        if first and last and first > last:
            self.add_error("ends_on", _("The last day cannot be before the first."))
        if first and last and (last - first) > dt.timedelta(days=366):
            self.add_error("ends_on", _("A closure lasts at most a year."))
        return data

    def validate_constraints(self, exclude=None):
        """The order of the dates is checked in :meth:`clean` with a message in words."""
