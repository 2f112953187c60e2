"""Training reminders by e-mail: each staff member gets one e-mail when a mandatory course becomes due
within 30 days and one more when it is overdue, in their language (the first of their spoken languages
the platform offers, else German). What was sent is recorded (``TrainingReminder``, unique per record
and kind), so running the job again sends nothing twice."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from willkommen.tenancy.models import Authority

from . import learning
from .models import ReminderKind, TrainingRecord, TrainingReminder

log = logging.getLogger(__name__)


def language_of(user):
    offered = {code for code, _name in settings.LANGUAGES}
    for code in user.languages or []:
        code = str(code).strip().lower().split("-")[0]
        if code in offered:
            return code
    return "de"


def _message(item, kind):
    date = date_format(item.due_on, "SHORT_DATE_FORMAT")
    values = {"name": item.staff.display_name, "course": item.course, "date": date}
    if kind == ReminderKind.OVERDUE:
        subject = _("Mandatory training overdue: %(course)s") % values
        body = (
            _(
                "Hello %(name)s,\n\nthe mandatory training “%(course)s” was due on %(date)s. "
                "Please take it as soon as possible and tell the head of office.\n"
            )
            % values
        )
    else:
        subject = _("Mandatory training due: %(course)s") % values
        body = (
            _(
                "Hello %(name)s,\n\nthe mandatory training “%(course)s” is due again on %(date)s. "
                "Please plan to take it before then.\n"
            )
            % values
        )
    return subject, body


def send_one(item, kind):
    """Record and send one reminder; False if it was sent before (or the staff member has no e-mail)."""
    if not item.staff.email:
        return False
    try:
        with transaction.atomic():
            TrainingReminder.objects.create(authority_id=item.authority_id, record=item, kind=kind)
            with translation.override(language_of(item.staff)):
                subject, body = _message(item, kind)
            EmailMessage(
                subject=subject.replace("\n", " "),
                body=body,
                from_email=item.authority.email or None,
                to=[item.staff.email],
            ).send()
    except IntegrityError:
        return False
    return True


def send_training_reminders(today=None):
    """The periodic job's body: every authority's mandatory courses due within 30 days or overdue (the
    latest completion per staff member and course, active staff only). Returns the number sent."""
    today = today or timezone.localdate()
    sent = 0
    ids = TrainingRecord.objects.filter(mandatory=True, due_on__isnull=False).values("authority_id").distinct()
    for authority in Authority.objects.filter(pk__in=ids):
        for item in learning.due(authority, today=today):
            if not item.staff.is_active:
                continue
            kind = ReminderKind.OVERDUE if item.overdue else ReminderKind.DUE_SOON
            item.authority = authority
            try:
                sent += send_one(item, kind)
            except OSError:
                log.exception("training reminder %s for record %s not sent", kind, item.pk)
    return sent
