"""Commands on online applications: drafts, uploads, submitting exactly once, receipts, cleanup."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from willkommen.catalogue.checklist import build
from willkommen.efile import services as efile_services
from willkommen.efile.selectors import verified_document_types
from willkommen.efile.uploads import UploadRejected, check_upload, max_application_bytes

from .codes import drop_sealed_codes, seal_code, unseal_code  # noqa: F401 (part of this room's commands)
from .models import Application, ApplicationStatus, ApplicationUpload
from .retention import abandoned_drafts, delete_abandoned_drafts  # noqa: F401

PERSONAL_REQUIRED = ["family_name", "date_of_birth", "email", "city"]


class SubmitRefused(Exception):
    def __init__(self, problems):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = [str(p) for p in problems]


@dataclass
class SubmitResult:
    case: object
    access_code: str | None
    created: bool


# --- drafts --------------------------------------------------------------------------------------


def start_draft(authority, anliegen, language):
    if not anliegen.allows_online or anliegen.authority_id != authority.pk:
        raise ValueError("this Anliegen takes no online applications")
    return Application.objects.create(authority=authority, anliegen=anliegen, language=language[:8])


def save_personal(application, data):
    """``data``: the cleaned personal-data form (dates as date objects)."""
    personal = {key: (value.isoformat() if isinstance(value, dt.date) else value) for key, value in data.items()}
    application.personal = personal
    application.email = personal.get("email", "")
    if personal.get("preferred_language"):
        application.language = personal["preferred_language"]
    application.save(update_fields=["personal", "email", "language", "updated_at"])


def save_answers(application, answers):
    application.answers = answers
    application.answers_given = True
    application.save(update_fields=["answers", "answers_given", "updated_at"])


def acknowledge_information(application):
    application.consent_at = timezone.now()
    application.save(update_fields=["consent_at", "updated_at"])


def checklist_entries(application, language):
    return build(application.anliegen, application.answers or {}, language).entries


def entry_type(entry):
    return entry.document_type or entry.key


def uploaded_bytes(application):
    return application.uploads.aggregate(total=Sum("size"))["total"] or 0


def add_upload(application, checklist_key, uploaded_file):
    """Check and store one file for a checklist item of a draft. Raises UploadRejected."""
    if not application.is_draft:
        raise UploadRejected(_("This application was already submitted."))
    entries = {e.key: e for e in checklist_entries(application, application.language)}
    if checklist_key not in entries:
        raise UploadRejected(_("This document is not asked for in your application."))
    checked = check_upload(uploaded_file)
    previous = list(application.uploads.filter(checklist_key=checklist_key))
    budget = max_application_bytes() - (uploaded_bytes(application) - sum(u.size for u in previous))
    if checked.size > budget:
        raise UploadRejected(
            _("All documents of one application together may have at most %(mb)d MB.")
            % {"mb": settings.UPLOAD_MAX_APPLICATION_MB}
        )
    name = efile_services.store_checked(application.authority, checked, folder="drafts")
    with transaction.atomic():
        upload = ApplicationUpload.objects.create(
            authority=application.authority,
            application=application,
            checklist_key=checklist_key,
            document_type=entry_type(entries[checklist_key]),
            storage_name=name,
            original_name=checked.safe_name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            scan_status=checked.scan_status,
            text=checked.text,
        )
        for old in previous:
            old.delete()
            transaction.on_commit(lambda n=old.storage_name: default_storage.delete(n))
    return upload


def missing_entries(application, language):
    """Required checklist entries with no upload (and no verified original on file)."""
    have = set(application.uploads.values_list("checklist_key", flat=True))
    verified = (
        verified_document_types(application.authority, application.person, timezone.localdate())
        if (application.person_id)
        else set()
    )
    return [
        e
        for e in checklist_entries(application, language)
        if e.required and e.key not in have and entry_type(e) not in verified
    ]


def blocking_problems(application):
    problems = []
    personal = application.personal or {}
    if any(not personal.get(name) for name in PERSONAL_REQUIRED):
        problems.append(_("Please complete your personal data."))
    if application.anliegen.questions.exists() and not application.answers_given:
        problems.append(_("Please answer the questions about your matter."))
    if application.consent_at is None:
        problems.append(_("Please confirm that you have read how we use your data."))
    return problems


# --- submit ---------------------------------------------------------------------------------------


def _person_for(application):
    from willkommen.clients.selectors import persons_with_email
    from willkommen.clients.services import create_person

    p = application.personal
    dob = dt.date.fromisoformat(p["date_of_birth"])
    existing = (
        persons_with_email(application.authority, p["email"])
        .filter(date_of_birth=dob, family_name__iexact=p["family_name"].strip())
        .first()
    )
    if existing:
        return existing
    return create_person(
        application.authority,
        family_name=p["family_name"].strip(),
        given_names=p.get("given_names", "").strip(),
        family_name_native=p.get("family_name_native", "").strip(),
        given_names_native=p.get("given_names_native", "").strip(),
        date_of_birth=dob,
        nationalities=p.get("nationalities") or [],
        street=p.get("street", ""),
        postal_code=p.get("postal_code", ""),
        city=p.get("city", ""),
        email=p["email"],
        phone=p.get("phone", ""),
        preferred_language=p.get("preferred_language") or application.language,
        preferred_channel=p.get("preferred_channel") or "email",
    )


def case_key(application, key):
    """The idempotency key stored on the case: namespaced by the application, so two clients who happen
    to choose the same key never receive each other's case."""
    return f"app:{application.public_id.hex}:{key}"[:80]


def _record_declared_title(application, person, case):
    """The permit expiry the client declared becomes an unverified entry of the residence history (the
    caseworker confirms it on the person page); the case's permit expiry and urgency follow from it."""
    from willkommen.clients.models import ResidenceKind, ResidenceSource
    from willkommen.clients.services import record_residence

    from .selectors import declared_permit_expiry

    until = declared_permit_expiry(application)
    if until is None:
        return None
    return record_residence(
        person,
        kind=ResidenceKind.TITLE,
        valid_to=until,
        source=ResidenceSource.DECLARED,
        case=case,
        source_ref=f"case:{case.pk}:declared",
    )


def _file_uploads(app, person, case):
    """The application's uploads become documents of the person's e-file, on the new case."""
    for upload in app.uploads.all():
        document = efile_services.register_stored_file(
            app.authority,
            person,
            storage_name=upload.storage_name,
            original_name=upload.original_name,
            content_type=upload.content_type,
            size=upload.size,
            sha256=upload.sha256,
            scan_status=upload.scan_status,
            text=upload.text,
            document_type=upload.document_type,
            case=case,
        )
        upload.document = document
        upload.save(update_fields=["document"])


def submit(application, *, idempotency_key, status_url=""):
    """Turn a draft into a case, exactly once: one transaction, the application row locked, and the
    idempotency key on the case. Repeats return the same case and the same access code."""
    from willkommen.cases.models import CaseSource
    from willkommen.cases.services import open_case

    key = (idempotency_key or "").strip()[:43]
    if not key:
        raise SubmitRefused([_("The request is missing its idempotency key.")])
    with transaction.atomic():
        app = (
            Application.objects.select_for_update(of=("self",))
            .select_related("anliegen", "authority")
            .get(pk=application.pk)
        )
        if app.case_id:
            return SubmitResult(app.case, unseal_code(app), created=False)
        problems = blocking_problems(app)
        if problems:
            raise SubmitRefused(problems)
        authority = app.authority
        person = _person_for(app)
        case, code = open_case(  # routed by open_case: its routers (an invited application), then the rules
            authority,
            person=person,
            anliegen=app.anliegen,
            source=CaseSource.ONLINE,
            answers=app.answers,
            idempotency_key=case_key(app, key),
        )
        if code is None:  # cannot happen with keys namespaced by application; never hand out another case
            raise SubmitRefused([_("This request was already used for another application.")])
        _record_declared_title(app, person, case)
        _file_uploads(app, person, case)
        app.status = ApplicationStatus.SUBMITTED
        app.case = case
        app.person = person
        app.idempotency_key = key[:80]
        app.submitted_at = case.received_at
        app.sealed_code = seal_code(app, code)
        app.save()

        from .tasks import send_receipt

        send_receipt.enqueue(app.pk, status_url)  # enqueued on commit (TASKS ENQUEUE_ON_COMMIT)
    return SubmitResult(case, code, created=True)


# --- after submit: uploads from the status page ----------------------------------------------------


def add_missing_document(case, checklist_key, uploaded_file, language, *, uploaded_by=None, title=""):
    """A document for a checklist item of the case (the client's status page, or a partner organisation with
    the client's consent: ``uploaded_by`` and ``title`` then name it); the case resumes when everything asked
    for has arrived."""
    from .selectors import case_checklist

    entries = {e.key: e for e in case_checklist(case, language)}
    if checklist_key not in entries:
        raise UploadRejected(_("This document is not asked for in your application."))
    document = efile_services.add_document(
        case.authority,
        case.person,
        uploaded_file,
        document_type=entry_type(entries[checklist_key]),
        source="upload",
        case=case,
        uploaded_by=uploaded_by,
        title=title,
    )
    _resume_when_request_fulfilled(case)
    return document


def _resume_when_request_fulfilled(case):
    """When the client has now sent everything the caseworker asked for, the case goes back to review
    and its clock restarts (cases room); partial deliveries leave the request open."""
    from willkommen.cases import services as case_services
    from willkommen.cases.workflow import Status

    from .selectors import open_request_items

    case.refresh_from_db(fields=["status"])
    if case.status != Status.DOCUMENTS_REQUESTED:
        return
    items = open_request_items(case)
    if items and all(items.values()):
        case_services.documents_received(case, note=_("All requested documents were uploaded by the client."))
