"""Opening a case at the desk: a letter (the postmark date counts), the counter, a ServicePoint drop-off or
an appointment. One transaction: the case (idempotent by the form's one-time key), the title the client
declares as an unverified entry of the residence history, and the same receipt e-mail as online (template
store key ``receipt``) through the client's channel – by post when there is no e-mail."""

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import CaseSource
from .opening import open_case

DESK_SOURCES = (CaseSource.LETTER, CaseSource.COUNTER, CaseSource.SERVICEPOINT, CaseSource.APPOINTMENT)
ORIGIN_PATTERN = r"^[a-z_]{1,20}:[0-9]{1,12}$"

_origins = {}


def register_origin(kind, link):
    """Hook for the higher rooms that start a case (a booking, a ServicePoint drop-off): they build the link
    ``/desk/cases/new/?person=…&anliegen=…&source=…&received_on=…&origin=<kind>:<id>`` and register
    ``link(authority, actor, object_id, case)``. It runs in the transaction that opened the case, links its
    object to the case and returns a label for the case's timeline ("booking ABC123"); it raises
    :class:`IntakeRefused` when the object does not exist at the authority or is linked to another case (then
    nothing is opened)."""
    _origins[kind] = link


def origin_kinds():
    return tuple(_origins)


class IntakeRefused(ValueError):
    """Input the desk must correct; the message is for the user."""


def received_at_for(received_on, now=None):
    """The arrival as a moment: now when it is today, else noon of that day (local time). A date in the
    future is refused (a postmark cannot lie ahead)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if received_on > today:
        raise IntakeRefused(_("The arrival date lies in the future."))
    if received_on == today:
        return now
    return timezone.make_aware(datetime.datetime.combine(received_on, datetime.time(12, 0)))


def status_url(authority):
    try:
        path = reverse("applications:status_login")
    except NoReverseMatch:  # pragma: no cover - the applications room is always installed
        return ""
    hosts = authority.host_list()
    if hosts:
        return f"https://{hosts[0]}{path}"
    return f"{getattr(settings, 'PUBLIC_BASE_URL', '')}/a/{authority.slug}{path}"


def send_receipt(case, access_code):
    """The receipt as online (case number, access code, arrival date, status page) through the client's
    channel; once per case (the message's idempotency key). By post (no e-mail or other channel) it is the
    letters room's letter – German and the client's language, kept in the e-file – attached as the print
    queue's PDF, as the other letters for post are; by e-mail the same letter is attached (the text says so)."""
    from willkommen.catalogue.selectors import title
    from willkommen.messaging.services import choose_channel, send_template

    person = case.person
    values = {
        "name": f"{person.given_names} {person.family_name}".strip(),
        "authority": case.authority.name,
        "case_number": case.number,
        "anliegen": lambda language: title(case.anliegen, language),
        "date": arrival_for_receipt(case),
        "access_code": access_code,
        "status_url": status_url(case.authority),
    }
    channel = choose_channel(person, "")
    attachments = []
    if channel == "letter":
        attachments.append((RECEIPT_LETTER_FILE, receipt_letter(case, values), "application/pdf"))
    elif channel == "email":  # the text says the receipt is attached: the same letter, not for post
        attachments.append((receipt_file_name(case), receipt_letter(case, values, for_post=False), "application/pdf"))
    return send_template(
        case.authority,
        "receipt",
        context=values,
        person=person,
        case=case,
        channel=channel,
        attachments=attachments,
        idempotency_key=f"case-receipt:{case.pk}",
    )


def arrival_for_receipt(case):
    """The arrival as the receipt states it: the moment when it is today, only the day when it lies before
    (a letter's postmark, an appointment of an earlier day: no made-up time of day)."""
    arrived = timezone.localtime(case.received_at)
    return arrived if arrived.date() == timezone.localdate() else arrived.date()


RECEIPT_LETTER_FILE = "letter.pdf"  # the name under which the letter channel finds an already rendered letter


def receipt_file_name(case):
    return f"Eingangsbestaetigung-{case.number}.pdf"


def fiction_statement(case):
    """The receipt's § 81 statement as the online receipt has it (``applications/receipt_pdf.html``): the
    template store block ``receipt_counts_under_81`` when the application arrived while the declared title
    was valid (§ 81 (4) sentence 1, from the history through the pure ``fiction.fiction_rule``), else
    ``receipt_received_on``; both name the day of arrival (for a letter: the postmark)."""
    from . import fiction
    from .residence import arrival, fiction_paragraph

    key = "receipt_counts_under_81" if fiction_paragraph(case) == fiction.P81_4_1 else "receipt_received_on"
    return {"key": key, "values": {"date": arrival(case)}, "emphasis": key == "receipt_counts_under_81"}


def receipt_letter(case, values, *, for_post=True):
    """The receipt as a letter (template store key ``receipt``) – for post, or attached to the e-mail –
    filed in the case's e-file; the PDF's bytes."""
    from willkommen.letters.models import LetterKind
    from willkommen.letters.services import create_letter, letter_content

    with translation.override("de"):
        letter_title = _("Receipt of your application")
    letter = create_letter(
        case.authority,
        person=case.person,
        case=case,
        kind=LetterKind.NOTICE,
        context={"notice_key": "receipt", "text_values": values, "extra_blocks": [fiction_statement(case)]},
        title=letter_title,
        for_post=for_post,
    )
    return letter_content(letter)


def desk_key(idempotency_key):
    """The one-time key of a desk way in as stored on the case."""
    return f"desk:{idempotency_key}"[:80]


def open_at_desk(
    authority,
    actor,
    *,
    person,
    anliegen,
    source,
    received_on,
    title_kind="",
    title_valid_to=None,
    answers=None,
    origin="",
    scans=(),
    idempotency_key,
):
    """Open one case for ``person`` (of ``authority``) from a desk way in. Returns ``(case, access_code)``;
    a repeated ``idempotency_key`` returns the case it opened with ``access_code=None`` and sends nothing.
    ``scans``: uploaded files filed under the new case through the e-file's checks (one refused file
    refuses the whole intake: the e-file's ``UploadRejected``, nothing opened)."""
    if source not in DESK_SOURCES:
        raise IntakeRefused(_("Choose how the application came in."))
    if person.authority_id != authority.pk or anliegen.authority_id != authority.pk:
        raise IntakeRefused(_("The person or the matter belongs to another authority."))
    if not idempotency_key:
        raise IntakeRefused(_("The form has expired. Please open it again."))
    received_at = received_at_for(received_on)
    stored = []  # storage names of the scans filed: removed again when the intake fails (no file without a row)
    try:
        with transaction.atomic():
            case, code = open_case(
                authority,
                person=person,
                anliegen=anliegen,
                source=source,
                received_at=received_at,
                answers=answers or {},
                idempotency_key=desk_key(idempotency_key),
            )
            if code is None:
                return case, None
            if origin:
                link_origin(authority, actor, origin, case)
            file_scans(case, actor, scans, stored)
            if title_kind:
                record_declared_title(case, actor, title_kind, title_valid_to)
            send_receipt(case, code)
    except BaseException:
        _remove_stored(stored)
        raise
    return case, code


def _remove_stored(names):
    from django.core.files.storage import default_storage

    for name in names:
        try:
            default_storage.delete(name)
        except OSError:  # the storage is gone: nothing left to remove
            pass


def record_declared_title(case, actor, kind, valid_to):
    """The title the client declares, as an unverified entry of the residence history; the listener
    (``residence.sync_permit_expiry``) sets the case's permit expiry from it."""
    from willkommen.clients.models import ResidenceSource
    from willkommen.clients.services import record_residence

    record_residence(
        case.person,
        kind=kind,
        valid_to=valid_to,
        source=ResidenceSource.DECLARED,
        actor=actor,
        case=case,
        source_ref=f"case:{case.pk}:declared",
    )


def file_scans(case, actor, scans, stored=None):
    """Scans made at the desk into the e-file, filed under ``case`` (the e-file's upload checks). The storage
    name of each file filed is appended to ``stored``, so the caller can remove them when a later scan is
    refused and the transaction rolls the rows back (a refused file itself is never stored)."""
    from willkommen.efile.models import Source
    from willkommen.efile.services import add_document

    source = Source.SERVICEPOINT if case.source == CaseSource.SERVICEPOINT else Source.STAFF
    for scan in scans:
        document = add_document(
            case.authority, case.person, scan, document_type="other", source=source, case=case, uploaded_by=actor
        )
        if stored is not None:
            stored.append(document.file.name)


def link_origin(authority, actor, origin, case):
    """Link the object ``origin`` (``<kind>:<id>``) the case was opened from to ``case``, and say so on the
    case's timeline (the link stays readable from the case even where the other room keeps no reference)."""
    from .models import TimelineKind
    from .timeline import add_entry

    kind, _sep, raw_id = origin.partition(":")
    link = _origins.get(kind)
    if link is None or not raw_id.isdigit():
        raise IntakeRefused(_("The case cannot be linked to what it was opened from."))
    label = link(authority, actor, int(raw_id), case)
    add_entry(
        case,
        TimelineKind.NOTE,
        actor=actor,
        text=_("Opened from %(origin)s.") % {"origin": label},
        data={"origin": origin},
    )
