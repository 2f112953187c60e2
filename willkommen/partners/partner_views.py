"""The partner portal (``/desk/partners/portal/``, capability ``partner.portal``) and the staff's side of
consents (recorded and revoked on the person page).

A partner sees only persons with a valid consent of their organisation, within its scope: every query goes
through ``consents.valid_consents`` in SQL, so a revoked or expired consent cuts access with the next request.
Every page that shows a person to a partner is written to the audit log with the consent's purpose.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from willkommen.audit.services import record_read
from willkommen.cases import selectors as cases
from willkommen.clients.visibility import Resource, visible_person
from willkommen.core.desk import desk_view

from . import consents
from .forms import ConsentForm, PartnerUploadForm
from .models import Consent, ConsentSource, PartnerOrganisation, Scope


def _organisation(request):
    organisation = consents.organisation_of(request.user)
    if organisation is None or organisation.authority_id != request.authority.pk:
        raise Http404
    return organisation


def _consents_by_person(organisation):
    """Valid consents of the organisation, by person id: {person_id: [consent, ...]}."""
    result = {}
    for scope in Scope.values:
        for consent in consents.valid_consents(organisation, scope).select_related("person"):
            result.setdefault(consent.person_id, {})[consent.pk] = consent
    return {pid: list(rows.values()) for pid, rows in result.items()}


@desk_view("partner.portal")
def portal(request):
    organisation = _organisation(request)
    by_person = _consents_by_person(organisation)
    rows = [(found[0].person, found) for found in by_person.values()]
    rows.sort(key=lambda row: (row[0].family_name, row[0].pk))
    for person, found in rows:
        record_read(request, person, purpose=f"partner: {found[0].purpose}"[:200], detail=organisation.name)
    return render(request, "partners/portal.html", {"organisation": organisation, "rows": rows})


@desk_view("partner.portal")
def portal_client(request, person_id):
    organisation = _organisation(request)
    found = [c for c in _consents_by_person(organisation).get(person_id, [])]
    if not found:
        raise Http404
    scopes = {scope for consent in found for scope in consent.scope_list}
    person = found[0].person
    case_rows = []
    if Scope.CASE_STATUS in scopes:
        case_rows = list(cases.cases_of_person(request.authority, person).select_related("anliegen"))
    record_read(
        request,
        person,
        purpose=f"partner: {found[0].purpose}"[:200],
        detail=organisation.name,
    )
    return render(
        request,
        "partners/portal_client.html",
        {
            "organisation": organisation,
            "person": person,
            "consents": found,
            "cases": case_rows,
            "scopes": scopes,
            "upload_form": PartnerUploadForm(),
        },
    )


@desk_view("partner.portal")
@require_POST
def portal_upload(request, person_id):
    """A document for the client, into the e-file, marked as coming from the organisation – only with a valid
    consent that includes uploads (checked in SQL, at this very request)."""
    from willkommen.efile import services as efile

    organisation = _organisation(request)
    consent = consents.valid_consents(organisation, Scope.UPLOAD).filter(person_id=person_id).first()
    if consent is None:
        raise Http404
    form = PartnerUploadForm(request.POST, request.FILES)
    error = ""
    if form.is_valid():
        try:
            efile.add_document(
                request.authority,
                consent.person,
                form.cleaned_data["document"],
                document_type="partner_upload",
                source="upload",
                uploaded_by=request.user,
                title=f"{organisation.name}: {form.cleaned_data['title']}"[:200],
            )
        except efile.UploadRejected as exc:
            error = exc.message
    else:
        error = _("Choose a file and give it a title.")
    if error:
        return render(request, "core/error.html", {"title": _("This did not work"), "message": error}, status=400)
    record_read(request, consent.person, purpose=f"partner upload: {consent.purpose}"[:200], detail=organisation.name)
    messages.success(request, _("The document was added to the client's file."))
    return redirect("partners:portal_client", person_id=person_id)


def _staff_person(request, person_id):
    person = visible_person(request.user, request.authority, Resource.PERSON, person_id)
    if person is None:
        raise Http404
    return person


@desk_view("clients.edit")
@require_POST
def record(request, person_id):
    person = _staff_person(request, person_id)
    form = ConsentForm(request.POST, organisations=PartnerOrganisation.objects.filter(authority=request.authority))
    if not form.is_valid():
        return render(request, "partners/consent_error.html", {"person": person, "form": form}, status=400)
    data = form.cleaned_data
    try:
        consents.record_consent(
            person,
            data["organisation"],
            scopes=data["scopes"],
            purpose=data["purpose"],
            valid_until=data["valid_until"],
            source=ConsentSource.SIGNED_FORM,
            actor=request.user,
        )
    except consents.ConsentError as exc:
        form.add_error(None, exc.message)
        return render(request, "partners/consent_error.html", {"person": person, "form": form}, status=400)
    messages.success(request, _("The consent was recorded."))
    return redirect("clients:detail", pk=person.pk)


@desk_view("clients.edit")
@require_POST
def revoke(request, pk):
    consent = get_object_or_404(Consent, pk=pk, authority=request.authority)
    _staff_person(request, consent.person_id)
    consents.revoke_consent(
        consent, by_label=f"{request.user.display_name} ({request.authority.name})", actor=request.user
    )
    messages.success(request, _("The consent was revoked."))
    return redirect("clients:detail", pk=consent.person_id)


def person_panel(request, person):
    """The person page's panel (slot ``clients.person``): the person's consents, for staff who read the person."""
    from django.template.loader import render_to_string

    user = getattr(request, "user", None)
    if person is None or user is None or not user.is_authenticated or not user.can("clients.view"):
        return ""
    rows = list(Consent.objects.filter(authority=request.authority, person=person).select_related("organisation"))
    organisations = PartnerOrganisation.objects.filter(authority=request.authority, active=True)
    can_edit = user.can("clients.edit")
    if not rows and not (can_edit and organisations.exists()):
        return ""
    return render_to_string(
        "partners/_person_consents.html",
        {"person": person, "rows": rows, "can_edit": can_edit, "form": ConsentForm(organisations=organisations)},
        request=request,
    )
