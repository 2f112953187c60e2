"""Messaging jobs: delivery after commit, retries with backoff, fetching mail by IMAP and Signal messages."""

from django.conf import settings
from django_tasks import task
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from willkommen.core import jobs

from . import channels, delivery, inbound, inbound_signal


@task(priority=jobs.MAIL)  # mail first: a message leaves before documents, exports and nightly work
def deliver_message(message_id):
    return delivery.deliver(message_id).status


@task()
def notify_interpreter(booking_id):
    """The interpreter gets the date by e-mail, once (a staff member's booking, not a client text)."""
    from django.core.mail import EmailMessage
    from django.utils import timezone

    from .models import InterpreterBooking

    booking = InterpreterBooking.objects.select_related("interpreter", "authority").get(pk=booking_id)
    if booking.notified_at:
        return booking
    local = timezone.localtime(booking.starts_at)
    authority = booking.authority
    body = (
        f"Guten Tag {booking.interpreter.name},\n\n"
        f"Sie sind als Dolmetscher/in ({booking.language}) gebucht:\n"
        f"{local:%d.%m.%Y} {local:%H:%M} Uhr, {booking.duration_minutes} Minuten\n"
        f"{authority.name}, {authority.street}, {authority.postal_code} {authority.city}\n"
        f"Buchung Nr. {booking.pk}\n"
    )
    EmailMessage(
        subject=channels.clean_header(f"Dolmetschereinsatz am {local:%d.%m.%Y} – {authority.name}"),
        body=body,
        from_email=authority.email or None,
        to=[booking.interpreter.email],
    ).send()
    InterpreterBooking.objects.filter(pk=booking.pk).update(notified_at=timezone.now())
    return booking


@db_periodic_task(crontab(minute="*"))
def retry_due_messages():
    return delivery.retry_due()


@db_periodic_task(crontab(minute="*/5"))
def fetch_incoming_mail():
    if getattr(settings, "MESSAGING_IMAP_HOST", ""):
        return inbound.fetch_imap()
    return 0


@db_periodic_task(crontab(minute="*"))
def fetch_incoming_signal():
    """Incoming Signal messages from signal-cli-rest-api (MESSAGING_SIGNAL_URL), every minute."""
    return inbound_signal.fetch_signal()


@task()
def apply_retention():
    """Messages outside any file and delivery logs past MESSAGING_RETENTION_DAYS (recorded per authority)."""
    from willkommen.audit import retention

    return [run.pk for run in retention.run_job("messaging")]


@db_periodic_task(crontab(hour="3", minute="0"))
def schedule_retention():
    apply_retention.enqueue()
