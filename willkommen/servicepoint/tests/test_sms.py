"""SMS when the turn is near (and when called): once, at the right moment, in the ticket's language,
through the messaging room's SMS channel and its local gateway double."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from willkommen.messaging import placeholders, template_texts
from willkommen.messaging.models import Message
from willkommen.servicepoint import services, sms
from willkommen.servicepoint.models import Status, Ticket

NUMBER = "+4915123456789"


@pytest.fixture
def location(location):
    location.waiting_room_cap = 100
    location.save(update_fields=["waiting_room_cap"])
    return location


def texts(gateway):
    return [d["Body"] for d in gateway.delivered if d["kind"] == "sms"]


def _shipped(key, language, values):
    """The shipped text of the template store (the authority changed nothing)."""
    return placeholders.text(template_texts.shipped(key, language)[1], values, language)


def near_text(code, language):
    return _shipped("ticket_near", language, {"number": code})


def called_text(code, counter, language):
    return _shipped("ticket_called", language, {"number": code, "counter": counter})


def call(authority, location, capture, counter="1", now=None):
    with capture(execute=True):
        return services.call_next(authority, location, counter=counter, now=now)


# --- the number ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("+49 151 2345 6789", NUMBER),
        ("0151/23456789", NUMBER),
        ("0049 (0)151-234 567 89", NUMBER),
        ("+49 (0) 151 23456789", NUMBER),
        ("٠١٥١٢٣٤٥٦٧٨٩", NUMBER),  # Arabic-Indic digits from an Arabic keyboard
        ("۰۱۵۱۲۳۴۵۶۷۸۹", NUMBER),  # Persian digits
        ("+90 532 123 45 67", "+905321234567"),
        ("+380 67 123 4567", "+380671234567"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_mobile_numbers_are_normalised_to_e164(raw, expected):
    assert sms.normalise_phone(raw) == expected


@pytest.mark.parametrize(
    "raw", ["12345", "+49 30 1234567", "030 1234567", "+0151234567", "call me", "+49151", "+1234567890123456", "+"]
)
def test_numbers_that_cannot_get_an_sms_are_refused(raw):
    with pytest.raises(ValidationError):
        sms.normalise_phone(raw)


def test_the_refusal_is_translated():
    with translation.override("tr"):
        turkish = str(sms.PHONE_ERROR)
    with translation.override("en"):
        english = str(sms.PHONE_ERROR)
    assert turkish != english and "+49 151 23456789" in turkish


# --- the moment, the language, once ------------------------------------------------------------------


def test_near_sms_goes_out_once_when_the_ticket_comes_within_reach(
    authority, location, sms_gateway, django_capture_on_commit_callbacks
):
    # SERVICEPOINT_SMS_AHEAD = 2 (fixture): the SMS goes when two or fewer are ahead.
    for _i in range(5):
        services.issue_ticket(authority, location, "quick_info")
    mine = services.issue_ticket(authority, location, "forms", language="uk", phone="0151 23456789")
    assert mine.phone == NUMBER and mine.code == "C006"

    call(authority, location, django_capture_on_commit_callbacks)  # 4 ahead
    call(authority, location, django_capture_on_commit_callbacks)  # 3 ahead
    assert texts(sms_gateway) == []
    call(authority, location, django_capture_on_commit_callbacks)  # 2 ahead: now
    assert texts(sms_gateway) == [f"{authority.name}\n\n{near_text('C006', 'uk')}"]
    assert "Ваш номер" in texts(sms_gateway)[0]  # Ukrainian, not the English source
    assert sms_gateway.delivered[0]["To"] == NUMBER
    call(authority, location, django_capture_on_commit_callbacks)  # 1 ahead: nothing new
    call(authority, location, django_capture_on_commit_callbacks)  # 0 ahead: nothing new
    assert len(texts(sms_gateway)) == 1

    called = call(authority, location, django_capture_on_commit_callbacks, counter="7")
    assert called.pk == mine.pk
    assert texts(sms_gateway)[1] == f"{authority.name}\n\n{called_text('C006', '7', 'uk')}"
    assert len(texts(sms_gateway)) == 2
    # Nothing personal in the SMS or in the messaging room: no person, no number stored there.
    stored = Message.objects.filter(idempotency_key__startswith=f"servicepoint-{mine.pk}-")
    assert stored.count() == 2
    assert all(m.person_id is None and m.address == "" and m.status == "sent" for m in stored)
    assert all(m.language == "uk" for m in stored)


def test_without_a_number_no_sms(authority, location, sms_gateway, django_capture_on_commit_callbacks):
    for _i in range(4):
        services.issue_ticket(authority, location, "quick_info")
    for _i in range(4):
        call(authority, location, django_capture_on_commit_callbacks)
    assert sms_gateway.requests == [] and not Message.objects.exists()


def test_already_near_when_the_number_is_given_means_no_near_sms_but_the_call_sms(
    authority, location, sms_gateway, django_capture_on_commit_callbacks
):
    services.issue_ticket(authority, location, "quick_info")
    mine = services.issue_ticket(authority, location, "quick_info", language="fr", phone=NUMBER)
    assert mine.sms_near_at is not None  # one ahead: the client is still in the waiting room
    call(authority, location, django_capture_on_commit_callbacks)
    assert texts(sms_gateway) == []
    call(authority, location, django_capture_on_commit_callbacks, counter="2")
    assert texts(sms_gateway) == [f"{authority.name}\n\n{called_text('A002', '2', 'fr')}"]


def test_a_no_show_called_again_gets_a_second_call_sms(
    authority, location, sms_gateway, django_capture_on_commit_callbacks, settings
):
    settings.SERVICEPOINT_NO_SHOW_REQUEUES = 1
    ticket = services.issue_ticket(authority, location, "quick_info", phone=NUMBER)
    call(authority, location, django_capture_on_commit_callbacks, counter="1")
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_no_show(ticket)
    call(authority, location, django_capture_on_commit_callbacks, counter="3")
    assert len(texts(sms_gateway)) == 2 and "3" in texts(sms_gateway)[1]


def test_the_periodic_job_catches_an_appointment_whose_time_has_come(
    authority, location, sms_gateway, django_capture_on_commit_callbacks
):
    now = timezone.localtime().replace(hour=10, minute=0)
    for _i in range(4):
        services.issue_ticket(authority, location, "quick_info", now=now)
    early = Ticket.objects.create(
        authority=authority,
        location=location,
        day=services.today(now),
        number=99,
        category="check_in",
        priority="appointment",
        language="ar",
        appointment_at=now + dt.timedelta(minutes=30),
        issued_at=now,
        queued_at=now,
        phone=NUMBER,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert sms.notify_near_everywhere(now) == 0  # came early: behind everybody
    with django_capture_on_commit_callbacks(execute=True):
        assert sms.notify_near_everywhere(now + dt.timedelta(minutes=26)) == 1  # due: first in line
    assert texts(sms_gateway) == [f"{authority.name}\n\n{near_text(early.code, 'ar')}"]


def test_two_checks_at_once_send_one_sms(
    authority, location, sms_gateway, monkeypatch, django_capture_on_commit_callbacks
):
    """Deterministic interleaving (runs on SQLite too): a second check runs completely while the
    first has read the queue and not yet claimed the ticket."""
    from willkommen.servicepoint import queue

    mine = services.issue_ticket(authority, location, "quick_info")
    Ticket.objects.filter(pk=mine.pk).update(phone=NUMBER)  # given before "near" existed
    original = queue.ordered
    state = {"inner": None}

    def ordered_with_interleave(tickets, now, *args, **kwargs):
        result = original(tickets, now, *args, **kwargs)
        if state["inner"] is None:
            state["inner"] = "running"
            state["inner"] = sms.notify_near(location)
        return result

    monkeypatch.setattr(queue, "ordered", ordered_with_interleave)
    with django_capture_on_commit_callbacks(execute=True):
        outer = sms.notify_near(location)
    assert (state["inner"], outer) == (1, 0)
    assert len(texts(sms_gateway)) == 1
    assert Message.objects.filter(idempotency_key=f"servicepoint-{mine.pk}-near").count() == 1


# --- data minimisation -----------------------------------------------------------------------------------


def test_finishing_deletes_the_number(authority, location, sms_gateway, django_capture_on_commit_callbacks):
    ticket = services.issue_ticket(authority, location, "quick_info", phone=NUMBER)
    call(authority, location, django_capture_on_commit_callbacks)
    services.finish(ticket, "solved")
    assert Ticket.objects.get(pk=ticket.pk).phone == ""


def test_a_final_no_show_deletes_the_number(authority, location, sms_gateway, settings):
    settings.SERVICEPOINT_NO_SHOW_REQUEUES = 0
    ticket = services.issue_ticket(authority, location, "quick_info", phone=NUMBER)
    services.call_next(authority, location, counter="1")
    services.mark_no_show(ticket)
    assert Ticket.objects.get(pk=ticket.pk).phone == ""


def test_the_nightly_job_deletes_numbers_of_earlier_days(authority, location, sms_gateway):
    yesterday = timezone.now() - dt.timedelta(days=1)
    old = services.issue_ticket(authority, location, "quick_info", phone=NUMBER, now=yesterday)
    Ticket.objects.filter(pk=old.pk).update(status=Status.SERVING)  # left over, not closed by the desk
    today = services.issue_ticket(authority, location, "quick_info", phone=NUMBER)
    services.cancel_stale()
    assert Ticket.objects.get(pk=old.pk).phone == ""
    assert Ticket.objects.get(pk=today.pk).phone == NUMBER


def test_without_an_sms_gateway_no_number_is_kept(authority, location, settings):
    settings.MESSAGING_SMS_URL = ""
    ticket = services.issue_ticket(authority, location, "quick_info", phone=NUMBER)
    assert Ticket.objects.get(pk=ticket.pk).phone == ""
    with pytest.raises(services.ServicePointError):  # a bad number is still refused clearly
        services.issue_ticket(authority, location, "quick_info", phone="12")


def test_an_sms_not_yet_delivered_when_the_number_is_deleted_is_not_sent(
    authority, location, sms_gateway, django_capture_on_commit_callbacks
):
    from willkommen.messaging import services as messaging

    ticket = services.issue_ticket(authority, location, "quick_info", phone=NUMBER)
    sms_gateway.fail_next = 1  # gateway down for the first attempt
    call(authority, location, django_capture_on_commit_callbacks)
    message = Message.objects.get(idempotency_key=sms.called_key(ticket))
    assert message.status == "retrying"
    services.finish(ticket, "solved")
    messaging.retry_due(now=timezone.now() + dt.timedelta(hours=1))
    message.refresh_from_db()
    assert message.status == "failed" and "deleted" in message.last_error
    assert texts(sms_gateway) == []


# --- pages --------------------------------------------------------------------------------------------------


def ticket_url(ticket, lang="de"):
    return reverse("servicepoint:ticket", args=[ticket.public_id]) + f"?lang={lang}"


def sms_url(ticket):
    return reverse("servicepoint:ticket_sms", args=[ticket.public_id])


def test_ticket_page_offers_the_sms_only_with_a_gateway(client, authority, location, settings):
    ticket = services.issue_ticket(authority, location, "forms", language="tr")
    settings.MESSAGING_SMS_URL = ""
    assert 'name="phone"' not in client.get(ticket_url(ticket, "tr")).content.decode()
    assert client.post(sms_url(ticket), {"phone": NUMBER, "lang": "tr"}).status_code == 404
    settings.MESSAGING_SMS_URL = "http://127.0.0.1:9"
    html = client.get(ticket_url(ticket, "tr")).content.decode()
    assert 'name="phone"' in html and 'type="tel"' in html
    assert 'style="' not in html and "<script>" not in html


def test_kiosk_client_leaves_a_number_on_the_ticket_page(client, authority, location, sms_gateway):
    for _i in range(4):
        services.issue_ticket(authority, location, "quick_info")
    ticket = services.issue_ticket(authority, location, "forms", language="tr")
    bad = client.post(sms_url(ticket), {"phone": "030 1234567", "lang": "tr"})
    assert bad.status_code == 400
    with translation.override("tr"):
        assert str(sms.PHONE_ERROR) in bad.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).phone == ""

    response = client.post(sms_url(ticket), {"phone": "0151 23456789", "lang": "tr"})
    assert response.status_code == 302 and "lang=tr" in response["Location"]
    ticket.refresh_from_db()
    assert ticket.phone == NUMBER and ticket.sms_near_at is None
    page = client.get(response["Location"]).content.decode()
    assert "+49 … 89" in page and "23456789" not in page

    client.post(sms_url(ticket), {"action": "delete", "lang": "tr"})
    assert Ticket.objects.get(pk=ticket.pk).phone == ""


def test_no_number_after_the_call(client, authority, location, sms_gateway):
    ticket = services.issue_ticket(authority, location, "forms", language="en")
    services.call_next(authority, location, counter="1")
    response = client.post(sms_url(ticket), {"phone": NUMBER, "lang": "en"})
    assert response.status_code == 409
    assert "Your number has already been called." in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).phone == ""


def test_the_sms_form_is_rate_limited(client, authority, location, sms_gateway, monkeypatch):
    import types

    from willkommen.core import ratelimit

    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: 6_000_030.0))  # one window
    ticket = services.issue_ticket(authority, location, "forms")
    statuses = [client.post(sms_url(ticket), {"phone": "x", "lang": "de"}).status_code for _i in range(21)]
    assert statuses[:20] == [400] * 20 and statuses[20] == 429


def test_desk_issues_a_ticket_with_a_number(sp_client, location, sms_gateway):
    page = sp_client.get(reverse("servicepoint:desk")).content.decode()
    assert 'id="id_phone"' in page and 'id="checkin-phone"' in page and 'id="checkin-code"' in page
    response = sp_client.post(
        reverse("servicepoint:desk_issue"),
        {"location": location.pk, "category": "booking", "language": "fa", "phone": "+49 170 1234567"},
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.phone == "+491701234567" and ticket.language == "fa"


def test_desk_refuses_a_bad_number_and_issues_nothing(sp_client, location, sms_gateway):
    response = sp_client.post(
        reverse("servicepoint:desk_issue"),
        {"location": location.pk, "category": "booking", "language": "de", "phone": "12"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert not Ticket.objects.exists()
    with translation.override("en"):
        assert escape(str(sms.PHONE_ERROR)) in response.content.decode()


def test_desk_check_in_with_a_number(sp_client, location, sms_gateway, fake_appointments):
    fake_appointments.add("ABC123", location, timezone.now())
    response = sp_client.post(
        reverse("servicepoint:desk_check_in"), {"location": location.pk, "code": "ABC123", "phone": NUMBER}
    )
    assert response.status_code == 302
    assert Ticket.objects.get().phone == NUMBER


# --- PostgreSQL: two counters call at the same moment -------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_counters_calling_at_once_send_each_near_sms_once_on_postgres(authority, settings):
    from willkommen.core.testing import make_location
    from willkommen.messaging.gateway_doubles import GatewayDouble

    from .conftest import open_always

    assert connection.vendor == "postgresql"
    double = GatewayDouble().start()
    settings.MESSAGING_SMS_URL = double.url
    settings.MESSAGING_SMS_TOKEN = "secret"
    settings.SERVICEPOINT_SMS_AHEAD = 3
    try:
        location = open_always(make_location(authority, "Rennen", cap=100))
        tickets = []
        for i in range(12):
            phone = f"+49151000000{i:02d}" if i >= 4 else ""
            tickets.append(services.issue_ticket(authority, location, "quick_info", phone=phone))
        errors = []
        barrier = threading.Barrier(4)

        def counter(name):
            try:
                for _round in range(3):
                    barrier.wait(timeout=20)
                    services.call_next(authority, location, counter=name)
            except Exception as error:  # noqa: BLE001 - reported by the test
                errors.append(repr(error))
            finally:
                connections.close_all()

        threads = [threading.Thread(target=counter, args=(str(n),)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=90)
        assert not errors, errors
        # Every ticket was called (12 calls): each with a number got exactly one "near" and one "called" SMS.
        near = sorted((d["To"], d["Body"]) for d in double.delivered if d["Body"].endswith(near_text("", "de")[-20:]))
        expected = sorted((t.phone, f"{authority.name}\n\n{near_text(t.code, 'de')}") for t in tickets if t.phone)
        assert near == expected
        for ticket in tickets[4:]:
            assert Message.objects.filter(idempotency_key=sms.near_key(ticket)).count() == 1
            assert Message.objects.filter(idempotency_key__startswith=f"servicepoint-{ticket.pk}-called").count() == 1
        assert len(double.delivered) == 2 * 8
    finally:
        double.stop()
