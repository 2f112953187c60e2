"""Queries for applications, receipts and the client's status page."""

import datetime as dt

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from willkommen.catalogue import selectors as catalogue_selectors
from willkommen.catalogue.checklist import build
from willkommen.efile.selectors import documents_for_case, verified_document_types

from .models import Application, ApplicationStatus


def online_anliegen(authority):
    return [a for a in catalogue_selectors.anliegen_list(authority) if a.allows_online]


def get_application(authority, public_id):
    """An application of this authority or Application.DoesNotExist."""
    return Application.objects.select_related("anliegen", "case", "person").get(
        authority=authority, public_id=public_id
    )


def drafts_for_email(authority, email):
    return Application.objects.filter(
        authority=authority, email__iexact=(email or "").strip(), status=ApplicationStatus.DRAFT
    ).select_related("anliegen")


def case_checklist(case, language):
    """The client's checklist for the case, plus any item the caseworker asked for that the answers
    alone did not call for."""
    anliegen = catalogue_selectors.get_anliegen(case.authority, case.anliegen.slug)
    entries = build(anliegen, case.answers or {}, language).entries
    request = _open_request(case)
    extra = set(request.items or []) - {e.key for e in entries} if request else set()
    if extra:
        everything = build_all(anliegen, language)
        entries += [e for e in everything if e.key in extra]
    return entries


def build_all(anliegen, language):
    """Every checklist item of the Anliegen, whatever the answers."""
    from willkommen.catalogue.checklist import entry

    return [entry(item, language) for item in anliegen.checklist_items.all()]


def _open_request(case):
    return case.document_requests.filter(authority_id=case.authority_id, fulfilled_at__isnull=True).first()


def _entry_type(entry):
    return entry.document_type or entry.key


def received_and_missing(case, language):
    """(documents received for the case, checklist entries still missing) – a verified, valid original
    already on the person's file counts as received."""
    documents = list(documents_for_case(case.authority, case).exclude(document_type="receipt"))
    have = {d.document_type for d in documents} | verified_document_types(
        case.authority, case.person, timezone.localdate()
    )
    requested = open_request_items(case)
    missing = [
        e
        for e in case_checklist(case, language)
        if (e.required and _entry_type(e) not in have) or (e.key in requested and not requested[e.key])
    ]
    return documents, missing


def open_request_items(case):
    """{checklist key: delivered since the request?} for the case's open request for documents: items the
    caseworker found missing or insufficient count as delivered only by a document filed after the request."""
    request = _open_request(case)
    if request is None:
        return {}
    entries = {item.key: item for item in case.anliegen.checklist_items.all()}
    filed_since = set(
        documents_for_case(case.authority, case)
        .filter(uploaded_at__gte=request.requested_at)
        .values_list("document_type", flat=True)
    )
    return {key: (_entry_type(entries[key]) if key in entries else key) in filed_since for key in (request.items or [])}


def expected_decision_date(case):
    """The decision deadline the case room keeps (moved by stopped clocks); before the case has one,
    the Anliegen's target from the day of arrival."""
    if getattr(case, "due_on", None):
        return case.due_on
    return timezone.localtime(case.received_at).date() + dt.timedelta(days=case.anliegen.target_days or 14)


def responsible_team(case):
    if case.team_id:
        return case.team
    from willkommen.tenancy.services import route_to_team

    return route_to_team(
        case.authority,
        anliegen=case.anliegen,
        nationalities=case.person.nationalities,
        surname=case.person.family_name,
    )


def permit_counts_under_81(application):
    """True when the client said the current permit is still valid on the day of arrival (§ 81 (4))."""
    if application is None or not application.submitted_at:
        return False
    until = (application.personal or {}).get("permit_valid_until")
    if not until:
        return False
    try:
        return dt.date.fromisoformat(until) >= timezone.localtime(application.submitted_at).date()
    except ValueError:
        return False


def plain_status(status):
    """The case's state in plain words, with the next step and who takes it."""
    texts = {
        "received": (
            _("We have received your application."),
            _("A caseworker checks your application and documents. We contact you if anything is missing."),
        ),
        "in_review": (
            _("Your application is being checked."),
            _("Your caseworker is checking your documents."),
        ),
        "documents_requested": (
            _("We are waiting for documents or information from you."),
            _("Please send what is missing (see below)."),
        ),
        "waiting_other_authority": (
            _("We are waiting for the answer of another authority."),
            _("Your caseworker continues as soon as the answer arrives. You need to do nothing."),
        ),
        "decision_drafted": (
            _("A decision is being prepared."),
            _("Your caseworker completes the decision. You will receive a letter."),
        ),
        "awaiting_approval": (
            _("A decision is being prepared."),
            _("A second caseworker checks the decision. You will receive a letter."),
        ),
        "decided": (_("A decision has been made."), _("You will receive a letter.")),
        "closed": (_("Your case is closed."), _("Nothing more is needed from you.")),
        "suspended": (
            _("Your case is paused."),
            _("Your caseworker will tell you when and why it continues."),
        ),
        "transferred": (
            _("Your case was handed over to another authority."),
            _("The other authority will contact you."),
        ),
        "withdrawn": (_("Your application was withdrawn."), _("Nothing more is needed from you.")),
    }
    return texts.get(status, (_("Your application is being processed."), _("Your caseworker works on it.")))


def message_history(case):
    """The person's messages about this case (or about no particular case) from the messaging room,
    newest last; empty when that room offers no thread."""
    try:
        from willkommen.messaging import selectors as messaging_selectors
    except ImportError:
        return []
    thread = getattr(messaging_selectors, "thread", None)
    if thread is None:
        return []
    try:
        from django.db.models import Q

        return list(thread(case.authority, case.person).filter(Q(case=case) | Q(case__isnull=True))[:50])
    except Exception:  # noqa: BLE001 - the status page must not fail because of another room
        return []


def status_context(case, language):
    documents, missing = received_and_missing(case, language)
    state, next_step = plain_status(case.status)
    team = responsible_team(case)
    application = getattr(case, "online_application", None) if hasattr(case, "online_application") else None
    return {
        "case": case,
        "anliegen_title": catalogue_selectors.title(case.anliegen, language),
        "state": state,
        "next_step": next_step,
        "documents": documents,
        "missing": missing,
        "team": team,
        "caseworker": case.assignee.display_name if case.assignee_id else "",
        "phone_hours": (team.phone_hours if team and team.phone_hours else "") or case.authority.phone_hours,
        "phone": (team.phone if team and team.phone else "") or case.authority.phone,
        "consultation_hours": case.authority.consultation_hours,
        "expected_decision": expected_decision_date(case),
        "interim_days": case.anliegen.interim_answer_days,
        "history": message_history(case),
        "application": application,
        "letters": client_letters(case),
    }


def client_letters(case):
    """Letters of this case the client may download on the status page (decisions, certificates...)."""
    return list(case.letters.filter(authority_id=case.authority_id, visible_to_client=True).order_by("-created_at"))


def receipt_sections(case, application, languages):
    """One section per language (German first) with the texts of the receipt in that language."""
    sections = []
    for language in languages:
        with translation.override(language):
            documents, missing = received_and_missing(case, language)
            sections.append(
                {
                    "language": language,
                    "direction": "rtl" if translation.get_language_bidi() else "ltr",
                    "anliegen_title": catalogue_selectors.title(case.anliegen, language),
                    "documents": documents,
                    "missing": missing,
                }
            )
    return sections


def receipt_languages(application_or_language):
    language = getattr(application_or_language, "language", application_or_language) or "de"
    return ["de"] if language == "de" else ["de", language]
