"""Confirmed phone numbers: the only way an incoming SMS or Signal message is matched to a person.

The client adds a number in the portal (``/messages/number/``) or staff add it at the desk; a code goes out
to that number by SMS or Signal (template ``number_code``) and the client enters it in the portal. A code
is valid for MESSAGING_NUMBER_CODE_MINUTES, stored only as a keyed hash and void after
MESSAGING_NUMBER_CODE_ATTEMPTS wrong entries; at most MESSAGING_NUMBER_CODES_PER_HOUR codes go out per
person and per number in an hour. A number matches a person only when it is confirmed for exactly that one
person of the authority: a number confirmed for two persons (a shared phone) matches none.
"""

import datetime as dt
import re
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from willkommen.core import keyed_hash, ratelimit

from . import delivery, texts
from .channels import setting
from .models import Channel, ConfirmedNumber, Direction, Message, Status

E164 = re.compile(r"\+[1-9]\d{6,14}")
CODE_CHANNELS = (Channel.SMS, Channel.MESSENGER)
_PURPOSE = "messaging.number-code"


class NumberError(ValueError):
    """A refused number or code, with a message in the user's language."""

    def __init__(self, message, *, too_many=False):
        super().__init__(str(message))
        self.message = str(message)
        self.too_many = too_many


def normalise(raw):
    """The number in international form (+4915112345678), or "" when it is not a phone number. A national
    German number (0151 …) gets +49; 0049 … becomes +49 …."""
    number = re.sub(r"[\s\-/().]", "", str(raw or ""))[:30]
    if number.startswith("00"):
        number = "+" + number[2:]
    elif number.startswith("0"):
        number = "+49" + number[1:]
    return number if E164.fullmatch(number) else ""


def _hash(record, code):
    return keyed_hash.keyed_hash(_PURPOSE, f"{record.pk}:{code}")


def _codes_allowed(authority, person, number):
    limit = setting("MESSAGING_NUMBER_CODES_PER_HOUR", 3)
    by_person = ratelimit.hit("number-code-person", f"{authority.pk}.{person.pk}", limit, window=3600)
    by_number = ratelimit.hit("number-code-number", f"{authority.pk}.{number}", limit, window=3600)
    return by_person and by_number


def request_code(authority, person, raw_number, *, channel=Channel.SMS, added_by=ConfirmedNumber.AddedBy.CLIENT):
    """Add ``raw_number`` for ``person`` (or renew its code) and send a new code to it. Returns the record.

    Raises :class:`NumberError` for a number that is not one or when too many codes went out."""
    number = normalise(raw_number)
    if not number:
        raise NumberError(_("Please enter a mobile phone number, for example +49 151 23456789."))
    if channel not in CODE_CHANNELS:
        raise NumberError(_("Please choose SMS or Signal."))
    if not _codes_allowed(authority, person, number):
        raise NumberError(_("Too many codes were sent. Please try again in an hour."), too_many=True)
    code = f"{secrets.randbelow(1_000_000):06d}"
    now = timezone.now()
    minutes = setting("MESSAGING_NUMBER_CODE_MINUTES", 15)
    with transaction.atomic():
        record, _created = ConfirmedNumber.objects.select_for_update().get_or_create(
            authority=authority, person=person, number=number, defaults={"channel": channel, "added_by": added_by}
        )
        record.channel = channel
        record.code_hash = _hash(record, code)
        record.code_sent_at = now
        record.code_expires_at = now + dt.timedelta(minutes=minutes)
        record.failed_attempts = 0
        record.save()
        _send_code(authority, person, record, code, minutes)
    return record


def _send_code(authority, person, record, code, minutes):
    rendered = texts.render(
        authority,
        "number_code",
        person.preferred_language or "de",
        {"code": code, "minutes": minutes, "authority": authority.name},
    )
    message = Message.objects.create(
        authority=authority,
        person=person,
        direction=Direction.OUT,
        channel=record.channel,
        subject=rendered.subject,
        body=rendered.body,
        language=rendered.language,
        template_key="number_code",
        address=record.number,
        status=Status.QUEUED,
        flags=["content_by_email"],  # the code itself must reach the number, not only a notice
    )
    _deliver_after_commit(message)


def confirm(authority, person, record_id, code):
    """Confirm the person's number ``record_id`` with ``code``. Returns the record; raises :class:`NumberError`
    for a wrong, expired or used-up code (each wrong entry counts; the code is void after the last)."""
    code = re.sub(r"\s", "", str(code or ""))[:12]
    with transaction.atomic():
        record = (
            ConfirmedNumber.objects.select_for_update().filter(authority=authority, person=person, pk=record_id).first()
        )
        refusal = _refusal(record)
        if refusal is None and record.confirmed_at is None:
            if keyed_hash.match(record.code_hash, _PURPOSE, f"{record.pk}:{code}") is None:
                record.failed_attempts += 1  # kept: the refusal is raised after the commit
                record.save(update_fields=["failed_attempts"])
                refusal = _WrongCode(max(setting("MESSAGING_NUMBER_CODE_ATTEMPTS", 5) - record.failed_attempts, 0))
            else:
                record.confirmed_at = timezone.now()
                record.code_hash = ""
                record.save(update_fields=["confirmed_at", "code_hash"])
    if refusal is not None:
        raise refusal
    return record


def _refusal(record):
    """The error for a code that cannot be checked at all (unknown number, used up, expired), else None."""
    if record is None:
        return NumberError(_("This number is not known. Please add it again."))
    if record.confirmed_at is not None:
        return None
    if not record.code_hash or record.failed_attempts >= setting("MESSAGING_NUMBER_CODE_ATTEMPTS", 5):
        return NumberError(_("This code can no longer be used. Please ask for a new code."))
    if record.code_expires_at is None or record.code_expires_at <= timezone.now():
        return NumberError(_("The code has expired. Please ask for a new code."))
    return None


class _WrongCode(NumberError):
    def __init__(self, left):
        if left:
            message = _("The code is not correct. Attempts left: %(left)s.") % {"left": left}
        else:
            message = _("This code can no longer be used. Please ask for a new code.")
        super().__init__(message)


def remove(authority, person, record_id):
    return ConfirmedNumber.objects.filter(authority=authority, person=person, pk=record_id).delete()[0]


def numbers_of(authority, person):
    return ConfirmedNumber.objects.filter(authority=authority, person=person).order_by("created_at", "id")


def person_for_number(authority, number):
    """(person, flags) for an incoming number: the one person who confirmed it; nobody when it is not
    confirmed (flag ``unconfirmed_number``) or confirmed for two or more persons (``ambiguous_sender``)."""
    number = normalise(number)
    if not number:
        return None, ["no_valid_sender"]
    rows = list(
        ConfirmedNumber.objects.filter(authority=authority, number=number, confirmed_at__isnull=False)
        .select_related("person")
        .order_by("person_id")[:2]
    )
    if len(rows) == 1:
        return rows[0].person, []
    return None, ["ambiguous_sender"] if rows else ["unconfirmed_number"]


def _deliver_after_commit(message):
    """Deliver after commit in this process (a transient failure is retried by the periodic job)."""
    message_id = message.pk
    transaction.on_commit(lambda: delivery.deliver(message_id))
