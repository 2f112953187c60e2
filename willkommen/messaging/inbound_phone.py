"""Incoming SMS and Signal messages, the part both share: taken once by their id, matched to a person only
through a confirmed number (``phone_numbers``), attachments through the e-file's upload checks, and an
acknowledgement through the same channel in the sender's language.

The adapters are ``inbound_signal.py`` (signal-cli-rest-api, polled) and ``inbound_sms.py`` (the SMS
gateway's signed webhook). Bad input is neutralised as for e-mail (``inbound.py``) and recorded in the
message's remarks (``flags``): a forged sender is never matched and never answered; attachments that are too
large or fail the checks are dropped and named, the message itself is kept; overlong texts are cut.
"""

import logging
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from . import attachments as attachment_store
from . import channels, delivery, inbound, phone_numbers
from .inbound import CASE_NUMBER, MAX_ATTACHMENTS, guess_language
from .models import Attachment, Direction, Message, Status

log = logging.getLogger(__name__)


class FetchFailed(Exception):
    pass


@dataclass
class IncomingFile:
    """An attachment announced by the gateway: fetched only when it is not announced as too large."""

    name: str
    size: int | None
    fetch: Callable[[int], bytes]  # fetch(limit) -> at most limit + 1 bytes


def max_file_bytes():
    return settings.UPLOAD_MAX_FILE_MB * 1024 * 1024


def http_get(url, headers=None, limit=None):
    """GET ``url`` and read at most ``limit + 1`` bytes (so that a caller can tell "too large")."""
    request = urllib.request.Request(url, headers=headers or {}, method="GET")  # noqa: S310 (configured URL)
    timeout = channels.setting("MESSAGING_GATEWAY_TIMEOUT", 10)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.read() if limit is None else response.read(limit + 1)
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError, ValueError) as error:
        raise FetchFailed(str(error)[:200]) from None


def find(authority, channel, external_id):
    return Message.objects.filter(
        authority=authority, direction=Direction.IN, channel=channel, external_id=external_id
    ).first()


def _match(authority, sender, text, flags):
    """(person, case): the one person who confirmed the number; the case only when the text names one of
    that person's cases."""
    from willkommen.clients import case_refs

    person, problems = phone_numbers.person_for_number(authority, sender)
    flags += problems
    if person is None:
        return None, None
    for number in CASE_NUMBER.findall(text[:5000]):
        case = case_refs.by_number(authority, number.upper())
        if case is not None and case.person_id == person.pk:
            return person, case
    return person, None


def take(authority, *, channel, external_id, sender, text, files=(), flags=(), trusted=True):
    """Store one incoming SMS or Signal message once. Returns (message, new): a message already taken (the
    gateway delivered it again) comes back with ``new`` False, and nothing is stored or sent again."""
    existing = find(authority, channel, external_id)
    if existing is not None:
        return existing, False
    flags = list(flags)
    text = channels.clean_text(text or "")
    if len(text) > channels.max_body_chars():
        text, flags = text[: channels.max_body_chars()], [*flags, "body_truncated"]
    person, case = _match(authority, sender, text, flags) if trusted else (None, None)
    fetched = _fetch_files(files, flags)
    try:
        with transaction.atomic():
            message = Message.objects.create(
                authority=authority,
                person=person,
                case=case,
                direction=Direction.IN,
                channel=channel,
                body=text,
                language=guess_language(text, person=person) or "",
                address=channels.clean_header(sender, 254),
                status=Status.RECEIVED if person else Status.UNASSIGNED,
                external_id=external_id[:250],
                flags=flags,
            )
            _store_files(authority, message, fetched, person, case)
            if trusted:
                acknowledge(message)
    except IntegrityError:  # the same message taken by a parallel delivery a moment ago
        existing = find(authority, channel, external_id)
        if existing is None:
            raise
        return existing, False
    return message, True


def _fetch_files(files, flags):
    """[(name, bytes)] of the announced files that could be fetched; the others are named in ``flags``."""
    limit = max_file_bytes()
    fetched = []
    for index, incoming in enumerate(files):
        name = channels.clean_header(incoming.name or f"attachment-{index + 1}", 120)
        if index >= MAX_ATTACHMENTS:
            reason = "too many attachments"
        elif incoming.size is not None and incoming.size > limit:
            reason = f"too large ({incoming.size} bytes)"
        else:
            try:
                data = incoming.fetch(limit)
            except FetchFailed as error:
                reason = f"could not be fetched ({error})"
            else:
                if len(data) <= limit:
                    fetched.append((name, data))
                    continue
                reason = "too large"
        flags.append(f"attachment_rejected: {name}: {reason}"[:200])
    return fetched


def _store_files(authority, message, fetched, person, case):
    rejected = []
    for name, data in fetched:
        try:
            fields = attachment_store.check_and_store(
                authority, SimpleUploadedFile(name, data), person=person, case=case, source="upload"
            )
        except attachment_store.AttachmentRejected as error:
            rejected.append(f"attachment_rejected: {name}: {error.message}"[:200])
            continue
        Attachment.objects.create(authority=authority, message=message, **fields)
    if rejected:
        message.flags = [*message.flags, *rejected]
        message.save(update_fields=["flags"])


def acknowledge(message):
    """Queue the acknowledgement (template ``acknowledgement_short``) through the message's own channel to
    the sending number, after commit: in the sender's language, else German and English."""
    ack = inbound.acknowledgement(
        message,
        "acknowledgement_short",
        {},
        channel=message.channel,
        joiner="\n\n",
        clean=lambda body: re.sub(r"\s+\n", "\n", body).strip(),
    )
    _deliver_after_commit(ack)
    return ack


def _deliver_after_commit(message):
    """Deliver after commit in this process (a transient failure is retried by the periodic job)."""
    message_id = message.pk
    transaction.on_commit(lambda: delivery.deliver(message_id))
