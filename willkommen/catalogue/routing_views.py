"""Desk pages of the office (capability ``office.setup``): the routing rules that decide which team gets a
new case (``tenancy/services.py``: the first rule by priority whose every given condition matches). List,
create, edit, delete, and a check "which team would get this". The rules live in the tenancy room; their
pages are here because a rule names an Anliegen of the catalogue. Every change is in the change history."""

import re

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from willkommen.audit import changes
from willkommen.audit.models import Action
from willkommen.core import forms
from willkommen.core.desk import desk_view
from willkommen.core.forms import form_status
from willkommen.tenancy import selectors as tenancy_selectors
from willkommen.tenancy.models import RoutingRule
from willkommen.tenancy.services import rule_matches

from . import selectors

CAPABILITY = "office.setup"
FIELDS = ["priority", "team", "anliegen", "nationalities", "surname_from", "surname_to", "special_task"]
NATIONALITY = re.compile(r"^[A-Z]{3}$")
LETTER = re.compile(r"^[A-Z]$")


class AnliegenChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return selectors.title(obj, get_language())


def _nationalities(text):
    codes = [code.strip().upper() for code in re.split(r"[,\s]+", text or "") if code.strip()]
    wrong = [code for code in codes if not NATIONALITY.match(code)]
    if wrong:
        raise forms.ValidationError(_("Not a three-letter country code: %(codes)s") % {"codes": ", ".join(wrong)})
    return sorted(set(codes))


def _letter(value):
    value = (value or "").strip().upper()
    if value and not LETTER.match(value):
        raise forms.ValidationError(_("One letter from A to Z."))
    return value


class RuleForm(forms.Form):
    priority = forms.IntegerField(
        label=gettext_lazy("Priority"),
        min_value=0,
        max_value=100000,
        initial=100,
        help_text=gettext_lazy("Rules are tried from the lowest number; the first that matches decides."),
    )
    team = forms.ModelChoiceField(label=gettext_lazy("Team"), queryset=None)
    anliegen = AnliegenChoice(label=gettext_lazy("Anliegen"), queryset=None, required=False)
    nationalities = forms.CharField(
        label=gettext_lazy("Nationalities"),
        required=False,
        max_length=500,
        help_text=gettext_lazy(
            "Three-letter country codes separated by commas, e.g. SYR, AFG. Empty: every nationality."
        ),
    )
    surname_from = forms.CharField(label=gettext_lazy("Surname from letter"), required=False, max_length=1)
    surname_to = forms.CharField(label=gettext_lazy("Surname to letter"), required=False, max_length=1)
    special_task = forms.CharField(label=gettext_lazy("Special task area"), required=False, max_length=50)

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = tenancy_selectors.teams(authority).order_by("name")
        self.fields["anliegen"].queryset = selectors.anliegen_list(authority, active_only=False).order_by("slug")

    def clean_nationalities(self):
        return _nationalities(self.cleaned_data["nationalities"])

    def clean_surname_from(self):
        return _letter(self.cleaned_data["surname_from"])

    def clean_surname_to(self):
        return _letter(self.cleaned_data["surname_to"])

    def clean(self):
        data = super().clean()
        low, high = data.get("surname_from"), data.get("surname_to")
        if low and high and low > high:
            self.add_error("surname_to", _("The last letter must not come before the first."))
        return data


def _initial(rule):
    return {
        "priority": rule.priority,
        "team": rule.team_id,
        "anliegen": rule.anliegen_id,
        "nationalities": ", ".join(rule.nationalities or []),
        "surname_from": rule.surname_from,
        "surname_to": rule.surname_to,
        "special_task": rule.special_task,
    }


def _labels():
    return {name: field.label for name, field in RuleForm.base_fields.items()}


def _rules(authority):
    """The rules in the order they are tried, each with ``anliegen_title`` in the reader's language."""
    rules = list(tenancy_selectors.routing_rules(authority).select_related("team"))
    language = get_language()
    titles = {a.pk: selectors.title(a, language) for a in selectors.anliegen_list(authority, active_only=False)}
    for rule in rules:
        rule.anliegen_title = titles.get(rule.anliegen_id, "")
    return rules


class CheckForm(forms.Form):
    anliegen = AnliegenChoice(label=gettext_lazy("Anliegen"), queryset=None, required=False)
    nationality = forms.CharField(label=gettext_lazy("Nationality"), required=False, max_length=3)
    surname = forms.CharField(label=gettext_lazy("Surname"), required=False, max_length=100)
    special_task = forms.CharField(label=gettext_lazy("Special task area"), required=False, max_length=50)

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["anliegen"].queryset = selectors.anliegen_list(authority, active_only=False).order_by("slug")

    def clean_nationality(self):
        return "".join(_nationalities(self.cleaned_data["nationality"]))


def _check(rules, data):
    """The first rule that matches the check's answers (the team that would get the case), or None."""
    for rule in rules:
        if rule_matches(
            rule,
            anliegen_id=data["anliegen"].pk if data["anliegen"] else None,
            nationalities=[data["nationality"]] if data["nationality"] else [],
            surname=data["surname"],
            special_task=data["special_task"],
        ):
            return rule
    return None


@desk_view(CAPABILITY)
def rule_list(request):
    rules = _rules(request.authority)
    check = CheckForm(request.GET or None, authority=request.authority)
    checked, match = False, None
    if check.is_bound and check.is_valid():
        checked, match = True, _check(rules, check.cleaned_data)
    context = {"rules": rules, "check": check, "checked": checked, "match": match}
    return render(request, "catalogue/routing/list.html", context, status=form_status(check))


def _apply(rule, data):
    for name in FIELDS:
        setattr(rule, name, data[name])
    rule.save()
    return rule


@desk_view(CAPABILITY)
def rule_new(request):
    form = RuleForm(request.POST or None, authority=request.authority)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            rule = _apply(RoutingRule(authority=request.authority), form.cleaned_data)
            after = changes.snapshot(rule, FIELDS)
            changes.record_change(request, rule, Action.CREATE, after=after, labels=_labels())
        messages.success(request, _("The routing rule was saved."))
        return redirect("catalogue:routing")
    return render(request, "catalogue/routing/form.html", {"form": form}, status=form_status(form))


def _rule(request, pk):
    return get_object_or_404(RoutingRule, authority=request.authority, pk=pk)


@desk_view(CAPABILITY)
def rule_edit(request, pk):
    rule = _rule(request, pk)
    form = RuleForm(request.POST or None, authority=request.authority, initial=_initial(rule))
    if request.method == "POST" and form.is_valid():
        before = changes.snapshot(rule, FIELDS)
        with transaction.atomic():
            _apply(rule, form.cleaned_data)
            after = changes.snapshot(rule, FIELDS)
            changes.record_change(request, rule, Action.UPDATE, before=before, after=after, labels=_labels())
        messages.success(request, _("The routing rule was saved."))
        return redirect("catalogue:routing")
    context = {"form": form, "rule": rule}
    return render(request, "catalogue/routing/form.html", context, status=form_status(form))


@desk_view(CAPABILITY)
@require_POST
def rule_delete(request, pk):
    rule = _rule(request, pk)
    with transaction.atomic():
        before = changes.snapshot(rule, FIELDS)
        changes.record_change(request, rule, Action.DELETE, before=before, labels=_labels())
        rule.delete()
    messages.success(request, _("The routing rule was deleted."))
    return redirect("catalogue:routing")
