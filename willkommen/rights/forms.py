"""Desk forms of the rights room: the candidate filter, inviting candidates and recording a fact on a person."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from willkommen.core import forms

from . import services
from .models import FactKind, FactSource, InvitationMode, RuleKey

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES = {"yes", "ja", "true", "1", "y", "j"}
NO = {"no", "nein", "false", "0", "n"}
BOOL_KINDS = {
    FactKind.QUALIFICATION,
    FactKind.CHILD,
    FactKind.CHILDREN_SCHOOL,
    FactKind.DECEPTION,
}
INT_KINDS = {FactKind.SCHOOL_YEARS, FactKind.SENTENCE, FactKind.FINE}


class FilterForm(forms.Form):
    rule = forms.ChoiceField(label=_("Rule"), required=False, choices=[("", _("all"))] + list(RuleKey.choices))
    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", _("all"))] + [(t.pk, t.name) for t in teams]


def parse_value(kind, text):
    """The typed text of a fact as the value the evaluator reads (``services.clean_value`` checks it)."""
    text = (text or "").strip()
    if kind in BOOL_KINDS:
        lowered = text.lower()
        return True if lowered in YES else False if lowered in NO else text
    if kind in INT_KINDS:
        return int(text) if text.isdigit() else text
    if kind == FactKind.EXEMPTIONS:
        return [part.strip() for part in text.split(",") if part.strip()]
    return text


class FactForm(forms.Form):
    kind = forms.ChoiceField(label=_("Fact"), choices=FactKind.choices)
    value = forms.CharField(
        label=_("Value"),
        max_length=200,
        help_text=_(
            "Years or months as a number; yes or no; a level A1 to C2; livelihood: work_mainly, work_partly, "
            "benefits or none; exemptions separated by commas: illness, student, trainee, single_parent, carer."
        ),
    )
    source = forms.ChoiceField(label=_("Source"), choices=FactSource.choices)
    established_on = forms.DateField(label=_("Established on"), widget=DATE)
    document = forms.TypedChoiceField(
        label=_("Proving document in the e-file"), required=False, coerce=int, empty_value=None
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.documents = {d.pk: d for d in documents}
        self.fields["document"].choices = [("", _("none"))] + [
            (d.pk, d.title or d.document_type) for d in self.documents.values()
        ]
        self.fields["established_on"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind and "value" in data:
            try:
                data["value"] = services.clean_value(kind, parse_value(kind, data["value"]))
            except services.RightsError as error:
                self.add_error("value", error.message)
        if data.get("document") is not None:
            data["document"] = self.documents.get(data["document"])
        return data


BOOKING_WEEKS = 4
MAX_SELECTED = 200  # more than a page of the list (50 rows) never comes from the form


class InviteForm(forms.Form):
    """The candidate list's invitation form: the selected outcomes (checkboxes ``outcome`` in the table rows,
    tied to this form by their ``form`` attribute), how to apply and, for an appointment, the booking
    deadline. ``candidates`` is the user's candidate query: a selected id not in it (another authority's,
    not visible, not a candidate) fails the whole form."""

    mode = forms.ChoiceField(
        label=_("How to apply"), choices=InvitationMode.choices, initial=InvitationMode.ONLINE, widget=forms.RadioSelect
    )
    deadline = forms.DateField(
        label=_("Book an appointment by"),
        required=False,
        widget=DATE,
        help_text=_("Only for an invitation with an appointment."),
    )

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        self.fields["deadline"].initial = timezone.localdate() + dt.timedelta(weeks=BOOKING_WEEKS)

    def _outcomes(self):
        raw = self.data.getlist("outcome") if hasattr(self.data, "getlist") else []
        if not raw:
            raise forms.ValidationError(_("Select at least one candidate."))
        if len(raw) > MAX_SELECTED or not all(str(v).isdigit() for v in raw):
            raise forms.ValidationError(_("The selection is not valid. Reload the list and select again."))
        ids = {int(v) for v in raw}
        found = list(self.candidates.filter(pk__in=ids))
        if len(found) != len(ids):
            raise forms.ValidationError(
                _("Some of the selected persons are not on your candidate list. Nothing was sent.")
            )
        return found

    def clean(self):
        data = super().clean()
        try:
            data["outcomes"] = self._outcomes()
        except forms.ValidationError as error:
            self.add_error(None, error)
        if data.get("mode") == InvitationMode.APPOINTMENT:
            deadline = data.get("deadline")
            if deadline is None:
                self.add_error("deadline", _("Enter the date by which the appointment is to be booked."))
            elif deadline < timezone.localdate():
                self.add_error("deadline", _("The date cannot lie in the past."))
        return data
