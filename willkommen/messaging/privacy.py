"""The messaging room's share of data protection: a person's conversation (messages, attachments, delivery
history) and interpreter bookings in the Art. 15 copy; erasing them with the person; which persons it
keeps (a message not yet delivered, an interpreter booked for the future, a message inside
MESSAGING_RETENTION_DAYS); and the retention job for messages that belong to no person's file and for
delivery logs. Messages of a person are part of the file and go with the person."""

from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from willkommen.audit import retention
from willkommen.clients import personal_data
from willkommen.clients.personal_data import ExportFile, Section, rows

from .models import Attachment, ConfirmedNumber, DeliveryAttempt, InterpreterBooking, Message, Status

PENDING = (Status.QUEUED, Status.SENDING, Status.RETRYING, Status.PRINT_QUEUED)


def export(authority, person):
    messages = Message.objects.filter(authority=authority, person=person).order_by("created_at", "id")
    attachments = Attachment.objects.filter(authority=authority, message__person=person).order_by("id")
    return Section(
        tables={
            "messages": rows(messages, exclude=("idempotency_key",)),
            "attachments": rows(attachments),
            "delivery_attempts": rows(
                DeliveryAttempt.objects.filter(authority=authority, message__person=person).order_by("at", "id")
            ),
            "interpreter_bookings": rows(
                InterpreterBooking.objects.filter(authority=authority, person=person).order_by("starts_at", "id")
            ),
            "phone_numbers": rows(
                ConfirmedNumber.objects.filter(authority=authority, person=person).order_by("created_at", "id"),
                exclude=("code_hash",),
            ),
        },
        files=[
            ExportFile(f"{a.message_id}-{a.pk}-{a.file_name}", a.storage_name, sha256=a.sha256) for a in attachments
        ],
    )


def _own_files(attachments):
    """Stored files of these attachments that are not documents of the e-file (those the e-file deletes)."""
    return list(attachments.filter(document_id__isnull=True).values_list("storage_name", flat=True))


def erase(authority, person_ids):
    ConfirmedNumber.objects.filter(authority=authority, person_id__in=person_ids).delete()
    messages = Message.objects.filter(authority=authority, person_id__in=person_ids)
    names = _own_files(Attachment.objects.filter(message__in=messages))
    _n, counts = messages.delete()
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
    # Interpreter bookings are the office's cost records: they stay, without the person and the case.
    unlinked = InterpreterBooking.objects.filter(authority=authority, person_id__in=person_ids).update(
        person=None, case=None
    )
    return {**counts, "messaging.interpreterbooking (unlinked)": unlinked}


def keeps(authority, person_ids, now):
    recent = now - timedelta(days=settings.MESSAGING_RETENTION_DAYS)
    messages = Message.objects.filter(authority=authority, person_id__in=person_ids).filter(
        Q(status__in=PENDING) | Q(created_at__gte=recent)
    )
    interpreters = InterpreterBooking.objects.filter(
        authority=authority, person_id__in=person_ids, cancelled=False, starts_at__gte=now
    )
    return set(messages.values_list("person_id", flat=True)) | set(interpreters.values_list("person_id", flat=True))


def apply_retention(authority, now, tally):
    cutoff = now - timedelta(days=settings.MESSAGING_RETENTION_DAYS)
    outside_files = Message.objects.filter(
        authority=authority, person__isnull=True, case__isnull=True, created_at__lt=cutoff
    ).exclude(status__in=PENDING)
    retention.delete_in_batches(
        outside_files,
        tally,
        file_names=lambda ids: _own_files(Attachment.objects.filter(message_id__in=ids)),
    )
    retention.delete_in_batches(DeliveryAttempt.objects.filter(authority=authority, at__lt=cutoff), tally)


CONTRIBUTOR = personal_data.Contributor(
    key="messaging",
    label=_("Messages"),
    models=(
        "messaging.Message",
        "messaging.Attachment",
        "messaging.DeliveryAttempt",
        "messaging.InterpreterBooking",
        "messaging.ConfirmedNumber",
    ),
    export=export,
    erase=erase,
    keeps=keeps,
)

JOB = retention.Job(
    room="messaging",
    label=_("Messages outside a file, delivery logs"),
    apply=apply_retention,
    order=20,
    periods=(
        retention.Period(
            "MESSAGING_RETENTION_DAYS",
            "days",
            _("Messages that belong to no person's file (booking mails, unassigned incoming mail); delivery logs"),
            _(
                "Derived: not part of a file, so not kept with it; 6 months like the access logs, to answer "
                "follow-up questions and prove what was sent."
            ),
        ),
    ),
)


def register():
    personal_data.register(CONTRIBUTOR)
    retention.register(JOB)
