"""Messages in the Art. 15 copy and in erasure; the retention of messages outside any file, time advanced."""

import datetime as dt
import hashlib

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from willkommen.audit import retention
from willkommen.clients.privacy import kept
from willkommen.clients.testing import section
from willkommen.messaging import privacy
from willkommen.messaging.models import DeliveryAttempt, Interpreter, InterpreterBooking, Message
from willkommen.messaging.services import send_message


def send(authority, person=None, email="", subject="Ihr Termin", attachment=b"%PDF-1.4 x"):
    return send_message(
        authority,
        person=person,
        email=email,
        subject=subject,
        body="Text",
        attachments=[("termin.pdf", attachment, "application/pdf")],
    )


@pytest.mark.django_db
def test_copy_holds_the_conversation_with_attachments(authority, person, other_authority):
    from .conftest import make_person

    message = send(authority, person)
    send(authority, make_person(authority, family_name="Other", email="o@example.org"), subject="not yours")
    part, members = section(authority, person, "messaging")
    assert [row["subject"] for row in part["tables"]["messages"]] == ["Ihr Termin"]
    assert "idempotency_key" not in part["tables"]["messages"][0]
    [attachment] = part["tables"]["attachments"]
    assert attachment["message_id"] == message.pk
    [entry] = part["files"]
    assert members[entry["file"]] == b"%PDF-1.4 x"
    assert entry["sha256"] == hashlib.sha256(b"%PDF-1.4 x").hexdigest()


@pytest.mark.django_db
def test_erase_deletes_messages_and_keeps_interpreter_costs_without_the_person(
    authority, person, django_capture_on_commit_callbacks
):
    message = send(authority, person)
    name = message.attachments.get().storage_name
    interpreter = Interpreter.objects.create(authority=authority, name="I", email="i@example.org", hourly_rate=40)
    booking = InterpreterBooking.objects.create(
        authority=authority, interpreter=interpreter, language="ar", starts_at=timezone.now(), person=person, cost=40
    )
    with django_capture_on_commit_callbacks(execute=True):
        counts = privacy.erase(authority, [person.pk])
    assert counts["messaging.Message"] == 1 and counts["messaging.Attachment"] == 1
    assert counts["messaging.interpreterbooking (unlinked)"] == 1
    assert not Message.objects.exists() and not default_storage.exists(name)
    booking.refresh_from_db()
    assert booking.person_id is None and booking.cost == 40


@pytest.mark.django_db
def test_messages_keep_a_person_while_pending_or_recent(authority, person, settings):
    settings.MESSAGING_RETENTION_DAYS = 183
    message = send(authority, person)
    later = timezone.now() + dt.timedelta(days=400)
    assert kept(authority, [person.pk], later) == {person.pk}  # queued, never delivered
    Message.objects.filter(pk=message.pk).update(status="sent")
    assert kept(authority, [person.pk], timezone.now() + dt.timedelta(days=10)) == {person.pk}  # recent
    assert kept(authority, [person.pk], later) == set()


@pytest.mark.django_db
def test_retention_deletes_messages_outside_files_after_the_period(
    authority, person, settings, django_capture_on_commit_callbacks
):
    settings.MESSAGING_RETENTION_DAYS = 183
    loose = send(authority, email="client@example.org", subject="Buchung")
    loose_file = loose.attachments.get().storage_name
    in_file = send(authority, person, subject="Akte")
    Message.objects.filter(pk__in=[loose.pk, in_file.pk]).update(status="sent")
    pending = send(authority, email="client@example.org", subject="noch offen")
    DeliveryAttempt.objects.create(authority=authority, message=in_file, channel="email", ok=True)

    [early] = retention.run_job("messaging", now=timezone.now() + dt.timedelta(days=182), authorities=[authority])
    assert early.deleted == {}
    with django_capture_on_commit_callbacks(execute=True):
        [run] = retention.run_job("messaging", now=timezone.now() + dt.timedelta(days=184), authorities=[authority])
    assert set(Message.objects.values_list("pk", flat=True)) == {in_file.pk, pending.pk}
    assert run.deleted == {"messaging.message": 1, "messaging.attachment": 1, "messaging.deliveryattempt": 1}
    assert not default_storage.exists(loose_file)
    assert default_storage.exists(in_file.attachments.get().storage_name)
