"""Audit jobs: the daily purge runs on Huey's scheduler (one consumer) and goes through the Tasks API."""

from django_tasks import task
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@task()
def purge_audit_log():
    return services.purge()


@db_periodic_task(crontab(hour="3", minute="15"))
def schedule_audit_purge():
    purge_audit_log.enqueue()
