"""The appointments room's client notifications as jobs, mail first.

The commands queue a notification on commit (:func:`notify`); the job renders the text, stores the
message and delivers it at once (``messaging.services.deliver``), so the mail leaves in the job that
rendered it, at the highest priority (:data:`willkommen.core.jobs.MAIL`). Nothing else is attached: the
calendar file and the PDF with the QR code are rendered when first downloaded (:mod:`.documents`).

A held place starts its time when the confirmation request has left: the job stamps ``notified_at`` and
moves ``hold_expires_at`` to ``APPOINTMENTS_HOLD_MINUTES`` after that moment (see ``booking.hold_expired``).
"""

import datetime as dt

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django_tasks import task

from willkommen.core import jobs as priorities

from . import limits
from .models import Booking, Status

# What ``send_notification`` may send: ``notifications.send_<kind>``.
NOTIFICATIONS = ("confirm_request", "confirmation", "reminder", "cancelled", "moved", "invitation", "waitlist")
DELIVERED = ("sent", "print_queued", "printed")


def notify(kind, object_id, **extra):
    """Queue a client notification once the transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: send_notification.enqueue(kind, object_id, **extra))


@task(priority=priorities.MAIL)
def send_notification(kind, object_id, **extra):
    """Render, store and deliver one client notification."""
    from willkommen.messaging.services import deliver

    from . import notifications

    if kind not in NOTIFICATIONS:
        raise ValueError(f"unknown notification {kind!r}")
    message = getattr(notifications, f"send_{kind}")(object_id, **extra)
    if message is None:
        return None
    message = deliver(message.pk)  # the delivery job queued by messaging finds it sent and does nothing
    if kind == "confirm_request" and message.status in DELIVERED:
        started(object_id)
    return message.status


def started(booking_id, now=None):
    """The confirmation request has left: the hold's time runs from now."""
    now = now or timezone.now()
    until = now + dt.timedelta(minutes=limits.hold_minutes())
    Booking.objects.filter(pk=booking_id, status=Status.HELD).update(
        notified_at=now, hold_expires_at=Greatest("hold_expires_at", Value(until))
    )
