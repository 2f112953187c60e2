"""Audit jobs: the daily purge runs on Huey's scheduler (one consumer) and goes through the Tasks API.
Each run is recorded per authority (``RetentionRun``)."""

from django_tasks import task
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import retention


@task()
def purge_audit_log():
    runs = retention.run_job("audit")
    return sum(run.deleted.get("audit.auditentry", 0) for run in runs)


@db_periodic_task(crontab(hour="3", minute="15"))
def schedule_audit_purge():
    purge_audit_log.enqueue()
