"""Jobs of the clients room: the nightly retention run for persons, after every room's own retention
(the e-file's at 03:40 releases persons whose archived file it deleted)."""

from django_tasks import task
from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@task()
def apply_retention():
    """Persons no room keeps any more, with all their rows (recorded per authority)."""
    from willkommen.audit import retention

    return [run.pk for run in retention.run_job("clients")]


@db_periodic_task(crontab(hour="4", minute="10"))
def schedule_retention():
    apply_retention.enqueue()


@task()
def record_expiries():
    """Titles, Duldungen and certificates that ran out without a follow-up become dated entries."""
    from .expiry import record_expiries as run

    return run()


@db_periodic_task(crontab(hour="0", minute="30"))
def schedule_expiries():
    record_expiries.enqueue()
