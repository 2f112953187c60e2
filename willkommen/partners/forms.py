from django import forms as django_forms
from django.utils.translation import gettext_lazy as _

from willkommen.core import forms

from . import connectors
from .models import RecipientType, Scope

MultipleFileField = forms.MultipleFileField


class TypeChoiceForm(forms.Form):
    recipient_type = django_forms.ChoiceField(label=_("Kind of authority"), choices=RecipientType.choices)


class RequestForm(forms.Form):
    recipient_type = django_forms.ChoiceField(
        label=_("Kind of authority"), choices=RecipientType.choices, widget=django_forms.HiddenInput
    )
    to_authority = django_forms.ModelChoiceField(
        label=_("Authority on the platform"),
        queryset=None,
        required=False,
        empty_label=_("– not on the platform –"),
        help_text=_("The request then arrives in that authority's desk, and the answer comes back here."),
    )
    recipient_name = django_forms.CharField(
        label=_("Recipient"), max_length=200, required=False, help_text=_("Office and department.")
    )
    connector = django_forms.ChoiceField(label=_("Send by"), required=False)
    recipient_email = django_forms.EmailField(label=_("Recipient's e-mail address"), required=False)
    recipient_address = django_forms.CharField(
        label=_("Recipient's postal address"), required=False, widget=django_forms.Textarea(attrs={"rows": 3})
    )
    question = django_forms.CharField(
        label=_("Question"), max_length=5000, widget=django_forms.Textarea(attrs={"rows": 8})
    )
    due_on = django_forms.DateField(
        label=_("Answer expected by"), widget=django_forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, authorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_authority"].queryset = authorities
        self.fields["connector"].choices = [("", "–")] + [(c.name, c.label) for c in connectors.offered()]


class AnswerForm(forms.Form):
    answer = django_forms.CharField(label=_("Answer"), max_length=5000, widget=django_forms.Textarea(attrs={"rows": 6}))
    documents = MultipleFileField(label=_("Documents of the answer"), required=False)


class TypeSettingsForm(forms.Form):
    question = django_forms.CharField(
        label=_("Question template"), max_length=5000, widget=django_forms.Textarea(attrs={"rows": 6})
    )
    stops_clock = django_forms.BooleanField(
        label=_("The processing clock stops while such a request is open"), required=False
    )
    due_days = django_forms.IntegerField(label=_("Answer expected within (days)"), min_value=1, max_value=365)


class ConsentForm(forms.Form):
    organisation = django_forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    scopes = django_forms.MultipleChoiceField(
        label=_("The organisation may"), choices=Scope.choices, widget=django_forms.CheckboxSelectMultiple
    )
    purpose = django_forms.CharField(label=_("Purpose"), max_length=300)
    valid_until = django_forms.DateField(
        label=_("Valid until"), widget=django_forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    form_scan = django_forms.FileField(
        label=_("Scan of the signed form (PDF or image)"),
        help_text=_("It is checked like every upload and filed in the person's e-file."),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class PartnerUploadForm(forms.Form):
    title = django_forms.CharField(label=_("What is it?"), max_length=150)
    case = django_forms.ChoiceField(label=_("For the case"), required=False)
    document = django_forms.FileField(label=_("File (PDF or image)"))

    def __init__(self, *args, open_cases=(), **kwargs):
        """``open_cases``: the client's open cases the document may be filed under (the only one is chosen
        at first); none of them – only the client's file."""
        super().__init__(*args, **kwargs)
        open_cases = list(open_cases)
        self.fields["case"].choices = [("", _("none – only the client's file"))] + [
            (str(case.pk), case.number) for case in open_cases
        ]
        if len(open_cases) == 1:
            self.fields["case"].initial = str(open_cases[0].pk)
        self.cases = {str(case.pk): case for case in open_cases}

    def chosen_case(self):
        return self.cases.get(self.cleaned_data.get("case") or "")


class ClientConsentForm(forms.Form):
    organisation = django_forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    scopes = django_forms.MultipleChoiceField(
        label=_("The organisation may"), choices=Scope.choices, widget=django_forms.CheckboxSelectMultiple
    )
    purpose = django_forms.CharField(
        label=_("Purpose"), max_length=300, help_text=_("For example: advice on my residence permit.")
    )
    valid_until = django_forms.DateField(
        label=_("Valid until"), widget=django_forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
