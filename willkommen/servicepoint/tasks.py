"""Periodic jobs of the ServicePoint: called clients who do not come, the SMS when the turn is near,
and tickets left over (with their mobile numbers) from earlier days."""

from django_tasks import task
from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*"))
def expire_no_shows():
    from .services import expire_no_shows as run

    return run()


@db_periodic_task(crontab(minute="*"))
def notify_near_turns():
    """Calls send the "near" SMS themselves; this catches tickets that moved up without a call
    (an appointment holder whose time has come)."""
    from .sms import notify_near_everywhere

    return notify_near_everywhere()


@db_periodic_task(crontab(hour="2", minute="15"))
def close_previous_days():
    from .services import cancel_stale

    return cancel_stale()


@task()
def apply_retention():
    """Tickets past SERVICEPOINT_TICKET_RETENTION_DAYS (recorded per authority)."""
    from willkommen.audit import retention

    return [run.pk for run in retention.run_job("servicepoint")]


@db_periodic_task(crontab(hour="3", minute="5"))
def schedule_retention():
    apply_retention.enqueue()
