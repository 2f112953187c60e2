"""E-file jobs: the nightly retention run. It logs the dry-run report first, then deletes; each run is
recorded per authority (``audit.RetentionRun``)."""

import logging

from django_tasks import task
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from willkommen.audit import retention

from . import services

log = logging.getLogger(__name__)


@task()
def apply_retention(dry_run=False):
    report = services.apply_retention(dry_run=True)
    log.info("e-file retention (dry run): %d files due: %s", len(report), report)
    if dry_run:
        return report
    runs = retention.run_job("efile")
    return sum(run.deleted.get("efile.document", 0) for run in runs)


@db_periodic_task(crontab(hour="3", minute="40"))
def schedule_retention():
    apply_retention.enqueue()
