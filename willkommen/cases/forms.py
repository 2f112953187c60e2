from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from willkommen.core import forms
from willkommen.letters.models import FiktionParagraph

from .intake import ORIGIN_PATTERN
from .models import Outcome
from .workflow import OPEN, Status

DATE = forms.DateInput(attrs={"type": "date", "class": "kern-form-input__input"}, format="%Y-%m-%d")
TEXT = forms.TextInput(attrs={"class": "kern-form-input__input"})
AREA = forms.Textarea(attrs={"class": "kern-form-input__input", "rows": 4})


class QueueFilterForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("Cases"),
        required=False,
        choices=[("mine", _("assigned to me")), ("team", _("my teams")), ("approval", _("awaiting approval"))],
        widget=forms.Select(attrs={"class": "kern-form-input__select"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("any"))] + [(s.value, s.label) for s in Status if s.value in OPEN],
        widget=forms.Select(attrs={"class": "kern-form-input__select"}),
    )
    urgency = forms.TypedChoiceField(
        label=_("Urgency"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", _("any")),
            (0, _("permit expires within 30 days")),
            (1, _("benefits or legal stay at stake")),
            (2, _("overdue")),
            (3, _("due within a week")),
        ],
        widget=forms.Select(attrs={"class": "kern-form-input__select"}),
    )
    q = forms.CharField(
        label=_("Case number or surname"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "kern-form-input__input", "data-key": "s", "type": "search"}),
    )


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), max_length=5000, widget=AREA)


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200, widget=TEXT)
    body = forms.CharField(label=_("Message"), max_length=5000, widget=AREA)


class TransitionForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=TEXT)


class RequestDocumentsForm(forms.Form):
    items = forms.MultipleChoiceField(
        label=_("Missing or insufficient documents"), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("Note to the client"), required=False, max_length=2000, widget=AREA)
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = items
        self.fields["deadline"].initial = timezone.localdate() + timezone.timedelta(days=14)

    def clean_deadline(self):
        value = self.cleaned_data["deadline"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("The deadline cannot be in the past."))
        return value

    def clean(self):
        data = super().clean()
        if not data.get("items") and not (data.get("note") or "").strip():
            raise forms.ValidationError(_("Tick at least one document or write what is missing."))
        return data


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=Outcome.choices, widget=forms.RadioSelect)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=120, widget=TEXT)
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DATE)
    valid_to = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=DATE,
        help_text=_("Proposed: the longest validity the catalogue allows for the legal basis."),
    )
    sponsor_title_expires_on = forms.DateField(
        label=_("The sponsor's residence title expires on"),
        required=False,
        widget=DATE,
        help_text=_("Family reunification: the validity cannot go beyond it."),
    )
    bound_end_on = forms.DateField(label=_("The course ends on"), required=False, widget=DATE)
    shorter_validity_reason = forms.CharField(
        label=_("Reason for a shorter validity"), required=False, max_length=2000, widget=AREA
    )
    conditions = forms.CharField(
        label=_("Conditions (Nebenbestimmungen)"), required=False, max_length=4000, widget=AREA
    )
    reasoning = forms.CharField(label=_("Reasoning"), max_length=20000, widget=AREA)
    plain_explanation = forms.CharField(
        label=_("Plain-language explanation for the client"),
        required=False,
        max_length=4000,
        widget=AREA,
        help_text=_("Required for refusals and measures that end a stay."),
    )
    ends_stay = forms.BooleanField(label=_("This measure ends the stay"), required=False)
    discretionary = forms.BooleanField(
        label=_("Discretionary decision: needs a second approver"),
        required=False,
        help_text=_("Takes effect when the draft is saved: it is then submitted for approval instead of finalised."),
    )

    def __init__(self, *args, sponsor=False, bound="", **kwargs):
        super().__init__(*args, **kwargs)
        if not sponsor:  # only family reunification is capped by the sponsor's title
            del self.fields["sponsor_title_expires_on"]
        if not bound:  # only study, training and employment titles end with their course or contract
            del self.fields["bound_end_on"]
        elif bound == "contract":
            self.fields["bound_end_on"].label = _("The employment contract ends on")
            self.fields["bound_end_on"].help_text = _("Employment: the validity cannot go beyond it.")
        else:
            self.fields["bound_end_on"].help_text = _("Study or training: the validity cannot go beyond it.")


class ReviewForm(forms.Form):
    action = forms.ChoiceField(choices=[("approve", _("Approve")), ("return", _("Return with comments"))])
    comment = forms.CharField(label=_("Comments"), required=False, max_length=4000, widget=AREA)


class FiktionForm(forms.Form):
    paragraph = forms.ChoiceField(
        label=_("Applicable rule"), choices=FiktionParagraph.choices, widget=forms.RadioSelect
    )
    valid_until = forms.DateField(label=_("Valid until"), widget=DATE)
    id_document_type = forms.CharField(label=_("Identity document"), max_length=60, initial="Reisepass", widget=TEXT)
    id_document_number = forms.CharField(label=_("Document number"), max_length=50, widget=TEXT)
    id_document_issuer = forms.CharField(label=_("Issued by"), max_length=150, widget=TEXT)
    id_document_issued_on = forms.DateField(label=_("Issued on"), widget=DATE)
    conditions = forms.CharField(
        label=_("Conditions (e.g. permitted employment)"), required=False, max_length=2000, widget=AREA
    )

    def clean_valid_until(self):
        value = self.cleaned_data["valid_until"]
        if value <= timezone.localdate():
            raise forms.ValidationError(_("The certificate must be valid beyond today."))
        return value


class ExtendForm(forms.Form):
    valid_until = forms.DateField(label=_("Extended until"), widget=DATE)


class TransferForm(forms.Form):
    authority = forms.ModelChoiceField(
        label=_("Receiving authority"), queryset=None, widget=forms.Select(attrs={"class": "kern-form-input__select"})
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500, widget=TEXT)

    def __init__(self, *args, exclude=None, **kwargs):
        from willkommen.tenancy.models import Authority

        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = Authority.objects.exclude(pk=getattr(exclude, "pk", None))


class FlagsForm(forms.Form):
    stay_at_stake = forms.BooleanField(label=_("Benefits or legal stay at stake"), required=False)
    discretionary = forms.BooleanField(label=_("Discretionary: the decision needs a second approver"), required=False)
    # The permit expiry is not a flag: it follows the person's residence history (cases/residence.py).


class BulkReassignForm(forms.Form):
    cases = forms.ModelMultipleChoiceField(label=_("Cases"), queryset=None, widget=forms.CheckboxSelectMultiple)
    assignee = forms.ModelChoiceField(
        label=_("New caseworker"), queryset=None, widget=forms.Select(attrs={"class": "kern-form-input__select"})
    )

    def __init__(self, *args, cases=None, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = cases
        self.fields["assignee"].queryset = staff


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=100, widget=TEXT)
    born = forms.DateField(label=_("Date of birth"), required=False, widget=DATE)


class AnliegenChoiceField(forms.ModelChoiceField):
    """An Anliegen by its title in the page's language and its legal basis (not its slug)."""

    def label_from_instance(self, obj):
        from django.utils import translation

        from willkommen.catalogue.selectors import title
        from willkommen.core.text import isolate

        name = title(obj, translation.get_language() or "de")  # the legal basis isolated: left to right in Arabic
        return f"{name} ({isolate(obj.legal_basis)})" if obj.legal_basis else name


class OpenCaseForm(forms.Form):
    """Open a case at the desk for one person (the person is chosen before, by ``?person=``)."""

    person = forms.IntegerField(widget=forms.HiddenInput)
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    origin = forms.RegexField(regex=ORIGIN_PATTERN, required=False, max_length=40, widget=forms.HiddenInput)
    anliegen = AnliegenChoiceField(
        label=_("Matter (Anliegen)"), queryset=None, widget=forms.Select(attrs={"class": "kern-form-input__select"})
    )
    source = forms.ChoiceField(
        label=_("Way in"), choices=(), widget=forms.RadioSelect, help_text=_("How the application came in.")
    )
    received_on = forms.DateField(
        label=_("Arrival date"), widget=DATE, help_text=_("For a letter: the postmark date. Not in the future.")
    )
    title_kind = forms.ChoiceField(
        label=_("Current residence document (as declared)"),
        required=False,
        choices=(),
        widget=forms.Select(attrs={"class": "kern-form-input__select"}),
        help_text=_("Recorded as declared by the client and unconfirmed until a caseworker checks it."),
    )
    title_valid_to = forms.DateField(label=_("Valid until (as declared)"), required=False, widget=DATE)
    scans = forms.MultipleFileField(
        label=_("Scanned documents"),
        required=False,
        help_text=_("Documents scanned at the desk; they are filed under the new case."),
    )

    def __init__(self, *args, authority, **kwargs):
        from willkommen.catalogue.selectors import anliegen_list
        from willkommen.clients.models import STATUS_KINDS

        from .intake import DESK_SOURCES

        super().__init__(*args, **kwargs)
        self.fields["anliegen"].queryset = anliegen_list(authority).order_by("order", "slug")
        self.fields["source"].choices = [(s.value, s.label) for s in DESK_SOURCES]
        self.fields["title_kind"].choices = [("", _("none declared"))] + [(k.value, k.label) for k in STATUS_KINDS]
        self.fields["received_on"].initial = timezone.localdate()

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The arrival date lies in the future."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("title_valid_to") and not data.get("title_kind"):
            self.add_error("title_kind", _("Choose the kind of document the date belongs to."))
        return data
