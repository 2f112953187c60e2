"""Jobs of the applications room: the receipt after submit, and the cleanup of abandoned drafts."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


def _status_url(application):
    base = (application.authority.host_list() or [""])[0]
    path = reverse("applications:status_login")
    if base:
        return f"https://{base}{path}"
    return f"{getattr(settings, 'PUBLIC_BASE_URL', '')}/a/{application.authority.slug}{path}"


@task()
def send_receipt(application_id, status_url=""):
    """Store the receipt in the e-file and e-mail it to the client; runs once per application."""
    from willkommen.efile.services import add_generated_document
    from willkommen.messaging.services import send_to_client

    from .models import Application
    from .receipt import mail_text, receipt_file_name, render_receipt

    with transaction.atomic():
        app = (
            Application.objects.select_for_update(of=("self",))
            .select_related("authority", "case", "case__person", "case__anliegen", "case__team")
            .get(pk=application_id)
        )
        if app.receipt_sent_at or not app.case_id:
            return "skipped"
        case = app.case
        code = services.unseal_code(app)
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
            with translation.override(app.language):
                subject = _("Receipt of your application %(number)s") % {"number": case.number}
            send_to_client(
                app.authority,
                email=app.email,
                subject=subject,
                body=mail_text(case, app, code, status_url or _status_url(app)),
                language=app.language,
                person=case.person,
                case=case,
                attachments=[(receipt_file_name(case), render_receipt(case, app, access_code=code), "application/pdf")],
                template_key="receipt",
            )
        app.receipt_sent_at = timezone.now()
        app.save(update_fields=["receipt_sent_at"])
    return "sent"


@task()
def delete_abandoned_drafts(dry_run=False):
    return services.delete_abandoned_drafts(dry_run=dry_run)


@db_periodic_task(crontab(hour="2", minute="40"))
def schedule_draft_cleanup():
    delete_abandoned_drafts.enqueue()
