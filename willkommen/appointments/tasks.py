"""Background jobs: client notifications, slot generation (nightly and on change), hold expiry, reminders,
allocation runs."""

from django_tasks import task
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

# What ``send_notification`` may send: ``notifications.send_<kind>``.
NOTIFICATIONS = ("confirm_request", "confirmation", "reminder", "cancelled", "moved", "invitation", "waitlist")


@task()
def send_notification(kind, object_id, **extra):
    """Render and send one client notification (mail text, ICS, PDF with QR code). Queued by the services
    on commit, so a booking request never renders or sends mail itself."""
    from . import notifications

    if kind not in NOTIFICATIONS:
        raise ValueError(f"unknown notification {kind!r}")
    getattr(notifications, f"send_{kind}")(object_id, **extra)


@task()
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
    from .services import expire_holds as expire

    return expire()


@db_periodic_task(crontab(minute="*/10"))
def send_reminders():
    """Every ten minutes: reminders for confirmed appointments in the next 48 hours (once each)."""
    from .services import send_reminders as send

    return send()


@db_periodic_task(crontab(minute="*"))
def run_allocation_rounds():
    """Every minute: allocation rounds whose request window has closed are run (once each)."""
    from . import allocation

    return [allocation.run(r) for r in allocation.due_rounds()]
