from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from willkommen.core import forms

from .models import (
    Accommodation,
    BedKind,
    EpisodeKind,
    MoveOutReason,
    RiskBasis,
    RiskCategory,
    RoomRule,
    SharedRoomKind,
    Weekday,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AccommodationForm(forms.ModelForm):
    class Meta:
        model = Accommodation
        fields = ["name", "street", "postal_code", "city", "capacity", "phone", "notes", "active"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["capacity"]  # the number of beds, changed room by room on the detail page
        else:
            self.fields["capacity"].widget.attrs["min"] = 1
        self.fields["active"].widget.attrs["class"] = "kern-form-check__checkbox"


def _not_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("The date must not be in the future."))


class PlaceForm(forms.Form):
    person = forms.IntegerField(label=_("Client number"), min_value=1, help_text=_("As shown in the client's file."))
    unit = forms.CharField(label=_("Room or unit"), max_length=50, required=False)
    moved_in = forms.DateField(label=_("Moved in on"), widget=DATE, validators=[_not_future])
    household = forms.CharField(
        label=_("Together with (client numbers)"),
        max_length=200,
        required=False,
        help_text=_("Members of the same household, separated by commas: they get beds in one room if one is free."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("moved_in", timezone.localdate())
        super().__init__(*args, **kwargs)

    def clean_household(self):
        parts = [part.strip() for part in self.cleaned_data["household"].replace(";", ",").split(",")]
        parts = [part for part in parts if part]
        if not all(part.isdigit() and 0 < int(part) < 2**63 for part in parts) or len(parts) > 20:
            raise forms.ValidationError(_("Please enter client numbers separated by commas."))
        return list(dict.fromkeys(int(part) for part in parts))


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Find a client by name"), max_length=100, required=False)


class MoveOutForm(forms.Form):
    moved_out = forms.DateField(label=_("Moved out on"), widget=DATE, validators=[_not_future])
    to = forms.ChoiceField(label=_("Moved to"), choices=[("", "–"), *MoveOutReason.choices], required=False)

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


def _after_today(value):
    if value and value <= timezone.localdate():
        raise forms.ValidationError(_("The planned end must be after today and after the start."))


def _checkbox(field):
    field.widget.attrs["class"] = "kern-form-check__checkbox"
    return field


class RoomForm(forms.Form):
    floor = forms.CharField(label=_("Floor"), max_length=20, required=False, help_text=_("For example EG, 1, 2."))
    name = forms.CharField(label=_("Room"), max_length=50)
    beds = forms.IntegerField(label=_("Number of beds"), min_value=1, max_value=50)
    kind = forms.ChoiceField(label=_("Kind of beds"), choices=BedKind.choices, initial=BedKind.NORMAL)
    rule = forms.ChoiceField(
        label=_("Who may sleep here"), choices=RoomRule.choices, initial=RoomRule.ANY, required=False
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "room")
        super().__init__(*args, **kwargs)

    def clean_rule(self):
        return self.cleaned_data["rule"] or RoomRule.ANY


class BlockForm(forms.Form):
    reason = forms.CharField(label=_("Reason for blocking"), max_length=200)


class IsolateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Isolation or quarantine"), choices=EpisodeKind.choices)
    reason = forms.CharField(
        label=_("Reason"), max_length=200, help_text=_("No diagnosis: e.g. order of the health office.")
    )
    starts_on = forms.DateField(label=_("Start"), widget=DATE, validators=[_not_future])
    planned_end = forms.DateField(
        label=_("Planned end"), widget=DATE, validators=[_after_today], help_text=_("The day the resident moves back.")
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"starts_on": timezone.localdate()})
        kwargs.setdefault("prefix", "iso")
        super().__init__(*args, **kwargs)


class SuppliesForm(forms.Form):
    meals = _checkbox(forms.BooleanField(label=_("Meals brought"), required=False))
    medicine = _checkbox(forms.BooleanField(label=_("Medicine brought"), required=False))
    contact = _checkbox(forms.BooleanField(label=_("Contact person reached"), required=False))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "supplies")
        super().__init__(*args, **kwargs)


class ExtendForm(forms.Form):
    planned_end = forms.DateField(label=_("New planned end"), widget=DATE, validators=[_after_today])

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "extend")
        super().__init__(*args, **kwargs)


class SharedRoomForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SharedRoomKind.choices)
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_('For example "Kitchen 1st floor".'))
    floor = forms.CharField(label=_("Floor"), max_length=20, required=False)


def _languages():
    from django.conf import settings

    return [(code, name) for code, name in settings.LANGUAGES]


class SlotForm(forms.Form):
    """A usage time; ``target`` is "floor:<label>" or "room:<id>" from the house's floors and rooms."""

    shared_room = forms.TypedChoiceField(label=_("Shared room"), coerce=int)
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=Weekday.choices, coerce=int)
    starts_at = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    ends_at = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    target = forms.ChoiceField(label=_("For"))

    def __init__(self, *args, shared_rooms=(), floors=(), rooms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shared_room"].choices = [(s.pk, s.name) for s in shared_rooms]
        floor_label = _("Floor %(floor)s")
        room_label = _("Room %(room)s")
        self.fields["target"].choices = [(f"floor:{f}", floor_label % {"floor": f}) for f in floors] + [
            (f"room:{r.pk}", room_label % {"room": r}) for r in rooms
        ]

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The end must be after the start."))
        return data


class LanguagesForm(forms.Form):
    """The languages of a printed plan or poster (GET)."""

    lang = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=_languages,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each language gets its own section, right to left where the language is written so."),
    )


class PosterForm(LanguagesForm):
    """A group notice printed as a poster (GET): which notice, in which languages."""

    notice = forms.IntegerField(label=_("Notice"), min_value=1, max_value=2**63 - 1)


class RiskFlagForm(forms.Form):
    category = forms.ChoiceField(label=_("Need for protection"), choices=RiskCategory.choices)
    basis = forms.ChoiceField(label=_("Legal basis"), choices=RiskBasis.choices)
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        help_text=_("Only what the placement needs (e.g. ground floor, no shared room). No diagnosis."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "risk")
        super().__init__(*args, **kwargs)


class ArrivalForm(forms.Form):
    reference = forms.CharField(label=_("Allocation number"), max_length=50)
    household_size = forms.IntegerField(label=_("Household size"), min_value=1, max_value=30)
    women = forms.IntegerField(label=_("Of whom women and girls"), min_value=0, max_value=30, initial=0)
    children = forms.IntegerField(label=_("Of whom minors"), min_value=0, max_value=30, initial=0)
    needs = forms.CharField(
        label=_("Needs"),
        max_length=500,
        required=False,
        help_text=_("For example wheelchair, ground floor, single parent."),
    )
    expected_on = forms.DateField(label=_("Expected on"), widget=DATE)
    origin = forms.CharField(label=_("Coming from"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        size = data.get("household_size")
        for field in ("women", "children"):
            if size is not None and data.get(field) is not None and data[field] > size:
                self.add_error(field, _("This cannot be more than the household size."))
        return data


class ArrivalPlaceForm(forms.Form):
    accommodation = forms.ModelChoiceField(label=_("Accommodation"), queryset=Accommodation.objects.none())
    persons = forms.CharField(
        label=_("Client numbers of the household"),
        max_length=200,
        help_text=_("Separated by commas. Register the persons first if they have no client number yet."),
    )
    moved_in = forms.DateField(label=_("Moved in on"), widget=DATE, validators=[_not_future])

    def __init__(self, *args, authority, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("moved_in", timezone.localdate())
        super().__init__(*args, **kwargs)
        from . import selectors

        self.fields["accommodation"].queryset = selectors.accommodations(authority, active_only=True)

    def clean_persons(self):
        parts = [part.strip() for part in self.cleaned_data["persons"].replace(";", ",").split(",")]
        parts = [part for part in parts if part]
        if not parts or not all(part.isdigit() and 0 < int(part) < 2**63 for part in parts) or len(parts) > 30:
            raise forms.ValidationError(_("Please enter client numbers separated by commas."))
        return list(dict.fromkeys(int(part) for part in parts))
