"""The partner portal's documents: the client's missing documents (answered by an upload that is linked to the
case and to the open request for documents) and the client's letters and copies of notices as downloads.

Every query starts from ``consents.valid_consents`` (SQL, this very request); every read and download is
written to the audit log with the consent's purpose.
"""

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from willkommen.audit.services import record_read
from willkommen.core.desk import desk_view

from . import consents, portal_access
from .models import PartnerDelivery, Scope
from .portal_access import consent_for
from .portal_forms import MissingDocumentForm

# Letters that are notices (Bescheide): shown under "receive copies of notices"; every other letter the
# client can see is shown under "see letters".
NOTICE_KINDS = ("decision",)


def _open_cases(authority, person):
    from willkommen.cases import selectors as cases

    return [c for c in cases.cases_of_person(authority, person).select_related("anliegen") if cases.is_open(c)]


def open_cases(authority, person):
    return _open_cases(authority, person)


def missing_documents(authority, person, language=None, cases=None):
    """[(case, [{"entry", "requested"}])] for the person's open cases (``cases`` when already read): the
    checklist items not received, those of the open request for documents marked ``requested``."""
    from willkommen.applications import selectors as applications

    language = language or get_language() or "de"
    result = []
    for case in _open_cases(authority, person) if cases is None else cases:
        _received, missing = applications.received_and_missing(case, language)
        requested = applications.open_request_items(case)
        rows = [{"entry": e, "requested": e.key in requested} for e in missing]
        if rows:
            result.append((case, rows))
    return result


def letters_of(authority, person, scopes):
    """The client's letters a partner may download with ``scopes``: notices under "receive copies of
    notices", every other letter the client sees under "see letters"."""
    from willkommen.letters.models import Letter

    rows = Letter.objects.filter(authority=authority, person=person, visible_to_client=True)
    if Scope.LETTERS not in scopes:
        rows = rows.filter(kind__in=NOTICE_KINDS)
    if Scope.NOTICE_COPIES not in scopes:
        rows = rows.exclude(kind__in=NOTICE_KINDS)
    if Scope.LETTERS not in scopes and Scope.NOTICE_COPIES not in scopes:
        return rows.none()
    return rows.order_by("-created_at", "-id")


@desk_view("partner.portal")
@require_POST
def answer_missing(request, person_id):
    """A partner's upload for one missing checklist item of an open case; when the item is part of the open
    request for documents, the delivery is linked to it ("received from <organisation>")."""
    from willkommen.applications import services as applications
    from willkommen.cases import selectors as cases
    from willkommen.efile.services import UploadRejected

    organisation, consent = consent_for(request, person_id, Scope.UPLOAD)
    form = MissingDocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _refused(request, _("Choose a file."))
    case = cases.case_by_id(request.authority, form.cleaned_data["case"])
    if case is None or case.person_id != consent.person_id or not cases.is_open(case):
        raise Http404
    item = form.cleaned_data["item"]
    request_row = case.document_requests.filter(authority=request.authority, fulfilled_at__isnull=True).first()
    answered = request_row if request_row is not None and item in (request_row.items or []) else None
    language = get_language() or "de"
    try:
        with transaction.atomic():
            document = applications.add_missing_document(
                case,
                item,
                form.cleaned_data["document"],
                language,
                uploaded_by=request.user,
                title=f"{organisation.name}: {_item_title(case, item, language)}"[:200],
            )
            mark_delivery(request, organisation, document, case=case, document_request=answered, item=item)
    except UploadRejected as exc:
        return _refused(request, exc.message)
    record_read(request, consent.person, purpose=f"partner upload: {consent.purpose}"[:200], detail=organisation.name)
    messages.success(request, _("The document was added to the client's file."))
    return redirect("partners:portal_client", person_id=person_id)


def _item_title(case, item, language):
    """The checklist item's title in words (the key only if the checklist no longer has it)."""
    from willkommen.applications import selectors as applications

    return next((e.title for e in applications.case_checklist(case, language) if e.key == item), item)


def mark_delivery(request, organisation, document, *, case=None, document_request=None, item=""):
    """Every document a partner puts into the e-file is marked as coming from the organisation: the
    caseworker sees it on the case (and the person page) as "received from <organisation>"."""
    return PartnerDelivery.objects.create(
        authority=request.authority,
        document=document,
        document_request=document_request,
        case=case,
        item=item,
        organisation=organisation,
        delivered_by=request.user,
        delivered_at=timezone.now(),
    )


def _refused(request, message, status=400):
    return render(request, "core/error.html", {"title": _("This did not work"), "message": message}, status=status)


@desk_view("partner.portal")
def letter_download(request, person_id, pk):
    """One of the client's letters or notices as PDF, checked against its checksum; each download audited."""
    from willkommen.letters import services as letters

    organisation = portal_access.organisation(request)
    scopes = set()
    purpose = ""
    for scope in (Scope.LETTERS, Scope.NOTICE_COPIES):
        consent = consents.valid_consents(organisation, scope).filter(person_id=person_id).first()
        if consent is not None:
            scopes.add(scope)
            purpose = purpose or consent.purpose
    letter = letters_of(request.authority, person_id, scopes).filter(pk=pk).first() if scopes else None
    if letter is None:
        raise Http404
    try:
        response = letters.letter_download(letter, f"{letter.kind}-{letter.pk}.pdf", attachment=True)
    except OSError:  # the stored file does not match its checksum (or is gone)
        return _refused(request, _("This file is damaged. Please ask the office."), status=409)
    record_read(request, letter, action="download", purpose=f"partner: {purpose}"[:200], detail=organisation.name)
    return response
