"""Queries for applications, receipts and the client's status page."""

import copy
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


class CaseDocuments:
    """What the checklist of a case depends on, whatever the language, read once: the Anliegen with its items
    and texts, the open request for documents, the documents handed in and the document types on file. The
    receipt, written in German and the client's language, reads these once for both."""

    def __init__(self, case):
        self.case = case
        self.anliegen = catalogue_selectors.get_anliegen(case.authority, case.anliegen.slug)
        self.request = _open_request(case)
        # what the client (or the desk for them) handed in – not the office's own letters and receipts
        self.documents = list(
            documents_for_case(case.authority, case).exclude(document_type="receipt").exclude(source="letter")
        )
        self.have = {d.document_type for d in self.documents} | verified_document_types(
            case.authority, case.person, timezone.localdate()
        )
        self.requested = _request_items(case, self.request, self.anliegen)


def case_checklist(case, language, facts=None):
    """The client's checklist for the case, plus any item the caseworker asked for that the answers
    alone did not call for."""
    anliegen = facts.anliegen if facts else catalogue_selectors.get_anliegen(case.authority, case.anliegen.slug)
    entries = build(anliegen, case.answers or {}, language).entries
    request = facts.request if facts else _open_request(case)
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


def received_and_missing(case, language, facts=None):
    """(documents received for the case, checklist entries still missing) – a verified, valid original
    already on the person's file counts as received. ``facts`` (:class:`CaseDocuments`) when the caller
    needs the same case in several languages; the documents are then copies, labelled in ``language``."""
    facts = facts or CaseDocuments(case)
    entries = case_checklist(case, language, facts)
    missing = [
        e
        for e in entries
        if (e.required and _entry_type(e) not in facts.have)
        or (e.key in facts.requested and not facts.requested[e.key])
    ]
    documents = [copy.copy(d) for d in facts.documents]
    label_documents(documents, entries + build_all(facts.anliegen, language))
    return documents, missing


def label_documents(documents, entries):
    """Give each document ``label``: the title of the checklist item it answers, in the entries' language
    (an authority's own types such as "funds" have no other name), else the e-file's translated type name."""
    titles = {}
    for entry in entries:
        titles.setdefault(_entry_type(entry), entry.title)
    for document in documents:
        document.label = titles.get(document.document_type) or document.type_label


def document_request(case, language, missing, facts=None):
    """The open request for documents as the client sees it: exactly the items asked for (each with its
    upload entry, delivered or not), the deadline, the note, and whether the clock stands still – or None.
    ``missing`` (of :func:`received_and_missing`) loses the requested items, which are shown here instead."""
    request = facts.request if facts else _open_request(case)
    if request is None:
        return None
    delivered = facts.requested if facts else open_request_items(case)
    entries = {e.key: e for e in case_checklist(case, language, facts)}
    items = [
        {"key": key, "entry": entries[key], "delivered": delivered.get(key, False)}
        for key in (request.items or [])
        if key in entries
    ]
    return {
        "items": items,
        "open_items": [item for item in items if not item["delivered"]],
        "deadline": request.deadline,
        "note": request.note,
        "requested_at": request.requested_at,
        "paused_since": case.clock_stopped_on,
    }


def open_request_items(case):
    """{checklist key: delivered since the request?} for the case's open request for documents: items the
    caseworker found missing or insufficient count as delivered only by a document filed after the request."""
    return _request_items(case, _open_request(case), case.anliegen)


def _request_items(case, request, anliegen):
    if request is None:
        return {}
    entries = {item.key: item for item in anliegen.checklist_items.all()}
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
    from willkommen.cases.selectors import processing_target

    return processing_target(case)[0]


def target_days(case):
    """Calendar days from arrival to the processing target ("3 months" counted as calendar months)."""
    from willkommen.cases.selectors import processing_target

    return processing_target(case)[1]


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


def declared_permit_expiry(application):
    """The expiry of the current permit the client declared online (None when not given or unreadable)."""
    until = (getattr(application, "personal", None) or {}).get("permit_valid_until")
    try:
        return dt.date.fromisoformat(until) if until else None
    except ValueError:
        return None


def application_fiction(application):
    """The § 81 rule for a submitted online application from what the client declared and the day it
    arrived (the pure ``cases`` function; the same rule the certificate form proposes)."""
    from willkommen.cases.selectors import fiction_for

    if application is None or not application.submitted_at:
        return ""
    return fiction_for(
        arrival=timezone.localtime(application.submitted_at).date(),
        permit_valid_until=declared_permit_expiry(application),
        anliegen=application.anliegen,
    )


def permit_counts_under_81(application):
    """True when the client said the current permit is still valid on the day of arrival (§ 81 (4) sentence 1)."""
    return application_fiction(application) == "81_4_1"


def fiction_text(rule):
    """What § 81 means for the client, in plain words ('' when nothing follows from it)."""
    texts = {
        "81_4_1": _(
            "Your application arrived before your residence permit expired: your permit continues to apply "
            "until we decide (§ 81 (4) Residence Act)."
        ),
        "81_4_3": _(
            "Your application arrived after your residence permit had expired. We check whether your permit can "
            "continue to apply until we decide (§ 81 (4) sentence 3 Residence Act)."
        ),
        "81_3_1": _("Your stay counts as permitted until we decide (§ 81 (3) Residence Act)."),
        "81_3_2": _("Your deportation counts as suspended until we decide (§ 81 (3) sentence 2 Residence Act)."),
    }
    return texts.get(rule, "")


def case_fiction(case):
    """The § 81 rule for the client's case from the residence history (confirmed or declared)."""
    from willkommen.cases.selectors import fiction_paragraph

    return fiction_paragraph(case)


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
    facts = CaseDocuments(case)
    documents, missing = received_and_missing(case, language, facts)
    request = document_request(case, language, missing, facts)
    if request:
        asked = {item["key"] for item in request["items"]}
        missing = [e for e in missing if e.key not in asked]
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
        "document_request": request,
        "team": team,
        "caseworker": case.assignee.display_name if case.assignee_id else "",
        "phone_hours": team.local_text("phone_hours", language)
        if team and team.phone_hours
        else case.authority.local_text("phone_hours", language),
        "phone": (team.phone if team and team.phone else "") or case.authority.phone,
        "consultation_hours": case.authority.local_text("consultation_hours", language),
        "expected_decision": expected_decision_date(case),
        "interim_days": case.anliegen.interim_answer_days,
        "history": message_history(case),
        "application": application,
        "letters": client_letters(case),
        "fiction_text": fiction_text(case_fiction(case)) if _is_open(case) else "",
    }


def _is_open(case):
    from willkommen.cases.selectors import is_open

    return is_open(case)


def client_letters(case):
    """Letters of this case the client may download on the status page (decisions, certificates...)."""
    return list(case.letters.filter(authority_id=case.authority_id, visible_to_client=True).order_by("-created_at"))


def receipt_sections(case, application, languages):
    """One section per language (German first) with the texts of the receipt in that language."""
    sections = []
    facts = CaseDocuments(case)
    for language in languages:
        with translation.override(language):
            documents, missing = received_and_missing(case, language, facts)
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
