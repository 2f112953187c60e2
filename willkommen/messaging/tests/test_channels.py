import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from willkommen.messaging import services
from willkommen.messaging.models import Channel, Message, Status

from .conftest import make_person

pytestmark = pytest.mark.django_db


def test_send_to_client_with_only_an_address_delivers_an_email_after_commit(
    authority, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = services.send_to_client(
            authority,
            email="client@example.org",
            subject="Ihr Termin",
            body="Am Montag.",
            attachments=[("termin.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")],
        )
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["client@example.org"] and sent.body == "Am Montag."
    assert sent.attachments[0][0] == "termin.ics"
    message.refresh_from_db()
    assert message.status == Status.SENT and message.channel == Channel.EMAIL
    assert [a.ok for a in message.delivery_attempts.all()] == [True]


def test_header_injection_in_subject_is_neutralised(authority, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = services.send_to_client(
            authority, email="client@example.org", subject="Hallo\r\nBcc: victim@example.org\nX: y", body="Text"
        )
    assert len(mail.outbox) == 1
    sent = mail.outbox[0].message()
    assert sent["Bcc"] is None and sent["X"] is None
    assert mail.outbox[0].recipients() == ["client@example.org"]
    assert "\n" not in mail.outbox[0].subject and "\r" not in message.subject
    assert message.subject == "Hallo Bcc: victim@example.org X: y"


def test_sms_fails_twice_then_succeeds_and_is_sent_exactly_once(authority, gateway, django_capture_on_commit_callbacks):
    person = make_person(authority, preferred_channel="sms", phone="+49 151 2345678")
    gateway.fail_next = 2
    with django_capture_on_commit_callbacks(execute=True):
        message = services.send_to_client(authority, email="", subject="Termin", body="Morgen 9 Uhr", person=person)
    message.refresh_from_db()
    assert message.channel == Channel.SMS and message.status == Status.RETRYING and message.attempts == 1
    first_retry = message.next_attempt_at

    # Not yet due: nothing happens.
    assert services.retry_due(now=timezone.now()) == 0
    assert services.retry_due(now=first_retry + dt.timedelta(seconds=1)) == 1
    message.refresh_from_db()
    assert message.status == Status.RETRYING and message.attempts == 2
    assert message.next_attempt_at - first_retry >= dt.timedelta(seconds=59)  # backoff grows

    assert services.retry_due(now=message.next_attempt_at + dt.timedelta(seconds=1)) == 1
    message.refresh_from_db()
    assert message.status == Status.SENT and message.provider_id.startswith("SM")
    # A retried job (or a duplicate) never sends again.
    services.deliver(message.pk)
    services.retry_due(now=timezone.now() + dt.timedelta(days=1))
    assert len(gateway.delivered) == 1 and gateway.delivered[0]["To"] == "+491512345678"
    assert len(gateway.requests) == 3
    history = list(message.delivery_attempts.values_list("ok", "permanent"))
    assert history == [(False, False), (False, False), (True, False)]
    assert "503" in message.delivery_attempts.first().error
    assert mail.outbox == []


def test_permanent_sms_failure_falls_back_to_email_with_a_link_only(
    authority, gateway, django_capture_on_commit_callbacks
):
    person = make_person(authority, preferred_channel="sms", phone="+49 151 999")
    gateway.refused_numbers.add("+49151999")
    with django_capture_on_commit_callbacks(execute=True):
        message = services.send_to_client(
            authority, email="", subject="Entscheidung", body="Geheimer Inhalt", person=person, language="uk"
        )
    message.refresh_from_db()
    assert message.status == Status.FAILED
    fallback = message.fallbacks.get()
    assert fallback.channel == Channel.EMAIL and fallback.status == Status.SENT
    assert len(mail.outbox) == 1
    assert "Geheimer Inhalt" not in mail.outbox[0].body and "/a/alpha/messages/" in mail.outbox[0].body
    assert "повідомлення" in mail.outbox[0].body  # Ukrainian, with the German text below


def test_a_fallback_keeps_the_attachments_each_under_its_own_key(
    authority, gateway, django_capture_on_commit_callbacks
):
    """The demo's start found it: a fallback copied its attachments with the original's unique key and the
    delivery job failed on the database's unique constraint."""
    person = make_person(authority, preferred_channel="sms", phone="+49 151 888")
    gateway.refused_numbers.add("+49151888")
    with django_capture_on_commit_callbacks(execute=True):
        message = services.send_to_client(
            authority,
            email="",
            subject="Eingangsbestätigung",
            body="Anbei",
            person=person,
            attachments=[("receipt.pdf", b"%PDF-1.4 receipt", "application/pdf")],
        )
    message.refresh_from_db()
    fallback = message.fallbacks.get()
    assert fallback.channel == Channel.EMAIL and fallback.status == Status.SENT
    [original] = message.attachments.all()
    [copy] = fallback.attachments.all()
    assert copy.key != original.key and copy.file_name == "receipt.pdf" and copy.sha256 == original.sha256


def test_without_digital_contact_the_letter_goes_to_the_print_queue(
    authority, gateway, django_capture_on_commit_callbacks
):
    person = make_person(
        authority,
        preferred_channel="sms",
        phone="+49 151 777",
        email="",
        street="Hauptstr. 5",
        postal_code="80331",
        city="München",
    )
    gateway.refused_numbers.add("+49151777")
    with django_capture_on_commit_callbacks(execute=True):
        message = services.send_to_client(
            authority, email="", subject="Einladung", body="Bitte kommen Sie.", person=person
        )
    letter = Message.objects.get(fallback_of=message)
    assert letter.channel == Channel.LETTER and letter.status == Status.PRINT_QUEUED
    pdf = letter.attachments.get()
    assert pdf.content_type == "application/pdf" and pdf.size > 1000
    services.mark_printed(letter)
    letter.refresh_from_db()
    assert letter.status == Status.PRINTED


def test_exhausted_retries_fall_back(authority, gateway, settings, django_capture_on_commit_callbacks):
    settings.MESSAGING_RETRY_MAX_ATTEMPTS = 2
    person = make_person(authority, preferred_channel="messenger", phone="+49 160 1111111")
    gateway.fail_next = 10
    with django_capture_on_commit_callbacks(execute=True):
        message = services.send_to_client(authority, email="", subject="Info", body="Text", person=person)
    services.retry_due(now=timezone.now() + dt.timedelta(hours=1))
    message.refresh_from_db()
    assert message.status == Status.FAILED and message.attempts == 2
    assert "gave up" in message.last_error
    assert message.fallbacks.get().status == Status.SENT  # e-mail notice
    assert len(mail.outbox) == 1


def test_messenger_speaks_signal_cli_rest_api(authority, gateway, django_capture_on_commit_callbacks):
    person = make_person(authority, preferred_channel="messenger", phone="+49 160 2222222")
    with django_capture_on_commit_callbacks(execute=True):
        message = services.send_to_client(authority, email="", subject="Info", body="Hallo", person=person)
    message.refresh_from_db()
    assert message.status == Status.SENT
    sent = gateway.delivered[0]
    assert sent["kind"] == "signal" and sent["recipients"] == ["+491602222222"] and sent["number"] == "+4915100000000"


def test_portal_preference_sends_only_a_link_by_email(authority, django_capture_on_commit_callbacks):
    person = make_person(authority, preferred_channel="portal")
    with django_capture_on_commit_callbacks(execute=True):
        message = services.send_to_client(
            authority, email=person.email, subject="Bescheid", body="Vertraulich", person=person, language="uk"
        )
    message.refresh_from_db()
    assert message.channel == Channel.PORTAL and message.status == Status.SENT
    assert "Vertraulich" not in mail.outbox[0].body and "/messages/" in mail.outbox[0].body


def test_email_preference_carries_the_content(authority, person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.send_to_client(authority, email=person.email, subject="Bescheid", body="Inhalt", person=person)
    assert mail.outbox[0].body == "Inhalt"


def test_send_template_renders_in_the_persons_language(authority, person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = services.send_template(
            authority,
            "reminder",
            person=person,
            context={"name": "Olena", "date": "01.02.2027", "time": "10:00", "place": "Raum 1"},
        )
    assert message.language == "uk" and message.template_key == "reminder"
    assert "01.02.2027" in mail.outbox[0].body and "Нагадуємо" in mail.outbox[0].body


def test_idempotency_key_stores_and_sends_once(authority, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.send_message(authority, email="a@example.org", subject="S", body="B", idempotency_key="k1")
        second = services.send_message(authority, email="a@example.org", subject="S", body="B", idempotency_key="k1")
    assert first.pk == second.pk and len(mail.outbox) == 1


def test_sms_for_a_client_who_did_not_choose_sms_carries_only_a_link(
    authority, gateway, django_capture_on_commit_callbacks
):
    person = make_person(
        authority, preferred_channel="email", email="", phone="+49 151 5555555", preferred_language="tr"
    )
    with django_capture_on_commit_callbacks(execute=True):
        message = services.send_to_client(
            authority, email="", subject="Karar", body="Gizli içerik", person=person, language="tr"
        )
    message.refresh_from_db()
    assert message.channel == Channel.SMS and message.status == Status.SENT
    text = gateway.delivered[0]["Body"]
    assert "Gizli içerik" not in text and "/a/alpha/messages/" in text and "Portalda" in text
