"""Desk pages of the office (capability ``office.setup``): the changes in the law. A change recorded here
makes decisions on its legal basis need a second pair of eyes (``law_changes.py``); each page shows the
open drafts that now need one. Every change is in the change history (``audit/changes.py``)."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from willkommen.audit import changes
from willkommen.audit.models import Action
from willkommen.core import forms
from willkommen.core.desk import desk_view
from willkommen.core.forms import form_status

from . import law_changes
from .models import LegalChange
from .permissions import visible_cases

CAPABILITY = "office.setup"
FIELDS = ["legal_basis", "changed_on", "note"]


class LegalChangeForm(forms.ModelForm):
    class Meta:
        model = LegalChange
        fields = FIELDS
        widgets = {"changed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {
            "legal_basis": gettext_lazy("As the decisions name it, e.g. § 16b AufenthG."),
            "changed_on": gettext_lazy("The day the new law applies from."),
        }

    def clean_legal_basis(self):
        basis = " ".join(self.cleaned_data["legal_basis"].split())
        if not basis:
            raise forms.ValidationError(_("Name the legal basis."))
        return basis


@desk_view(CAPABILITY)
def law_change_list(request):
    rows = list(law_changes.law_changes(request.authority))
    counts = law_changes.affected_counts(request.authority, rows)
    context = {
        "rows": [{"change": c, "drafts": counts[c.pk], "in_force": law_changes.in_force(c)} for c in rows],
        "days": law_changes.window().days,
    }
    return render(request, "cases/law/list.html", context)


def _create(request, form):
    with transaction.atomic():
        change = form.save(commit=False)
        change.authority = request.authority
        change.save()
        changes.record_change(request, change, Action.CREATE, form=form)
        law_changes.sync_drafts(request.authority.pk, change.legal_basis)
    return change


@desk_view(CAPABILITY)
def law_change_new(request):
    form = LegalChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        change = _create(request, form)
        messages.success(request, _("The change in the law was recorded."))
        return redirect("cases:law_change", change.pk)
    return render(request, "cases/law/form.html", {"form": form}, status=form_status(form))


def _drafts(request, change):
    drafts = list(law_changes.affected_drafts(change))
    visible = set(
        visible_cases(request.user, request.authority)
        .filter(pk__in=[d.case_id for d in drafts])
        .values_list("pk", flat=True)
    )
    return [{"decision": d, "case": d.case, "link": d.case_id in visible} for d in drafts]


@desk_view(CAPABILITY)
def law_change_edit(request, pk):
    change = get_object_or_404(LegalChange, authority=request.authority, pk=pk)
    before = changes.snapshot(change, FIELDS)
    stored_basis = change.legal_basis
    form = LegalChangeForm(request.POST or None, instance=change)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            change = form.save()
            changes.record_change(request, change, Action.UPDATE, form=form, before=before)
            law_changes.sync_drafts(request.authority.pk, stored_basis, change.legal_basis)
        messages.success(request, _("The change in the law was saved."))
        return redirect("cases:law_change", change.pk)
    if form.is_bound:  # refused input: the page still shows the change as it is stored
        change = get_object_or_404(LegalChange, authority=request.authority, pk=pk)
    context = {
        "form": form,
        "change": change,
        "in_force": law_changes.in_force(change),
        "drafts": _drafts(request, change),
        "days": law_changes.window().days,
    }
    return render(request, "cases/law/form.html", context, status=form_status(form))
