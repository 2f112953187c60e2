"""Incoming e-mail through a real local SMTP server (aiosmtpd) and directly through the handler."""

import smtplib
import socket
from email.message import EmailMessage

import pytest
from django.core import mail

from willkommen.messaging import inbound
from willkommen.messaging.models import Direction, Message, Status

from .conftest import make_case, make_person, png_bytes


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(transactional_db):
    from willkommen.messaging.smtpd import controller

    smtp = controller("127.0.0.1", _free_port())
    smtp.start()
    yield smtp
    smtp.stop()


def _mail(sender, to, subject, body, **headers):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message


def _send(smtp, message, mail_from=None):
    with smtplib.SMTP(smtp.hostname, smtp.port, timeout=30) as client:
        client.send_message(message, from_addr=mail_from)


def test_mail_with_case_number_lands_in_the_thread_and_is_acknowledged_in_the_senders_language(smtp_server, authority):
    person = make_person(authority, email="olena@example.org", preferred_language="de")
    case = make_case(authority, person)
    message = _mail(
        "Olena <other.address@example.net>",
        authority.email,
        f"Питання щодо {case.number}",
        "Добрий день! Я надсилаю інформацію щодо моєї заяви. Дякую.",
    )
    _send(smtp_server, message)

    incoming = Message.objects.get(authority=authority, direction=Direction.IN)
    assert incoming.person == person and incoming.case == case and incoming.status == Status.RECEIVED
    assert incoming.language == "uk"
    ack = Message.objects.get(authority=authority, direction=Direction.OUT)
    assert ack.person == person and ack.case == case and ack.status == Status.SENT  # same job run, same thread
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["other.address@example.net"]
    assert "Дякуємо" in sent.body and case.number in sent.body


def test_mail_without_case_number_from_unknown_sender_goes_to_the_unassigned_inbox(smtp_server, authority):
    _send(smtp_server, _mail("stranger@example.com", authority.email, "Frage", "Hallo, wann habt ihr offen?"))
    incoming = Message.objects.get(authority=authority, direction=Direction.IN)
    assert incoming.person is None and incoming.status == Status.UNASSIGNED
    assert len(mail.outbox) == 1
    # Language not guessable from so little: German and English.
    assert "Vielen Dank" in mail.outbox[0].body and "Thank you" in mail.outbox[0].body


def test_unknown_recipient_is_refused(smtp_server, authority):
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        _send(smtp_server, _mail("a@example.com", "nobody@elsewhere.example", "x", "y"))
    assert not Message.objects.exists()


def test_ten_megabyte_body_is_cut_and_recorded_not_an_error(smtp_server, authority):
    _send(smtp_server, _mail("big@example.com", authority.email, "Groß", "A" * (10 * 1024 * 1024)))
    incoming = Message.objects.get(authority=authority, direction=Direction.IN)
    assert "body_truncated" in incoming.flags and len(incoming.body) == 20_000


def test_forged_sender_is_neither_matched_nor_answered(smtp_server, authority):
    person = make_person(authority, email="olena@example.org")
    case = make_case(authority, person)
    _send(
        smtp_server,
        _mail("olena@example.org", authority.email, f"Re: {case.number}", "Bitte Adresse ändern"),
        mail_from="attacker@evil.example",
    )
    incoming = Message.objects.get(authority=authority, direction=Direction.IN)
    assert incoming.person is None and incoming.status == Status.UNASSIGNED
    assert "forged_sender" in incoming.flags
    assert mail.outbox == []


@pytest.mark.django_db
def test_failed_authentication_results_mark_a_forgery(authority):
    person = make_person(authority, email="olena@example.org")
    raw = _mail(
        "olena@example.org",
        authority.email,
        "Hallo",
        "Text",
        Authentication_Results="mx.example; spf=fail smtp.mailfrom=x",
    ).as_bytes()
    incoming = inbound.handle_incoming(authority, raw)
    assert incoming.person is None and "forged_sender" in incoming.flags and person.messages.count() == 0


@pytest.mark.django_db
def test_known_address_matches_and_attachments_are_checked(authority):
    person = make_person(authority, email="olena@example.org", preferred_language="uk")
    message = _mail("olena@example.org", authority.email, "Dokumente", "Anbei meine Unterlagen.")
    message.add_attachment(png_bytes(), maintype="image", subtype="png", filename="pass.png")
    message.add_attachment(
        b"MZ\x90\x00 this is a windows program", maintype="application", subtype="octet-stream", filename="pass.exe"
    )
    incoming = inbound.handle_incoming(authority, message.as_bytes())
    assert incoming.person == person and incoming.status == Status.RECEIVED
    names = [a.file_name for a in incoming.attachments.all()]
    assert len(names) == 1 and names[0].endswith(".png")
    assert any(flag.startswith("attachment_rejected: pass.exe") for flag in incoming.flags)
    # A short Latin-script text gives no strong signal: the person's own language is used.
    assert incoming.language == "uk" and "Дякуємо" in mail.outbox[0].body


@pytest.mark.django_db
def test_header_injection_in_the_subject_is_neutralised(authority):
    raw = (
        b"From: a@example.com\r\nTo: " + authority.email.encode() + b"\r\n"
        b"Subject: =?utf-8?q?Hallo=0D=0ABcc=3A_victim=40example=2Eorg?=\r\n"
        b"Message-ID: <inj-1@example.com>\r\n\r\nText\r\n"
    )
    incoming = inbound.handle_incoming(authority, raw)
    assert "\n" not in incoming.subject and "\r" not in incoming.subject
    assert len(mail.outbox) == 1
    assert mail.outbox[0].recipients() == ["a@example.com"]
    assert "\n" not in mail.outbox[0].subject
    # The same mail again (IMAP refetch, SMTP retry) is stored and acknowledged once.
    assert inbound.handle_incoming(authority, raw).pk == incoming.pk
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_automatic_replies_are_not_acknowledged(authority):
    raw = _mail(
        "mailer-daemon@example.com", authority.email, "Undeliverable", "x", Auto_Submitted="auto-replied"
    ).as_bytes()
    inbound.handle_incoming(authority, raw)
    assert mail.outbox == []


@pytest.mark.django_db
def test_garbage_is_kept_for_a_human_never_an_error(authority):
    incoming = inbound.handle_incoming(authority, b"\xff\xfe\x00garbage without headers")
    assert incoming.status == Status.UNASSIGNED


@pytest.mark.parametrize(
    "text, language",
    [
        ("مرحبا، أريد أن أسأل عن موعدي", "ar"),
        ("سلام، من یک سوال درباره پرونده دارم", "fa"),
        ("Здравствуйте, у меня вопрос по заявлению", "ru"),
        ("Добрий день, у мене є питання щодо заяви", "uk"),
        ("Merhaba, başvurum hakkında bir sorum var, teşekkür ederim", "tr"),
        ("Bonjour, je vous écris pour ma demande, merci", "fr"),
        ("Hello, I have a question about my appointment, thank you", "en"),
        ("Sehr geehrte Damen und Herren, ich habe eine Frage zu meinem Termin", "de"),
        ("ok", None),
    ],
)
def test_language_guess(text, language):
    assert inbound.guess_language(text) == language


class FakeImap:
    """Stands in for imaplib.IMAP4_SSL: one unseen mail, records what the job does."""

    instances = []

    def __init__(self, host, port):
        self.host, self.port, self.calls, self.seen = host, port, [], []
        FakeImap.instances.append(self)

    def login(self, user, password):
        self.calls.append(("login", user))

    def select(self, folder):
        self.calls.append(("select", folder))

    def search(self, charset, criterion):
        return "OK", [b"1" if not self.seen else b""]

    def fetch(self, number, parts):
        return "OK", [(b"1 (RFC822 {100}", FakeImap.raw)]

    def store(self, number, op, flags):
        self.seen.append(number)

    def logout(self):
        self.calls.append(("logout",))


@pytest.mark.django_db
def test_imap_job_fetches_matches_acknowledges_and_marks_seen(authority, settings, monkeypatch):
    person = make_person(authority, email="olena@example.org")
    case = make_case(authority, person)
    FakeImap.raw = _mail("olena@example.org", authority.email, f"Frage {case.number}", "Hallo").as_bytes()
    monkeypatch.setattr(inbound.imaplib, "IMAP4_SSL", FakeImap)
    settings.MESSAGING_IMAP_HOST = "imap.example.org"
    settings.MESSAGING_IMAP_USER = "abh"
    assert inbound.fetch_imap() == 1
    imap = FakeImap.instances[-1]
    assert imap.seen == [b"1"] and ("logout",) in imap.calls
    incoming = Message.objects.get(direction=Direction.IN)
    assert incoming.case == case and len(mail.outbox) == 1
    assert inbound.fetch_imap() == 1 and Message.objects.filter(direction=Direction.IN).count() == 1  # same mail again
