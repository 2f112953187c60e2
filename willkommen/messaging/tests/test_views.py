"""The conversation in the portal and at the desk, notices, interpreters; roles and tenants."""

import datetime as dt
from dataclasses import asdict
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from willkommen.accounts.client_identity import SESSION_KEY, ClientIdentity
from willkommen.audit.models import AuditEntry
from willkommen.core.testing import make_staff, verified_login
from willkommen.messaging import attachments as attachment_store
from willkommen.messaging import services
from willkommen.messaging.models import Direction, Interpreter, InterpreterBooking, Message, Status

from .conftest import make_case, make_person, png_bytes

pytestmark = pytest.mark.django_db
PORTAL = "/a/alpha/messages/"


def sign_in_client(client, authority, person):
    session = client.session
    session[SESSION_KEY] = asdict(ClientIdentity(method="case_code", authority_id=authority.id, person_id=person.pk))
    session.save()
    return client


def test_portal_needs_a_signed_in_client(client, authority):
    response = client.get(PORTAL)
    assert response.status_code == 302 and "signin" in response["Location"]


def test_client_and_caseworker_conversation_with_link_only_notice(
    client, staff_client, authority, team, django_capture_on_commit_callbacks
):
    person = make_person(authority, preferred_channel="portal", preferred_language="uk")
    case = make_case(authority, person, team=team)
    from django.test import Client

    portal = sign_in_client(Client(), authority, person)
    response = portal.post(
        PORTAL,
        {
            "subject": "Питання",
            "body": "Добрий день, надсилаю довідку.",
            "attachment": SimpleUploadedFile("довідка.png", png_bytes(), "image/png"),
        },
    )
    assert response.status_code == 302
    incoming = Message.objects.get(direction=Direction.IN)
    assert incoming.person == person and incoming.case == case and incoming.attachments.count() == 1

    page = staff_client.get(f"/desk/messaging/person/{person.pk}/")
    assert page.status_code == 200 and "надсилаю довідку" in page.content.decode()
    assert AuditEntry.objects.filter(action="read", person_id=person.pk, purpose="messages with the client").exists()
    attachment = incoming.attachments.get()
    download = staff_client.get(f"/desk/messaging/attachments/{attachment.key}/")
    assert download.status_code == 200 and download.content.startswith(b"\x89PNG")

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"/desk/messaging/person/{person.pk}/reply/",
            {"subject": "Відповідь", "body": "Дякуємо, документ отримано."},
        )
    assert response.status_code == 302
    answer = Message.objects.get(direction=Direction.OUT)
    assert answer.status == Status.SENT and answer.channel == "portal" and answer.case == case
    assert len(mail.outbox) == 1
    notice = mail.outbox[0]
    assert notice.to == [person.email]
    assert "документ отримано" not in notice.body and "Відповідь" not in notice.subject
    assert "/a/alpha/messages/" in notice.body

    thread = portal.get(PORTAL)
    assert thread.status_code == 200 and "Дякуємо, документ отримано." in thread.content.decode()
    answer.refresh_from_db()
    assert answer.read_at is not None
    assert portal.get(f"/a/alpha/messages/attachments/{attachment.key}/").status_code == 200


def test_bad_attachment_and_overlong_text_are_refused_and_nothing_is_stored(client, authority, person, settings):
    sign_in_client(client, authority, person)
    response = client.post(
        PORTAL,
        {"body": "Hallo", "attachment": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00not a pdf", "application/pdf")},
    )
    assert response.status_code == 400
    assert "attachment" in response.context["form"].errors
    settings.MESSAGING_MAX_BODY_CHARS = 100
    response = client.post(PORTAL, {"body": "x" * 101})
    assert response.status_code == 400 and "body" in response.context["form"].errors
    assert Message.objects.count() == 0


def test_another_clients_attachment_and_another_authoritys_person_are_404(
    client, staff_client, authority, other_authority, person
):
    stranger = make_person(authority, email="x@example.org", family_name="Other")
    foreign = make_person(other_authority, email="y@example.org")
    message = services.client_writes(authority, stranger, subject="s", body="b")
    fields = attachment_store.store_bytes(authority, "a.pdf", b"%PDF-1.4", "application/pdf")
    attachment = message.attachments.create(authority=authority, **fields)
    sign_in_client(client, authority, person)
    assert client.get(f"/a/alpha/messages/attachments/{attachment.key}/").status_code == 404
    assert staff_client.get(f"/desk/messaging/person/{foreign.pk}/").status_code == 404


def test_phone_note_and_roles(client, staff_client, authority, team, person):
    response = staff_client.post(
        f"/desk/messaging/person/{person.pk}/phone-note/", {"note-body": "Rief an wegen Termin."}
    )
    assert response.status_code == 302
    assert Message.objects.get(channel="phone_note").status == Status.NOTED
    assert staff_client.post(f"/desk/messaging/person/{person.pk}/phone-note/", {"note-body": ""}).status_code == 400

    servicepoint = verified_login(client, make_staff(authority, "sam", role="servicepoint", teams=[team]))
    assert servicepoint.get(f"/desk/messaging/person/{person.pk}/").status_code == 403
    assert servicepoint.get("/desk/messaging/inbox/").status_code == 200


@pytest.mark.parametrize(
    "role, status", [("caseworker", 200), ("team_lead", 200), ("servicepoint", 403), ("administrator", 403)]
)
def test_overview_per_role(client, authority, team, role, status):
    verified_login(client, make_staff(authority, "user", role=role, teams=[team]))
    assert client.get("/desk/messaging/").status_code == status


def test_unassigned_mail_is_assigned_by_the_servicepoint(client, authority, team, person):
    from willkommen.messaging import inbound

    raw = b"From: unknown@example.com\r\nSubject: Hilfe\r\n\r\nBitte helfen Sie mir.\r\n"
    message = inbound.handle_incoming(authority, raw)
    assert message.status == Status.UNASSIGNED
    verified_login(client, make_staff(authority, "sam", role="servicepoint", teams=[team]))
    assert "Bitte helfen" in client.get("/desk/messaging/inbox/").content.decode()
    assert client.post(f"/desk/messaging/inbox/{message.pk}/assign/", {"person_id": "abc"}).status_code == 400
    assert client.post(f"/desk/messaging/inbox/{message.pk}/assign/", {"person_id": 999999}).status_code == 400
    assert client.post(f"/desk/messaging/inbox/{message.pk}/assign/", {"person_id": person.pk}).status_code == 302
    message.refresh_from_db()
    assert message.person == person and message.status == Status.RECEIVED


def test_group_notice_in_each_recipients_language_with_figures(
    staff_client, authority, team, django_capture_on_commit_callbacks
):
    people = [
        make_person(authority, email="uk@example.org", preferred_language="uk"),
        make_person(authority, email="ar@example.org", preferred_language="ar", family_name="Haddad"),
        make_person(authority, email="", phone="", preferred_language="fa", family_name="Rahimi"),  # unreachable
        make_person(authority, email="tr@example.org", preferred_language="tr", family_name="Yilmaz"),
    ]
    for p in people[:3]:
        make_case(authority, p, team=team)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/desk/messaging/notices/",
            {
                "group": "team",
                "team": team.pk,
                "subject_de": "Neue Regeln",
                "body_de": "Bitte Maske tragen.",
                "subject_en": "New rules",
                "body_en": "Please wear a mask.",
                "subject_uk": "Нові правила",
                "body_uk": "Будь ласка, носіть маску.",
            },
        )
    assert response.status_code == 302
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert bodies == {"uk@example.org": "Будь ласка, носіть маску.", "ar@example.org": "Please wear a mask."}
    figures = staff_client.get(response["Location"]).context["figures"]
    assert (figures["recipients"], figures["delivered"], figures["portal_only"], figures["failed"]) == (3, 2, 1, 0)
    assert figures["by_language"] == {"uk": 1, "en": 2}  # Arabic and Farsi fall back to English
    assert staff_client.post("/desk/messaging/notices/", {"group": "team", "body_de": ""}).status_code == 400


def test_interpreter_booking_email_conflict_and_monthly_costs(
    client, authority, team, django_capture_on_commit_callbacks
):
    user = make_staff(authority, "tl", role="team_lead", teams=[team])
    verified_login(client, user)
    response = client.post(
        "/desk/messaging/interpreters/",
        {
            "name": "Rana Haddad",
            "email": "rana@example.org",
            "languages": "ar, ku",
            "hourly_rate": "60.00",
            "qualified": "on",
        },
    )
    assert response.status_code == 302
    interpreter = Interpreter.objects.get()
    assert interpreter.languages == ["ar", "ku"]
    start = timezone.localtime().replace(
        year=timezone.localdate().year, month=3, day=10, hour=9, minute=0, second=0, microsecond=0
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/desk/messaging/interpreters/book/",
            {
                "interpreter": interpreter.pk,
                "language": "ar",
                "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
                "duration_minutes": 75,
                "appointment_id": 42,
            },
        )
    assert response.status_code == 302
    booking = InterpreterBooking.objects.get()
    assert booking.cost == Decimal("90.00") and booking.appointment_id == 42  # 3 started half hours
    assert mail.outbox[0].to == ["rana@example.org"] and "10.03." in mail.outbox[0].body
    clash = client.post(
        "/desk/messaging/interpreters/book/",
        {
            "interpreter": interpreter.pk,
            "language": "ar",
            "starts_at": (start + dt.timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 30,
        },
    )
    assert clash.status_code == 409
    wrong_language = client.post(
        "/desk/messaging/interpreters/book/",
        {
            "interpreter": interpreter.pk,
            "language": "fr",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 30,
        },
    )
    assert wrong_language.status_code == 400
    services.book_interpreter(
        authority, interpreter=interpreter, starts_at=start + dt.timedelta(days=30), duration_minutes=60, language="ku"
    )
    costs = services.monthly_costs(authority, start.year)
    assert [(c, t) for _, c, t in costs] == [(1, Decimal("90.00")), (1, Decimal("60.00"))]
    assert "90" in client.get("/desk/messaging/interpreters/").content.decode()


def test_ten_megabyte_portal_message_is_refused_and_subject_injection_neutralised(client, authority, person):
    sign_in_client(client, authority, person)
    response = client.post(PORTAL, {"subject": "x", "body": "y" * (10 * 1024 * 1024)})
    assert response.status_code == 400
    assert Message.objects.count() == 0
    response = client.post(PORTAL, {"subject": "Hallo\r\nBcc: a@example.org", "body": "Text"})
    assert response.status_code == 400  # one-line field: a line break is refused (core.text)
    assert Message.objects.count() == 0
    assert client.post(PORTAL, {"subject": "Hallo", "body": "Zeile 1\r\nZeile 2"}).status_code == 302
    assert Message.objects.get().body == "Zeile 1\r\nZeile 2"


def test_portal_in_arabic_is_right_to_left(client, authority, person, settings):
    sign_in_client(client, authority, person)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    services.staff_reply(authority, person, subject="Termin", body="Am 15.03.2027", author=None)
    page = client.get(PORTAL).content.decode()
    assert 'dir="rtl"' in page and "رسالتك" in page and "messaging/messaging.css" in page
    assert '<bdi dir="ltr">' in page  # dates isolated inside right-to-left text
