"""Delivery: a stored message goes out through its channel, exactly once, with retries and fallbacks.

``deliver`` locks the row and proceeds only from "queued" or "retrying", so a retried job never
sends a message twice; failures are recorded as attempts and retried with exponential backoff by a
periodic job; a permanent failure (or exhausted retries) falls back to the next channel in the
client's order (for example SMS -> e-mail -> letter in the print queue).
"""

import datetime as dt
import logging
import uuid

from django.db import transaction
from django.utils import timezone

from . import channels
from .channels import channel_order, first_reachable, setting
from .models import Channel, DeliveryAttempt, Direction, Message, Status

log = logging.getLogger(__name__)

FINISHED = {Status.SENT, Status.PRINT_QUEUED, Status.PRINTED}


def backoff(attempts):
    """Seconds to wait after the ``attempts``-th failed attempt: base, 2×base, 4×base, ..."""
    base = setting("MESSAGING_RETRY_BASE_SECONDS", 60)
    return min(base * 2 ** max(attempts - 1, 0), 6 * 3600)


def deliver(message_id, now=None):
    """Deliver one queued message (idempotent: finished messages are left alone). Returns the message."""
    now = now or timezone.now()
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message_id)
        if message.status not in (Status.QUEUED, Status.RETRYING):
            return message
        if message.status == Status.RETRYING and message.next_attempt_at and message.next_attempt_at > now:
            return message
        message.status = Status.SENDING
        message.attempts += 1
        message.save(update_fields=["status", "attempts"])
    adapter = channels.get(message.channel)
    permanent = False
    try:
        provider_id = adapter.send(message)
    except channels.PermanentFailure as error:
        permanent, failure = True, str(error)
    except channels.TransientFailure as error:
        failure = str(error)
    except Exception as error:  # an adapter bug must not lose the message: record and retry
        log.exception("channel %s failed", message.channel)
        failure = f"{type(error).__name__}: {error}"
    else:
        DeliveryAttempt.objects.create(
            authority=message.authority,
            message=message,
            channel=message.channel,
            ok=True,
            provider_id=provider_id or "",
        )
        message.status = Status.PRINT_QUEUED if message.channel == Channel.LETTER else Status.SENT
        message.sent_at = timezone.now()
        message.provider_id = (provider_id or "")[:120]
        message.next_attempt_at = None
        message.save(update_fields=["status", "sent_at", "provider_id", "next_attempt_at"])
        return message
    if not permanent and message.attempts >= setting("MESSAGING_RETRY_MAX_ATTEMPTS", 5):
        permanent, failure = True, f"{failure} (gave up after {message.attempts} attempts)"
    DeliveryAttempt.objects.create(
        authority=message.authority,
        message=message,
        channel=message.channel,
        ok=False,
        permanent=permanent,
        error=failure[:500],
    )
    message.last_error = failure[:500]
    if permanent:
        message.status = Status.FAILED
        message.next_attempt_at = None
    else:
        message.status = Status.RETRYING
        message.next_attempt_at = now + dt.timedelta(seconds=backoff(message.attempts))
    message.save(update_fields=["status", "next_attempt_at", "last_error"])
    if permanent:
        fallback = _fall_back(message)
        if fallback is not None:
            deliver(fallback.pk, now=now)
    return message


def _fall_back(message):
    """Queue the same message on the next reachable channel, or None when none is left."""
    person = message.person
    if person is None or message.direction != Direction.OUT:
        return None
    tried = {message.channel}
    origin = message
    while origin.fallback_of_id:
        origin = origin.fallback_of
        tried.add(origin.channel)
    order = [c for c in channel_order(person) if c not in tried and c != Channel.PORTAL]
    key = first_reachable(person, order)
    if key is None:
        return None
    fallback = Message.objects.create(
        authority=message.authority,
        person=person,
        case=message.case,
        direction=Direction.OUT,
        channel=key,
        subject=message.subject,
        body=message.body,
        language=message.language,
        template_key=message.template_key,
        status=Status.QUEUED,
        fallback_of=message,
        notice=message.notice,
        author=message.author,
        flags=[*message.flags, f"fallback_from_{message.channel}"],
    )
    for attachment in message.attachments.exclude(file_name="letter.pdf"):
        attachment.pk = None
        attachment.key = uuid.uuid4()  # the key names one attachment of one message (download links)
        attachment.message = fallback
        attachment.save()
    return fallback


def retry_due(authority=None, now=None):
    """Deliver every message whose retry is due. Returns how many were tried."""
    now = now or timezone.now()
    due = Message.objects.filter(status=Status.RETRYING, next_attempt_at__lte=now)
    if authority is not None:
        due = due.filter(authority=authority)
    ids = list(due.values_list("pk", flat=True)[:500])
    for pk in ids:
        deliver(pk, now=now)
    return len(ids)


def retry_now(message):
    """Staff: try a failed or waiting message again at once."""
    with transaction.atomic():
        locked = Message.objects.select_for_update().get(pk=message.pk)
        if locked.status not in (Status.FAILED, Status.RETRYING):
            return locked
        locked.status = Status.QUEUED
        locked.next_attempt_at = None
        locked.save(update_fields=["status", "next_attempt_at"])
    return deliver(message.pk)


def mark_printed(message):
    Message.objects.filter(pk=message.pk, status=Status.PRINT_QUEUED).update(status=Status.PRINTED)
