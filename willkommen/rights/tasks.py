"""Jobs of the rights room: the monthly screening of every authority's tolerated persons and § 104c holders
(on the 1st at 02:20, on Huey's scheduler; bulk priority: whenever nothing else waits). Idempotent: a
retried run of the same day adds only the checks still missing (``services.screen``)."""

from django_tasks import task
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from willkommen.core import jobs


@task(priority=jobs.BULK)
def screen_month():
    from . import services

    return [run.pk for run in services.screen_all()]


@db_periodic_task(crontab(day="1", hour="2", minute="20"))
def schedule_screening():
    screen_month.enqueue()
