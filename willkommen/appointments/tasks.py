"""Background jobs: client notifications (mail first, see :mod:`.jobs`), slot generation (nightly and on
change), hold expiry, reminders, allocation runs."""

from django_tasks import task
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from willkommen.core import jobs as priorities

from .jobs import NOTIFICATIONS, send_notification

__all__ = ["NOTIFICATIONS", "send_notification"]  # the notification job, also under its former path


@task(priority=priorities.BULK)
def generate_slots(authority_id=None, offer_id=None):
    """Recompute slots for one offer, one authority or all (idempotent)."""
    from willkommen.tenancy.models import Authority

    from .generation import generate, generate_for_offer
    from .models import Offer

    if offer_id is not None:
        offer = Offer.objects.filter(pk=offer_id).select_related("authority", "anliegen", "location").first()
        return generate_for_offer(offer) if offer else None
    authority = Authority.objects.filter(pk=authority_id).first() if authority_id else None
    return generate(authority)


@db_periodic_task(crontab(hour="2", minute="15"))
def generate_slots_nightly():
    """Every night: extend the horizon by a day and follow changed opening hours and closures."""
    from .generation import generate

    return generate()


@db_periodic_task(crontab(minute="*"))
def expire_holds():
    """Every minute: unconfirmed holds past their time return to the pool."""
    from .booking import expire_holds as expire

    return expire()


@db_periodic_task(crontab(minute="*/10"))
def send_reminders():
    """Every ten minutes: reminders for confirmed appointments in the next 48 hours (once each)."""
    from .booking import send_reminders as send

    return send()


@db_periodic_task(crontab(minute="*"))
def run_allocation_rounds():
    """Every minute: allocation rounds whose request window has closed are run (once each)."""
    from . import allocation

    return [allocation.run(r) for r in allocation.due_rounds()]


@task()
def apply_retention():
    """Bookings, invitations and allocation requests past APPOINTMENTS_RETENTION_DAYS (recorded per authority)."""
    from willkommen.audit import retention

    return [run.pk for run in retention.run_job("appointments")]


@db_periodic_task(crontab(hour="2", minute="50"))
def schedule_retention():
    apply_retention.enqueue()


@task(priority=priorities.BULK)
def invite_renewals():
    """Renewal invitations (``renewals.run``): answered, invited, followed up, listed for the team."""
    from .renewals import run

    return run()


@db_periodic_task(crontab(hour="1", minute="20"))
def schedule_renewals():
    """Every night, after the expiries of the residence history (clients, 00:30)."""
    invite_renewals.enqueue()
