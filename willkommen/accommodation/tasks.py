"""Background jobs of the accommodation room."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="5"))
def end_due_isolations():
    """Every hour: isolation and quarantine episodes whose planned end has come end by themselves; the
    resident moves back to a normal bed and the isolation bed is free. Idempotent (nothing due: nothing
    done); the selectors already treat such an episode as ended before this runs."""
    from .services import end_due_episodes

    return end_due_episodes()
