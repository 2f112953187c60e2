"""Jobs of the contact room: every morning at 06:10, the satisfaction survey invitations for the cases
decided and the appointments attended the day before (bulk priority). Idempotent: a person is invited at
most once a quarter, so a retried run sends nothing twice."""

import datetime as dt

from django.utils import timezone
from django_tasks import task
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from willkommen.core import jobs


@task(priority=jobs.BULK)
def invite_to_survey_yesterday():
    from . import survey

    return survey.invite_for_day(timezone.localdate() - dt.timedelta(days=1))


@db_periodic_task(crontab(hour="6", minute="10"))
def schedule_survey_invitations():
    invite_to_survey_yesterday.enqueue()
