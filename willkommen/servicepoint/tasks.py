"""Periodic jobs of the ServicePoint: called clients who do not come, and tickets left over."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*"))
def expire_no_shows():
    from .services import expire_no_shows as run

    return run()


@db_periodic_task(crontab(hour="2", minute="15"))
def close_previous_days():
    from .services import cancel_stale

    return cancel_stale()
