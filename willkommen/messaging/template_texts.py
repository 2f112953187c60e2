"""The catalogue of every text a client receives automatically: its key, where it is used, its placeholders.

The shipped texts are in ``default_texts/<language>.toml`` (one file per language, so a translator
reviews one file). Administrators change them for their authority at ``/desk/messaging/templates/``;
``texts.py`` keeps every change as a new version and picks the text to send.

Three kinds of entries:

* ``message``: an e-mail, portal message or letter text (subject and text);
* ``sms``: a short text (the subject is the sender line, e.g. the office name);
* ``block``: a text block of a letter (PDF) or a part of another message (``next_step_*``); where
  ``subject`` is true its subject is the block's heading.

A new automatic message is one :class:`Definition` below and one entry in each of the eight files;
``tests/test_templates.py`` checks that every language has every key with its required placeholders.
"""

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _

LANGUAGES = ["de", "en", "ar", "fa", "tr", "uk", "ru", "fr"]
DIRECTORY = Path(__file__).with_name("default_texts")
MESSAGE, SMS, BLOCK = "message", "sms", "block"

GROUPS = {
    "cases": _("Cases"),
    "applications": _("Online applications"),
    "appointments": _("Appointments"),
    "servicepoint": _("ServicePoint"),
    "messaging": _("Messages"),
    "letters": _("Letters (PDF)"),
    "rights": _("Residence rights"),
    "accommodation": _("Accommodation"),
}

PLACEHOLDER_HELP = {
    "name": _("the client's name"),
    "authority": _("the name of the authority"),
    "case_number": _("the case number"),
    "anliegen": _("the Anliegen, in the client's language"),
    "status": _("where the case stands"),
    "next_step": _("what happens next (text block by status)"),
    "expected_date": _("the date by which a decision is expected"),
    "link": _("a link for the client"),
    "documents": _("a list of documents, one per line"),
    "deadline": _("the deadline"),
    "note": _("the caseworker's note (left out when empty)"),
    "date": _("a date"),
    "time": _("a time"),
    "place": _("the address of the location"),
    "reference": _("the booking reference"),
    "hold_minutes": _("minutes the reservation is held"),
    "minutes": _("minutes the link stays valid"),
    "confirm_url": _("the link to confirm"),
    "cancel_url": _("the link to cancel"),
    "move_url": _("the link to move the appointment"),
    "detail_url": _("the link to the appointment"),
    "checklist": _("what to bring, one item per line"),
    "checklist_optional": _("what to bring if available, one item per line"),
    "reason": _("the reason (left out when empty)"),
    "position": _("the place on the waiting list"),
    "access_code": _("the access code"),
    "status_url": _("the link to the status page"),
    "number": _("the ticket number"),
    "counter": _("the counter"),
    "office": _("the name of the office"),
    "subject": _("the subject of the client's message"),
    "court": _("the place whose administrative court is responsible"),
    "received_on": _("the date the application was received"),
    "days": _("the processing target in days"),
    "interim_days": _("days until the interim answer (left out when none)"),
    "rule": _("the legal basis of the residence right"),
    "explanation": _("the rule explained for clients, in their language"),
    "accommodation": _("the name of the accommodation"),
    "code": _("the confirmation code"),
}


@dataclass(frozen=True)
class Definition:
    key: str
    group: str
    label: str
    placeholders: tuple
    required: tuple = ()
    optional: tuple = ()  # may be empty: their line (or paragraph) is then left out
    kind: str = MESSAGE
    german_below: bool = False  # messages with legal weight carry the German text below the translation
    subject: bool = True  # whether the subject (or a block's heading) is used

    @property
    def help(self):
        return [(name, PLACEHOLDER_HELP.get(name, "")) for name in self.placeholders]


CASE = ("name", "case_number", "anliegen", "status", "next_step", "expected_date", "link", "authority")
BOOKING = ("name", "anliegen", "date", "time", "place", "reference", "authority")


def _block(key, group, label, placeholders=(), required=(), subject=False, optional=()):
    return Definition(key, group, label, placeholders, required, optional=optional, kind=BLOCK, subject=subject)


DEFINITIONS = [
    # cases
    Definition(
        "status_message",
        "cases",
        _("Status message (every four weeks)"),
        CASE,
        ("case_number", "status"),
        optional=("link", "expected_date"),
    ),
    Definition(
        "interim_answer", "cases", _("Interim answer"), CASE, ("case_number",), optional=("link", "expected_date")
    ),
    Definition(
        "document_request",
        "cases",
        _("Request for documents"),
        ("name", "case_number", "anliegen", "documents", "deadline", "note", "link", "authority"),
        ("case_number", "documents", "deadline"),
        german_below=True,
        optional=("note", "link"),
    ),
    Definition(
        "decision_notice",
        "cases",
        _("Decision notice"),
        ("name", "case_number", "anliegen", "link", "authority"),
        ("case_number",),
        german_below=True,
        optional=("link",),
    ),
    _block("next_step_review", "cases", _("Next step: in review")),
    _block("next_step_documents", "cases", _("Next step: documents requested")),
    _block("next_step_other_authority", "cases", _("Next step: waiting for another authority")),
    _block("next_step_decision", "cases", _("Next step: decision being prepared")),
    _block("next_step_paused", "cases", _("Next step: case suspended")),
    # online applications
    Definition(
        "receipt",
        "applications",
        _("Receipt of an online application"),
        ("name", "case_number", "anliegen", "date", "access_code", "status_url", "authority"),
        ("case_number", "access_code", "status_url"),
        german_below=True,
        optional=("access_code",),
    ),
    Definition(
        "application_resume_link",
        "applications",
        _("Link to continue an online application"),
        ("link", "minutes", "authority"),
        ("link",),
    ),
    # the portal's sign-in
    Definition(
        "sign_in_link",
        "messaging",
        _("Sign-in link for the portal"),
        ("link", "minutes", "authority"),
        ("link",),
    ),
    # appointments
    Definition(
        "booking_confirm_request",
        "appointments",
        _("Request to confirm a booking"),
        (*BOOKING, "hold_minutes", "confirm_url", "cancel_url"),
        ("reference", "confirm_url", "cancel_url"),
    ),
    Definition(
        "booking_confirmation",
        "appointments",
        _("Booking confirmation"),
        (*BOOKING, "checklist", "checklist_optional", "detail_url", "move_url", "cancel_url"),
        ("reference", "date", "time", "place"),
        optional=("checklist", "checklist_optional", "detail_url", "move_url", "cancel_url"),
    ),
    Definition(
        "reminder",
        "appointments",
        _("Reminder"),
        (*BOOKING, "checklist", "checklist_optional"),
        ("date", "time", "place"),
        optional=("checklist", "checklist_optional"),
    ),
    Definition(
        "booking_cancelled",
        "appointments",
        _("Cancelled by the client"),
        (*BOOKING, "reason"),
        ("reference",),
        optional=("reason",),
    ),
    Definition(
        "booking_cancelled_by_office",
        "appointments",
        _("Cancelled by the office"),
        (*BOOKING, "reason"),
        ("reference",),
        optional=("reason",),
    ),
    Definition(
        "booking_moved",
        "appointments",
        _("Moved by the client"),
        (*BOOKING, "reason"),
        ("reference", "date", "time"),
        optional=("reason",),
    ),
    Definition(
        "booking_moved_by_office",
        "appointments",
        _("Moved by the office"),
        (*BOOKING, "reason"),
        ("reference", "date", "time"),
        optional=("reason",),
    ),
    Definition(
        "invitation",
        "appointments",
        _("Invitation"),
        ("name", "anliegen", "deadline", "link", "authority"),
        ("anliegen", "deadline", "link"),
        german_below=True,
    ),
    Definition(
        "renewal_invitation",
        "appointments",
        _("Renewal invitation (apply online)"),
        ("name", "anliegen", "date", "link", "authority"),
        ("anliegen", "date", "link"),
    ),
    Definition(
        "renewal_invitation_appointment",
        "appointments",
        _("Renewal invitation (appointment)"),
        ("name", "anliegen", "date", "deadline", "link", "authority"),
        ("anliegen", "date", "link"),
    ),
    Definition(
        "renewal_follow_up",
        "appointments",
        _("Renewal invitation: reminder"),
        ("name", "anliegen", "date", "link", "authority"),
        ("anliegen", "date", "link"),
    ),
    # the booking's documents (PDF and calendar file), rendered on download
    _block(
        "booking_pdf_intro",
        "appointments",
        _("Appointment PDF: heading and introduction"),
        BOOKING,
        subject=True,
    ),
    _block(
        "booking_pdf_at_the_appointment",
        "appointments",
        _("Appointment PDF: what happens at the appointment"),
        BOOKING,
        subject=True,
    ),
    _block("booking_pdf_bring", "appointments", _("Appointment PDF: what to bring"), BOOKING, subject=True),
    _block(
        "booking_calendar_description",
        "appointments",
        _("Calendar file: description of the appointment"),
        (*BOOKING, "checklist", "checklist_optional"),
        ("reference",),
        optional=("checklist", "checklist_optional"),
    ),
    Definition(
        "rights_invitation",
        "rights",
        _("Invitation to apply for a residence right"),
        ("name", "rule", "explanation", "checklist", "link", "authority"),
        ("rule", "explanation"),
        optional=("checklist", "link"),
        german_below=True,
    ),
    Definition(
        "rights_invitation_appointment",
        "rights",
        _("Invitation to apply for a residence right, with an appointment"),
        ("name", "rule", "explanation", "checklist", "link", "deadline", "authority"),
        ("rule", "explanation", "link", "deadline"),
        optional=("checklist",),
        german_below=True,
    ),
    Definition(
        "waitlist",
        "appointments",
        _("No place in an allocation round"),
        ("name", "anliegen", "position", "authority"),
        ("anliegen",),
        optional=("position",),
    ),
    # accommodation
    Definition(
        "accommodation_usage_times",
        "accommodation",
        _("New usage times of the shared rooms"),
        ("name", "accommodation", "authority"),
        ("accommodation",),
    ),
    # ServicePoint
    Definition(
        "dropoff_receipt",
        "servicepoint",
        _("Receipt for documents handed in"),
        ("name", "date", "documents", "case_number", "authority"),
        ("documents",),
        optional=("case_number",),
    ),
    Definition("ticket_near", "servicepoint", _("SMS: turn is near"), ("number", "office"), ("number",), kind=SMS),
    Definition(
        "ticket_called",
        "servicepoint",
        _("SMS: number called"),
        ("number", "counter", "office"),
        ("number", "counter"),
        kind=SMS,
    ),
    # messages
    Definition(
        "acknowledgement",
        "messaging",
        _("Acknowledgement of incoming mail"),
        ("subject", "case_number", "authority"),
        optional=("case_number",),
    ),
    Definition(
        "portal_notice",
        "messaging",
        _("Notice of a new portal message"),
        ("authority", "link"),
        ("link",),
        german_below=True,
    ),
    _block("translation_note", "messaging", _("Note: text not available in the client's language")),
    Definition(
        "feedback_reply", "messaging", _("Reply to feedback or a complaint"), ("note", "date", "authority"), ("note",)
    ),
    Definition(
        "survey_invitation",
        "messaging",
        _("Invitation to the satisfaction survey"),
        ("name", "link", "authority"),
        ("link",),
    ),
    Definition(
        "acknowledgement_short",
        "messaging",
        _("SMS/Signal: acknowledgement of an incoming message"),
        ("case_number", "authority"),
        optional=("case_number",),
        kind=SMS,
    ),
    Definition(
        "number_code",
        "messaging",
        _("SMS/Signal: code to confirm a phone number"),
        ("code", "minutes", "authority"),
        ("code",),
        kind=SMS,
    ),
    # letters (PDF)
    _block(
        "letter_request_documents",
        "letters",
        _("Letter: request for documents"),
        ("documents", "deadline", "note", "link"),
        ("documents", "deadline"),
        subject=True,
        optional=("note", "link"),
    ),
    _block("letter_decision", "letters", _("Letter: decision notice"), ("anliegen", "received_on"), subject=True),
    _block("letter_legal_remedies", "letters", _("Letter: legal remedies"), ("court",), subject=True),
    _block("letter_fiktion", "letters", _("Letter: certificate of continued residence"), subject=True),
    _block("receipt_counts_under_81", "letters", _("Receipt: applied before the permit expired"), ("date",), ("date",)),
    _block("receipt_received_on", "letters", _("Receipt: date of receipt"), ("date",), ("date",)),
    _block(
        "receipt_next_steps",
        "letters",
        _("Receipt: what happens next"),
        ("days", "date", "interim_days"),
        subject=True,
        optional=("interim_days",),
    ),
    _block(
        "letter_dropoff_receipt",
        "letters",
        _("Receipt for documents handed in (PDF)"),
        ("date", "documents"),
        ("documents",),
        subject=True,
    ),
]

BY_KEY = {d.key: d for d in DEFINITIONS}


def get(key):
    """The definition of ``key``; KeyError for a key nobody defined."""
    return BY_KEY[key]


@cache
def shipped_language(language):
    """{key: (subject, body)} of the shipped texts in ``language`` ({} for a language we do not ship)."""
    path = DIRECTORY / f"{language}.toml"
    if language not in LANGUAGES or not path.exists():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {key: (entry.get("subject", "").strip(), entry["body"].strip()) for key, entry in data.items()}


def shipped(key, language):
    """(subject, body) of the shipped text, or None."""
    return shipped_language(language).get(key)


def _next_step_sample(language):
    found = shipped("next_step_review", language) or shipped("next_step_review", "de")
    return found[1]


# Sample values for the preview on the desk (and in the admin).
SAMPLE_CONTEXT = {
    "name": "Olena Kovalenko",
    "authority": "Stadt Bergstadt – Ausländerbehörde",
    "case_number": "ABH-2027-000042",
    "anliegen": "Aufenthaltserlaubnis zum Studium",
    "status": "in Prüfung",
    "next_step": _next_step_sample,
    "expected_date": "15.04.2027",
    "link": "https://bergstadt.example/status/",
    "documents": ["Reisepass", "Immatrikulationsbescheinigung"],
    "deadline": "30.03.2027",
    "note": "Bitte die Bescheinigung für das laufende Semester.",
    "date": "15.03.2027",
    "time": "09:30",
    "place": "Marktplatz 1, 80331 Bergstadt, Raum 2.14",
    "reference": "T-4711",
    "hold_minutes": 15,
    "confirm_url": "https://bergstadt.example/appointments/booking/T-4711/confirm/",
    "cancel_url": "https://bergstadt.example/appointments/booking/T-4711/cancel/",
    "move_url": "https://bergstadt.example/appointments/booking/T-4711/move/",
    "detail_url": "https://bergstadt.example/appointments/booking/T-4711/",
    "checklist": ["Reisepass", "Biometrisches Foto"],
    "checklist_optional": ["Mietvertrag"],
    "reason": "Erkrankung",
    "position": 3,
    "access_code": "K7P2M9XQ4R",
    "status_url": "https://bergstadt.example/status/",
    "number": "A017",
    "counter": "3",
    "office": "Stadt Bergstadt",
    "subject": "Frage zu meinem Antrag",
    "court": "Bergstadt",
    "received_on": "02.03.2027",
    "days": 90,
    "interim_days": 14,
    "rule": "§ 25b AufenthG",
    "accommodation": "GU Am Fuchsbau",
    "code": "482913",
    "minutes": 15,
    "explanation": "Wer geduldet ist und seit 6 Jahren in Deutschland lebt, kann eine Aufenthaltserlaubnis bekommen.",
}
