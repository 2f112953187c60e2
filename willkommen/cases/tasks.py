"""Background jobs of the cases room."""

from django_tasks import task
from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="7", minute="0"))
def send_transparency_messages():
    """Every morning: interim answers and four-weekly status messages that caseworkers have not written."""
    from .transparency import send_due_auto_messages

    return send_due_auto_messages()


@task()
def refresh_deadlines(case_id):
    """Recompute one case's deadlines (e.g. after the catalogue's targets changed)."""
    from .clock import set_deadlines
    from .models import Case

    case = Case.objects.filter(pk=case_id).select_related("anliegen", "authority").first()
    if case is not None:
        set_deadlines(case)
