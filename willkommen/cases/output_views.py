"""Desk pages of a case's outputs: the certificate of continued residence (issue, extend), the letters as
PDF, the hand-over to another authority and the XAusländer-shaped export."""

import json

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from willkommen.accounts.decorators import desk_view
from willkommen.audit.services import record_read

from . import residence, services, workflow
from .errors import CaseError
from .forms import ExtendForm, FiktionForm, TransferForm
from .views import _back, _case, _error, _letters, _page


@desk_view("cases.work")
def fiktion(request, pk):
    case = _case(request, pk)
    if case.is_final or case.status == workflow.Status.DECIDED:
        return _error(request, _("A certificate is only issued while the application is open."), status=409)
    proposed = residence.fiction_paragraph(case)  # § 81 from the residence history (fiction.py)
    form = FiktionForm(request.POST or None, initial={"paragraph": proposed} if proposed else {})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                certificate, _letter = residence.issue_certificate(case, request.user, **form.cleaned_data)
            except CaseError as exc:
                form.add_error(None, exc.message)
                for error in exc.errors:
                    form.add_error(None, error)
            else:
                messages.success(request, _("Certificate %(serial)s issued.") % {"serial": certificate.serial})
                return _back(pk)
        status = 400
    context = _page(request, case, form, _("Certificate of continued residence"), _("Issue certificate"))
    context.update(proposed=proposed, proposed_text=residence.EXPLANATIONS[proposed])
    return render(request, "cases/fiktion.html", context, status=status)


@desk_view("cases.work")
@require_POST
def extend_fiktion(request, pk, certificate_id):
    case = _case(request, pk)
    certificate = case.fiktion_certificates.filter(pk=certificate_id).first()
    if certificate is None:
        raise Http404
    form = ExtendForm(request.POST)
    if not form.is_valid():
        return _error(request, _("Give the new end date."), [e for errs in form.errors.values() for e in errs])
    try:
        residence.extend_certificate(certificate, request.user, valid_until=form.cleaned_data["valid_until"])
    except CaseError as exc:
        return _error(request, exc.message, status=409)
    return _back(pk)


@desk_view("desk")
def letter_pdf(request, pk, letter_id):
    case = _case(request, pk)
    letter = _letters(request, case).filter(pk=letter_id).first()
    if letter is None:
        raise Http404
    record_read(request, letter, purpose="letter")
    from willkommen.letters.services import letter_download

    return letter_download(letter, f"{letter.kind}-{case.number}.pdf")


@desk_view("cases.work")
def transfer(request, pk):
    case = _case(request, pk)
    if not workflow.allowed(case.status, "transfer"):
        return _error(request, _("This case cannot be transferred in its current state."), status=409)
    form = TransferForm(request.POST or None, exclude=request.authority)
    if request.method == "POST":
        if form.is_valid():
            try:
                taken = services.take(
                    case,
                    "transfer",
                    request.user,
                    note=form.cleaned_data["reason"],
                    to_authority=form.cleaned_data["authority"],
                )
            except CaseError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request, _("Handed over as %(number)s.") % {"number": taken.products["new_case"].number}
                )
                return _back(pk)
        return render(
            request,
            "cases/transfer.html",
            _page(request, case, form, _("Transfer to another authority"), _("Transfer")),
            status=400,
        )
    return render(
        request, "cases/transfer.html", _page(request, case, form, _("Transfer to another authority"), _("Transfer"))
    )


@desk_view("cases.work")
def export(request, pk):
    from .transfer import xauslaender_export

    case = _case(request, pk)
    record_read(request, case, purpose="export")
    response = HttpResponse(
        json.dumps(xauslaender_export(case), ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{case.number}-xauslaender.json"'
    return response
