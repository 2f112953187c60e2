"""The partner portal (``/desk/partners/portal/``, capability ``partner.portal``) and the staff's side of
consents (recorded and revoked on the person page).

A partner sees only persons with a valid consent of their organisation, within its scope: every query goes
through ``consents.valid_consents`` in SQL, so a revoked or expired consent cuts access with the next request.
Every page that shows a person to a partner is written to the audit log with the consent's purpose.
"""

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from willkommen.audit.services import record_read, record_reads
from willkommen.cases import selectors as cases
from willkommen.clients.visibility import Resource, visible_person
from willkommen.core.desk import desk_view
from willkommen.efile.services import UploadRejected

from . import consents, portal_access
from .forms import ConsentForm, PartnerUploadForm
from .models import Consent, ConsentSource, PartnerDelivery, PartnerOrganisation, Scope


def _organisation(request):
    return portal_access.organisation(request)


def _consents_by_person(organisation, person_id=None):
    """Valid consents of the organisation (any scope; one query), by person id: {person_id: [consent, ...]}."""
    rows = consents.valid_consents_any(organisation).select_related("person")
    if person_id is not None:
        rows = rows.filter(person_id=person_id)
    result = {}
    for consent in rows:
        result.setdefault(consent.person_id, []).append(consent)
    return result


@desk_view("partner.portal")
def portal(request):
    organisation = _organisation(request)
    by_person = _consents_by_person(organisation)
    rows = [(found[0].person, found) for found in by_person.values()]
    rows.sort(key=lambda row: (row[0].family_name, row[0].pk))
    record_reads(
        request,
        [(person, f"partner: {found[0].purpose}"[:200]) for person, found in rows],
        detail=organisation.name,
    )
    from .notices import notices_for

    return render(
        request,
        "partners/portal.html",
        {"organisation": organisation, "rows": rows, "notices": list(notices_for(organisation))},
    )


@desk_view("partner.portal")
def portal_client(request, person_id):
    organisation = _organisation(request)
    found = _consents_by_person(organisation, person_id).get(person_id, [])
    if not found:
        raise Http404
    scopes = {scope for consent in found for scope in consent.scope_list}
    person = found[0].person
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
            "scopes": scopes,
            **_client_sections(request, organisation, person, scopes),
        },
    )


def _client_sections(request, organisation, person, scopes):
    """What the client's page shows, scope by scope (each query of the person's data only for its scope)."""
    from . import portal_documents
    from .portal_appointments import bookings_by
    from .portal_documents import letters_of, missing_documents
    from .portal_forms import MessageForm, MissingDocumentForm
    from .portal_messages import thread

    authority = request.authority
    sections = {
        "cases": [],
        "missing": [],
        "letters": [],
        "bookings": [],
        "thread": list(thread(authority, person.pk, organisation)),
        "message_form": MessageForm(),
    }
    if Scope.CASE_STATUS in scopes:
        sections["cases"] = list(cases.cases_of_person(authority, person).select_related("anliegen"))
    if Scope.UPLOAD in scopes:
        open_cases = portal_documents.open_cases(authority, person)
        sections["upload_form"] = PartnerUploadForm(open_cases=open_cases)
        sections["missing"] = missing_documents(authority, person, cases=open_cases)
        sections["missing_form"] = MissingDocumentForm
    if Scope.LETTERS in scopes or Scope.NOTICE_COPIES in scopes:
        sections["letters"] = list(letters_of(authority, person, scopes))
    if Scope.APPOINTMENTS in scopes:
        sections["bookings"] = list(bookings_by(authority, person.pk, organisation))
    return sections


@desk_view("partner.portal")
@require_POST
def portal_upload(request, person_id):
    """A document for the client, into the e-file (filed under the open case the partner chose), marked as
    coming from the organisation – only with a valid consent that includes uploads (checked in SQL, at this
    very request)."""
    from willkommen.efile import services as efile

    from .portal_documents import mark_delivery, open_cases

    organisation = _organisation(request)
    consent = (
        consents.valid_consents(organisation, Scope.UPLOAD).filter(person_id=person_id).select_related("person").first()
    )
    if consent is None:
        raise Http404
    form = PartnerUploadForm(request.POST, request.FILES, open_cases=open_cases(request.authority, consent.person))
    error = ""
    if form.is_valid():
        case = form.chosen_case()
        try:
            with transaction.atomic():
                document = efile.add_document(
                    request.authority,
                    consent.person,
                    form.cleaned_data["document"],
                    document_type="partner_upload",
                    source="upload",
                    case=case,
                    uploaded_by=request.user,
                    title=f"{organisation.name}: {form.cleaned_data['title']}"[:200],
                )
                mark_delivery(request, organisation, document, case=case)
        except efile.UploadRejected as exc:
            error = exc.message
    else:
        error = _("Choose a file, give it a title and choose one of the client's open cases (or none).")
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
    form = ConsentForm(
        request.POST, request.FILES, organisations=PartnerOrganisation.objects.filter(authority=request.authority)
    )
    if not form.is_valid():
        return render(request, "partners/consent_error.html", {"person": person, "form": form}, status=400)
    try:
        _record_signed_form(request, person, form.cleaned_data)
    except (consents.ConsentError, UploadRejected) as exc:
        form.add_error(None, exc.message)
        return render(request, "partners/consent_error.html", {"person": person, "form": form}, status=400)
    messages.success(request, _("The consent was recorded."))
    return redirect("clients:detail", pk=person.pk)


def _record_signed_form(request, person, data):
    """The consent from paper: recorded, and the scan of the signed form filed in the person's e-file through
    the safe upload and linked to the consent – both or neither."""
    from willkommen.efile import services as efile

    with transaction.atomic():
        consent = consents.record_consent(
            person,
            data["organisation"],
            scopes=data["scopes"],
            purpose=data["purpose"],
            valid_until=data["valid_until"],
            source=ConsentSource.SIGNED_FORM,
            actor=request.user,
        )
        consent.document = efile.add_document(
            request.authority,
            person,
            data["form_scan"],
            document_type="consent_form",
            source="staff",
            uploaded_by=request.user,
            title=f"{data['organisation'].name}: {consent.purpose}"[:200],
        )
        consent.save(update_fields=["document"])
    return consent


@desk_view("partner.portal")
@require_POST
def organisation_revoke(request, pk):
    """The organisation ends a consent from its side (e.g. the counselling ended): access ends at once; the
    client and the caseworker see the organisation as the one who revoked."""
    organisation = _organisation(request)
    consent = get_object_or_404(Consent, pk=pk, authority=request.authority, organisation=organisation)
    consents.revoke_consent(consent, by_label=f"{organisation.name} ({request.user.display_name})", actor=request.user)
    messages.success(request, _("The consent was ended. Your organisation has no access any more."))
    return redirect("partners:portal")


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
    deliveries = list(
        PartnerDelivery.objects.filter(authority=request.authority, document__person=person)
        .select_related("organisation", "document", "case")
        .order_by("-delivered_at", "-pk")[:50]
    )
    return render_to_string(
        "partners/_person_consents.html",
        {
            "person": person,
            "rows": rows,
            "deliveries": deliveries,
            "can_edit": can_edit,
            "form": ConsentForm(organisations=organisations),
        },
        request=request,
    )
