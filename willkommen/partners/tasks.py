"""Background jobs of the partners room: sending a request through its connector, and the daily reminders."""

from django_tasks import task
from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@task()
def dispatch_request(request_id):
    """Hand a request to its connector (after the commit that wrote it); at most once."""
    from .delivery import dispatch

    return dispatch(request_id)


@db_periodic_task(crontab(hour="6", minute="45"))
def remind_due_requests():
    """Every morning: one reminder for each open request whose answer is due today (or was due and not yet
    reminded)."""
    from .delivery import send_due_reminders

    return len(send_due_reminders())
