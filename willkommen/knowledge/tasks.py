"""Background jobs of the knowledge room."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="6", minute="30"))
def send_training_reminders():
    """Every morning: e-mails to staff whose mandatory training is due within 30 days or overdue."""
    from .reminders import send_training_reminders as send

    return send()
