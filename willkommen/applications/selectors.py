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
    anliegen = catalogue_selectors.get_anliegen(case.authority, case.anliegen.slug)
    return build(anliegen, case.answers or {}, language).entries


def _entry_type(entry):
    return entry.document_type or entry.key


def received_and_missing(case, language):
    """(documents received for the case, checklist entries still missing) – a verified, valid original
    already on the person's file counts as received."""
    documents = list(documents_for_case(case.authority, case).exclude(document_type="receipt"))
    have = {d.document_type for d in documents} | verified_document_types(
        case.authority, case.person, timezone.localdate()
    )
    missing = [e for e in case_checklist(case, language) if e.required and _entry_type(e) not in have]
    return documents, missing


def expected_decision_date(case):
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
        "waiting_for_client": (
            _("We are waiting for documents or information from you."),
            _("Please send what is missing (see below)."),
        ),
        "appointment": (
            _("We have invited you to an appointment."),
            _("Please come to the appointment; bring your original documents."),
        ),
        "decided": (_("A decision has been made."), _("You will receive a letter.")),
        "closed": (_("Your case is closed."), _("Nothing more is needed from you.")),
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
    }


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
