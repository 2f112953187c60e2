"""Incoming Signal (polled from a real local signal-cli-rest-api double) and SMS (Twilio's signed webhook
posted to the test client), matched only through confirmed numbers."""

import base64
import hashlib
import hmac
import urllib.parse

import pytest
from django.utils import timezone

from willkommen.messaging import inbound_signal
from willkommen.messaging.models import Attachment, ConfirmedNumber, Direction, Message, Status

from .conftest import make_case, make_person, png_bytes

OWN = "+4915100000000"
CLIENT = "+4915712345678"


@pytest.fixture
def phone(settings, gateway, authority):
    settings.MESSAGING_SIGNAL_RECEIVE = f"{OWN}={authority.slug}"
    settings.MESSAGING_SMS_ACCOUNT = "ACtest"
    settings.UPLOAD_MAX_FILE_MB = 1
    return gateway


def confirmed(authority, person, number=CLIENT):
    return ConfirmedNumber.objects.create(
        authority=authority, person=person, number=number, confirmed_at=timezone.now()
    )


def envelope(text, *, source=CLIENT, timestamp=1764840000123, attachments=None, **extra):
    data = {"timestamp": timestamp, "message": text}
    if attachments is not None:
        data["attachments"] = attachments
    env = {"source": source, "sourceNumber": source, "sourceDevice": 1, "timestamp": timestamp, "dataMessage": data}
    env.update(extra)
    return {"envelope": env, "account": OWN}


def poll(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return inbound_signal.fetch_signal()


def signal_sent(double):
    return [d for d in double.delivered if d["kind"] == "signal"]


def sms_sent(double):
    return [d for d in double.delivered if d["kind"] == "sms"]


# --- Signal -----------------------------------------------------------------------------------------


def test_signal_from_a_confirmed_number_lands_on_the_case_and_is_acknowledged_in_its_language(
    phone, authority, django_capture_on_commit_callbacks
):
    person = make_person(authority, preferred_language="uk")
    case = make_case(authority, person)
    confirmed(authority, person)
    picture = phone.add_signal_attachment(png_bytes(), "image/png", "pass.png")
    phone.queue_signal(
        OWN, envelope(f"Добрий день, щодо справи {case.number} надсилаю фотографію і паспорт.", attachments=[picture])
    )
    phone.queue_signal(OWN, {"envelope": {"source": CLIENT, "timestamp": 5, "receiptMessage": {"isRead": True}}})

    assert poll(django_capture_on_commit_callbacks) == 1

    incoming = Message.objects.get(authority=authority, direction=Direction.IN)
    assert (incoming.person, incoming.case, incoming.channel) == (person, case, "messenger")
    assert incoming.status == Status.RECEIVED and incoming.language == "uk"
    attachment = Attachment.objects.get(message=incoming)
    assert attachment.document_id is not None and attachment.content_type == "image/png"
    (ack,) = signal_sent(phone)
    assert ack["recipients"] == [CLIENT] and ack["number"] == OWN
    assert "Дякуємо" in ack["message"] and case.number in ack["message"]
    assert Message.objects.get(template_key="acknowledgement_short").status == Status.SENT


def test_signal_from_an_unknown_or_unconfirmed_number_goes_to_the_inbox_and_is_still_acknowledged(
    phone, authority, django_capture_on_commit_callbacks
):
    person = make_person(authority)
    ConfirmedNumber.objects.create(authority=authority, person=person, number=CLIENT)  # code never entered
    phone.queue_signal(OWN, envelope("Hello, I have a question about my appointment please."))
    phone.queue_signal(OWN, envelope("Bonjour, merci", source="+33612345678", timestamp=77))

    assert poll(django_capture_on_commit_callbacks) == 2

    inbox = Message.objects.filter(direction=Direction.IN).order_by("id")
    assert [(m.person, m.status) for m in inbox] == [(None, Status.UNASSIGNED)] * 2
    assert inbox[0].flags == ["unconfirmed_number"]
    assert sorted(r for d in signal_sent(phone) for r in d["recipients"]) == sorted([CLIENT, "+33612345678"])


def test_signal_with_a_forged_source_is_never_matched_nor_answered(
    phone, authority, django_capture_on_commit_callbacks
):
    person = make_person(authority)
    confirmed(authority, person)
    forged = envelope("I am the client, send me the file", source=CLIENT)
    forged["envelope"]["sourceNumber"] = "+4917099999999"  # the envelope's real sender
    phone.queue_signal(OWN, forged)
    other_account = envelope("for somebody else", timestamp=99)
    other_account["account"] = "+4915199999999"
    phone.queue_signal(OWN, other_account)

    assert poll(django_capture_on_commit_callbacks) == 2

    for message in Message.objects.filter(direction=Direction.IN):
        assert message.person is None and message.status == Status.UNASSIGNED
        assert "forged_sender" in message.flags
    assert signal_sent(phone) == [] and not Message.objects.filter(direction=Direction.OUT).exists()


def test_signal_oversized_attachment_is_dropped_and_noted_the_message_kept(
    phone, authority, django_capture_on_commit_callbacks
):
    person = make_person(authority)
    confirmed(authority, person)
    huge = phone.add_signal_attachment(b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10), "application/pdf", "scan.pdf")
    lying = phone.add_signal_attachment(
        b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10), "application/pdf", "small.pdf", size=10
    )
    refused = phone.add_signal_attachment(b"MZ\x90\x00 not a document", "application/pdf", "virus.pdf")
    phone.queue_signal(OWN, envelope("Hier meine Unterlagen, bitte.", attachments=[huge, lying, refused]))

    assert poll(django_capture_on_commit_callbacks) == 1

    message = Message.objects.get(direction=Direction.IN)
    assert message.person == person and message.body == "Hier meine Unterlagen, bitte."
    assert not Attachment.objects.filter(message=message).exists()
    notes = [f for f in message.flags if f.startswith("attachment_rejected")]
    assert len(notes) == 3
    assert "scan.pdf: too large" in notes[0] and "small.pdf: too large" in notes[1] and "virus.pdf" in notes[2]
    fetched = [path for path, _ in phone.requests if path.startswith("/v1/attachments/")]
    assert huge["id"] not in " ".join(fetched)  # announced as too large: not even downloaded
    assert len(signal_sent(phone)) == 1


def test_signal_message_delivered_twice_is_taken_once_and_acknowledged_once(
    phone, authority, django_capture_on_commit_callbacks
):
    person = make_person(authority)
    confirmed(authority, person)
    phone.queue_signal(OWN, envelope("Guten Tag, ich habe eine Frage."))
    phone.queue_signal(OWN, envelope("Guten Tag, ich habe eine Frage."))
    assert poll(django_capture_on_commit_callbacks) == 1
    phone.queue_signal(OWN, envelope("Guten Tag, ich habe eine Frage."))
    assert poll(django_capture_on_commit_callbacks) == 0

    assert Message.objects.filter(direction=Direction.IN).count() == 1
    assert len(signal_sent(phone)) == 1


def test_signal_number_confirmed_for_two_persons_matches_none(phone, authority, django_capture_on_commit_callbacks):
    confirmed(authority, make_person(authority, given_names="Olena"))
    confirmed(authority, make_person(authority, given_names="Iryna"))
    phone.queue_signal(OWN, envelope("Guten Tag, eine Frage bitte."))
    poll(django_capture_on_commit_callbacks)
    message = Message.objects.get(direction=Direction.IN)
    assert message.person is None and message.flags == ["ambiguous_sender"]


def test_signal_number_confirmed_in_another_authority_does_not_match(
    phone, authority, other_authority, django_capture_on_commit_callbacks
):
    confirmed(other_authority, make_person(other_authority))
    phone.queue_signal(OWN, envelope("Guten Tag, eine Frage bitte."))
    poll(django_capture_on_commit_callbacks)
    assert Message.objects.get(direction=Direction.IN).person is None


# --- SMS --------------------------------------------------------------------------------------------

WEBHOOK = "/a/alpha/messaging/sms/incoming/"


def twilio_signature(token, url, params):
    """Twilio's documented scheme, written out here independently of the code under test."""
    data = url
    for key in sorted(params):
        data += key + params[key]
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


def post_sms(client, params, *, token="secret", signature=None):
    url = "http://testserver" + WEBHOOK
    header = signature if signature is not None else twilio_signature(token, url, params)
    return client.post(
        WEBHOOK,
        data=urllib.parse.urlencode(params),
        content_type="application/x-www-form-urlencoded",
        HTTP_X_TWILIO_SIGNATURE=header,
    )


def sms(sid="SM" + "1" * 32, sender=CLIENT, body="Merhaba, başvurum hakkında bir sorum var. Teşekkür ederim.", **extra):
    return {
        "MessageSid": sid,
        "AccountSid": "ACtest",
        "From": sender,
        "To": "+4989123456",
        "Body": body,
        "NumMedia": "0",
        **extra,
    }


def test_sms_from_a_confirmed_number_lands_in_the_thread_and_is_acknowledged_by_sms(
    phone, authority, client, django_capture_on_commit_callbacks
):
    person = make_person(authority, preferred_language="tr")
    confirmed(authority, person)
    media = phone.add_media(png_bytes(), account="ACtest")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_sms(client, sms(NumMedia="1", MediaUrl0=media, MediaContentType0="image/png"))

    assert response.status_code == 200 and b"<Response>" in response.content
    incoming = Message.objects.get(direction=Direction.IN)
    assert (incoming.person, incoming.channel, incoming.status) == (person, "sms", Status.RECEIVED)
    assert incoming.language == "tr" and incoming.external_id == "sms:SM" + "1" * 32
    assert Attachment.objects.get(message=incoming).document_id is not None
    (ack,) = sms_sent(phone)
    assert ack["To"] == CLIENT and "Teşekkür" in ack["Body"]


def test_sms_with_a_forged_or_missing_signature_is_refused_and_nothing_stored(
    phone, authority, client, django_capture_on_commit_callbacks
):
    person = make_person(authority)
    confirmed(authority, person)
    with django_capture_on_commit_callbacks(execute=True):
        assert post_sms(client, sms(), token="guessed").status_code == 403
        assert post_sms(client, sms(), signature="").status_code == 403
        tampered = sms()
        signed = twilio_signature("secret", "http://testserver" + WEBHOOK, tampered)
        tampered["From"] = "+4917099999999"
        assert post_sms(client, tampered, signature=signed).status_code == 403
        other_account = sms(AccountSid="ACother")
        assert post_sms(client, other_account).status_code == 403
    assert not Message.objects.exists() and sms_sent(phone) == []


def test_sms_from_an_unknown_number_goes_to_the_inbox(phone, authority, client, django_capture_on_commit_callbacks):
    make_person(authority, phone=CLIENT)  # a number on file is not a confirmed one
    with django_capture_on_commit_callbacks(execute=True):
        assert post_sms(client, sms(body="Hello, please call me back about my appointment.")).status_code == 200
    message = Message.objects.get(direction=Direction.IN)
    assert message.person is None and message.status == Status.UNASSIGNED and message.flags == ["unconfirmed_number"]
    (ack,) = sms_sent(phone)
    assert ack["To"] == CLIENT and "Thank you" in ack["Body"]


def test_sms_oversized_or_foreign_media_is_dropped_and_noted_the_message_kept(
    phone, authority, client, django_capture_on_commit_callbacks
):
    confirmed(authority, make_person(authority))
    big = phone.add_media(b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10), account="ACtest")
    params = sms(NumMedia="2", MediaUrl0=big, MediaUrl1="http://169.254.169.254/latest/meta-data/")
    with django_capture_on_commit_callbacks(execute=True):
        assert post_sms(client, params).status_code == 200
    message = Message.objects.get(direction=Direction.IN)
    assert message.body.startswith("Merhaba") and not message.attachments.exists()
    notes = [f for f in message.flags if f.startswith("attachment_rejected")]
    assert "media-1: too large" in notes[0] and "not on the gateway's host" in notes[1]


def test_sms_delivered_twice_answers_200_and_stores_and_sends_nothing_new(
    phone, authority, client, django_capture_on_commit_callbacks
):
    confirmed(authority, make_person(authority))
    with django_capture_on_commit_callbacks(execute=True):
        assert post_sms(client, sms()).status_code == 200
        assert post_sms(client, sms()).status_code == 200
    assert Message.objects.filter(direction=Direction.IN).count() == 1
    assert len(sms_sent(phone)) == 1


def test_sms_without_message_sid_is_a_400(phone, authority, client):
    params = sms()
    del params["MessageSid"]
    assert post_sms(client, params).status_code == 400
    assert not Message.objects.exists()
