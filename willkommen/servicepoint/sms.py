"""SMS to waiting clients: one when their turn is near, one when their number is called.

The client may leave a mobile number (kiosk ticket page or the desk). When a ticket comes within
``SERVICEPOINT_SMS_AHEAD`` places of being called, one SMS goes out; another when it is called.
The SMS carries the ticket number, the counter and the office name only, in the ticket's language
(texts: ``ticket_near`` and ``ticket_called`` in messaging's template store).

Sending goes through the messaging room (``send_message``: stored, delivered after commit by its
job, retried with backoff, idempotent by key) and its SMS adapter. The number itself is never
copied into the messaging room: the small adapter below (a subclass of messaging's SMS channel,
registered in its channel registry under ``ticket_sms``) reads it from the ticket at delivery
time. So the number exists only on the ticket and is gone when the ticket is finished or the day
is over; a message whose number is gone by then is not sent.

Exactly once: the "near" SMS is claimed by a conditional UPDATE of ``Ticket.sms_near_at`` (only
one transaction can change it from NULL; on PostgreSQL a second one waits for the row and then
finds it set), and the messaging idempotency key ``servicepoint-<ticket>-near`` backs it up.
"""

import copy
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from . import queue
from .waiting import _waiting, today

CHANNEL_KEY = "ticket_sms"
KEY_PATTERN = re.compile(r"^servicepoint-(\d+)-(near|called-\d+)$")

PHONE_ERROR = gettext_lazy(
    "Please enter a mobile number that can receive SMS, with the country code, "
    "for example +49 151 23456789 or 0151 23456789."
)


def sms_ahead():
    """A waiting ticket gets its SMS when this many tickets or fewer are ahead of it."""
    return max(0, int(getattr(settings, "SERVICEPOINT_SMS_AHEAD", 3)))


def available():
    """Whether SMS can go out at all (an SMS gateway is configured for the messaging room)."""
    return bool(getattr(settings, "MESSAGING_SMS_URL", ""))


def _ascii_digits(text):
    """Digits of any script (Arabic-Indic, Persian, ...) as ASCII: ``٠١٥١`` -> ``0151``."""
    out = []
    for char in text:
        if not char.isascii() and unicodedata.category(char) == "Nd":
            out.append(str(unicodedata.decimal(char)))
        else:
            out.append(char)
    return "".join(out)


def normalise_phone(value):
    """A mobile number in E.164 form (``+4915123456789``), or "" for an empty entry.

    Accepts spaces, dashes, dots, slashes and brackets, ``00`` for ``+``, ``+49 (0)151``, a
    German national number (``0151 ...`` becomes ``+49151...``) and digits of any script.
    German numbers must be mobile numbers (015x, 016x, 017x). Raises ``ValidationError``."""
    raw = _ascii_digits(str(value or "")).strip()
    if not raw:
        return ""
    compact = re.sub(r"[\s\-./()\u200e\u200f\u202a-\u202e]", "", raw.replace("(0)", ""))
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    elif compact.startswith("0"):
        compact = "+49" + compact[1:]
    if not re.fullmatch(r"\+[1-9][0-9]{6,14}", compact, flags=re.ASCII):
        raise ValidationError(PHONE_ERROR, code="phone")
    if compact.startswith("+49") and not re.fullmatch(r"\+491[5-7][0-9]{7,10}", compact, flags=re.ASCII):
        raise ValidationError(PHONE_ERROR, code="phone")
    return compact


def masked(phone):
    """``+4915123456789`` -> ``+49 … 89``: enough for the client to recognise it."""
    if not phone:
        return ""
    return f"{phone[:3]} … {phone[-2:]}"


# --- texts ----------------------------------------------------------------------------------------


def _texts(ticket, kind):
    """(subject, body) of the SMS from messaging's template store (``ticket_near`` / ``ticket_called``)."""
    from willkommen.messaging import services as messaging

    values = {"number": ticket.code, "counter": ticket.counter, "office": ticket.authority.name}
    rendered = messaging.render_text(ticket.authority, f"ticket_{kind}", ticket.language or "de", values)
    return rendered.subject, rendered.body


def _send(ticket, kind, key):
    """Store the SMS in the messaging room (delivered after commit). False if it exists already."""
    from willkommen.messaging import services as messaging

    subject, body = _texts(ticket, kind)
    try:
        with transaction.atomic():
            messaging.send_message(
                ticket.authority,
                channel=CHANNEL_KEY,
                subject=subject,
                body=body,
                language=ticket.language or "de",
                idempotency_key=key,
            )
    except IntegrityError:  # the same key stored concurrently: it goes out once
        return False
    return True


def near_key(ticket):
    return f"servicepoint-{ticket.pk}-near"


def called_key(ticket):
    return f"servicepoint-{ticket.pk}-called-{ticket.recalls}"


def send_called(ticket):
    """Inside the call's transaction: the SMS "your number is called" (once per call)."""
    if not ticket.phone:
        return False
    return _send(ticket, "called", called_key(ticket))


def _ahead_of(ticket, now):
    waiting = queue.ordered(_waiting(ticket.location, now), now)
    return next((i for i, t in enumerate(waiting) if t.pk == ticket.pk), len(waiting))


def phone_given(ticket, now=None):
    """After a number was stored on a waiting ticket: if the ticket is already near, the client is
    still in the waiting room, so no "near" SMS is sent later (the call SMS still is)."""
    from .models import Status, Ticket

    now = now or timezone.now()
    if ticket.status == Status.WAITING and ticket.sms_near_at is None and _ahead_of(ticket, now) <= sms_ahead():
        Ticket.objects.filter(pk=ticket.pk, sms_near_at__isnull=True).update(sms_near_at=now)
        ticket.sms_near_at = now


def notify_near(location, now=None):
    """Send the "near" SMS to every waiting ticket of the location that is now within reach.

    Runs after a call has committed (and every minute from the periodic job); safe to run twice
    at the same time: each ticket is claimed by a conditional UPDATE. Returns how many were sent."""
    from .models import Status, Ticket

    now = now or timezone.now()
    limit = sms_ahead()
    waiting = queue.ordered(_waiting(location, now), now)
    sent = 0
    for ticket in waiting[: limit + 1]:
        if not ticket.phone or ticket.sms_near_at is not None:
            continue
        with transaction.atomic():
            claimed = (
                Ticket.objects.filter(
                    authority=location.authority, pk=ticket.pk, status=Status.WAITING, sms_near_at__isnull=True
                )
                .exclude(phone="")
                .update(sms_near_at=now)
            )
            if claimed and _send(ticket, "near", near_key(ticket)):
                sent += 1
    return sent


def notify_near_everywhere(now=None):
    """The periodic job: locations with waiting tickets that left a number and had no SMS yet.
    (Catches appointment holders whose time has come, which moves them forward without a call.)"""
    from willkommen.tenancy.models import Authority, Location

    from .models import Status, Ticket

    now = now or timezone.now()
    if not available():
        return 0
    location_ids = (
        Ticket.objects.filter(
            authority__in=list(Authority.objects.values_list("pk", flat=True)),  # uses the (authority, day) index
            day=today(now),
            status=Status.WAITING,
            sms_near_at__isnull=True,
        )
        .exclude(phone="")
        .values_list("location_id", flat=True)
        .distinct()
    )

    sent = 0
    for location in Location.objects.filter(pk__in=list(location_ids)).select_related("authority"):
        sent += notify_near(location, now)
    return sent


# --- the adapter in the messaging room's registry --------------------------------------------------


def _ticket_for(message):
    from .models import Ticket

    match = KEY_PATTERN.match(message.idempotency_key or "")
    if not match:
        return None, ""
    ticket = Ticket.objects.filter(authority_id=message.authority_id, pk=int(match.group(1))).first()
    return ticket, match.group(2)


def register_channel():
    """Plug the ticket SMS into the messaging room's channel registry (called from AppConfig.ready)."""
    try:
        from willkommen.messaging import channels
    except ImportError:  # pragma: no cover - messaging is part of every installation
        return None

    if CHANNEL_KEY in channels.registered():
        return channels.get(CHANNEL_KEY)

    @channels.register
    class TicketSmsChannel(channels.SmsChannel):
        """Messaging's SMS adapter; the number comes from the ticket at delivery time."""

        key = CHANNEL_KEY

        def address_for(self, person):
            return ""  # never a channel for a person

        def send(self, message):
            from .models import Status

            ticket, kind = _ticket_for(message)
            if ticket is None or not ticket.phone:
                raise channels.PermanentFailure("the ticket is finished and its mobile number deleted; not sent")
            if kind == "near" and ticket.status != Status.WAITING:
                raise channels.PermanentFailure("the ticket was called before the SMS could go out; not sent")
            outgoing = copy.copy(message)
            outgoing.address = ticket.phone  # only in memory: the number is not stored with the message
            return super().send(outgoing)

    return channels.get(CHANNEL_KEY)
