"""Jobs of the applications room: the receipt after submit, the cleanup of abandoned drafts, and dropping
the sealed access codes of old receipts."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import codes, retention
from .codes import unseal_code


def _status_url(application):
    base = (application.authority.host_list() or [""])[0]
    path = reverse("applications:status_login")
    if base:
        return f"https://{base}{path}"
    return f"{getattr(settings, 'PUBLIC_BASE_URL', '')}/a/{application.authority.slug}{path}"


@task()
def send_receipt(application_id, status_url=""):
    """Store the receipt in the e-file and e-mail it to the client (template store: ``receipt``, in the
    client's language with the German text below); runs once per application."""
    from willkommen.efile.services import add_generated_document
    from willkommen.messaging.services import send_template

    from .models import Application
    from .receipt import client_receipt, receipt_file_name, receipt_values, render_receipt

    with transaction.atomic():
        app = (
            Application.objects.select_for_update(of=("self",))
            .select_related("authority", "case", "case__person", "case__anliegen", "case__team")
            .get(pk=application_id)
        )
        if app.receipt_sent_at or not app.case_id:
            return "skipped"
        case = app.case
        code = unseal_code(app)
        add_generated_document(
            app.authority,
            case.person,
            render_receipt(case, app),
            file_name=receipt_file_name(case),
            document_type="receipt",
            case=case,
            title=f"Eingangsbestätigung {case.number}",
            text=f"Eingangsbestätigung {case.number} {case.anliegen.slug}",
        )
        if app.email:
            send_template(
                app.authority,
                "receipt",
                context=receipt_values(case, code, status_url or _status_url(app)),
                email=app.email,
                person=case.person,
                case=case,
                language=app.language,
                attachments=[(receipt_file_name(case), client_receipt(case, app, code), "application/pdf")],
            )
        app.receipt_sent_at = timezone.now()
        app.save(update_fields=["receipt_sent_at"])
    return "sent"


@task()
def delete_abandoned_drafts(dry_run=False):
    """The nightly draft retention, recorded per authority (``audit.RetentionRun``)."""
    from willkommen.audit import retention as runs

    if dry_run:
        return retention.delete_abandoned_drafts(dry_run=True)
    recorded = runs.run_job("applications")
    return sum(run.deleted.get("applications.application", 0) for run in recorded)


@task()
def drop_sealed_codes():
    return codes.drop_sealed_codes()


@db_periodic_task(crontab(hour="2", minute="40"))
def schedule_draft_cleanup():
    delete_abandoned_drafts.enqueue()
    drop_sealed_codes.enqueue()
