from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from willkommen.accounts.decorators import desk_view

from . import selectors
from .models import Action

PAGE_SIZE = 100


class AuditFilterForm(forms.Form):
    person = forms.IntegerField(label=_("Person number"), required=False, min_value=1)
    actor = forms.CharField(label=_("Who"), required=False, max_length=100)
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", "–"), *Action.choices])
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


@desk_view("audit.view")
def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    entries = []
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        entries = selectors.entries(
            request.authority,
            person_id=data["person"],
            actor=data["actor"],
            action=data["action"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        ).select_related("actor")[:PAGE_SIZE]
    elif form.is_bound:
        status = 400
    else:
        entries = selectors.entries(request.authority)[:PAGE_SIZE]
    return render(request, "audit/log.html", {"form": form, "entries": entries}, status=status)
