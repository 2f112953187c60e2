"""Confirming a phone number with a code (portal and desk): the code goes out through the real local gateway
double; wrong, expired and used-up codes; the rate limit; only confirmed numbers match."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from willkommen.messaging import phone_numbers
from willkommen.messaging.models import ConfirmedNumber, Message

from .conftest import make_person
from .test_views import sign_in_client

pytestmark = pytest.mark.django_db
PAGE = "/a/alpha/messages/number/"
CLIENT = "+4915712345678"


def last_code(double):
    return re.search(r"\b(\d{6})\b", double.delivered[-1].get("Body") or double.delivered[-1].get("message")).group(1)


def add(client, number="0157 1234 5678", channel="sms"):
    return client.post(PAGE, {"action": "add", "add-number": number, "add-channel": channel})


def confirm(client, record, code):
    return client.post(PAGE, {"action": "confirm", "code-record": record.pk, "code-code": code})


def test_client_adds_a_number_gets_a_code_by_sms_and_confirms_it(
    client, authority, gateway, django_capture_on_commit_callbacks
):
    person = make_person(authority, preferred_language="ar")
    sign_in_client(client, authority, person)
    assert client.get(PAGE).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert add(client).status_code == 302
    record = ConfirmedNumber.objects.get(person=person)
    assert record.number == CLIENT and record.confirmed_at is None and record.code_hash
    sent = gateway.delivered[-1]
    assert sent["kind"] == "sms" and sent["To"] == CLIENT and "رمز التأكيد" in sent["Body"]
    assert phone_numbers.person_for_number(authority, CLIENT) == (None, ["unconfirmed_number"])

    assert confirm(client, record, last_code(gateway)).status_code == 302
    record.refresh_from_db()
    assert record.confirmed_at is not None and record.code_hash == ""
    assert phone_numbers.person_for_number(authority, "0049 157 12345678") == (person, [])
    assert CLIENT in client.get(PAGE).content.decode()


def test_wrong_code_counts_and_the_code_is_void_after_the_last_attempt(
    client, authority, gateway, settings, django_capture_on_commit_callbacks
):
    settings.MESSAGING_NUMBER_CODE_ATTEMPTS = 3
    person = make_person(authority, preferred_language="en")
    sign_in_client(client, authority, person)
    with django_capture_on_commit_callbacks(execute=True):
        add(client, channel="messenger")
    assert gateway.delivered[-1]["kind"] == "signal"
    code = last_code(gateway)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    record = ConfirmedNumber.objects.get(person=person)

    response = confirm(client, record, wrong)
    assert response.status_code == 400 and "Verbleibende Versuche: 2" in response.content.decode()
    confirm(client, record, wrong)
    response = confirm(client, record, wrong)
    assert response.status_code == 400 and "nicht mehr verwendet" in response.content.decode()
    assert confirm(client, record, code).status_code == 400  # the right code comes too late
    record.refresh_from_db()
    assert record.confirmed_at is None and record.failed_attempts == 3


def test_expired_code_is_refused_and_a_new_code_works(client, authority, gateway, django_capture_on_commit_callbacks):
    person = make_person(authority, preferred_language="de")
    sign_in_client(client, authority, person)
    with django_capture_on_commit_callbacks(execute=True):
        add(client)
    code = last_code(gateway)
    record = ConfirmedNumber.objects.get(person=person)
    ConfirmedNumber.objects.filter(pk=record.pk).update(code_expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = confirm(client, record, code)
    assert response.status_code == 400 and "abgelaufen" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        add(client)
    assert confirm(client, record, last_code(gateway)).status_code == 302
    assert ConfirmedNumber.objects.get(pk=record.pk).confirmed_at is not None


def test_codes_are_rate_limited_per_person_and_per_number(
    client, authority, gateway, settings, django_capture_on_commit_callbacks
):
    settings.MESSAGING_NUMBER_CODES_PER_HOUR = 2
    person = make_person(authority, preferred_language="en")
    sign_in_client(client, authority, person)
    with django_capture_on_commit_callbacks(execute=True):
        assert add(client).status_code == 302
        assert add(client).status_code == 302
        response = add(client)
    assert response.status_code == 429 and "zu viele Codes" in response.content.decode()
    assert len(gateway.delivered) == 2
    # another person cannot flood the same number either
    other = make_person(authority, given_names="Iryna")
    with pytest.raises(phone_numbers.NumberError):
        phone_numbers.request_code(authority, other, CLIENT)
    assert Message.objects.filter(template_key="number_code").count() == 2


def test_bad_input_is_a_400_and_nothing_is_stored(client, authority, gateway):
    person = make_person(authority)
    sign_in_client(client, authority, person)
    assert add(client, number="call me").status_code == 400
    assert add(client, channel="fax").status_code == 400
    assert client.post(PAGE, {"action": "nonsense"}).status_code == 400
    other = make_person(authority, given_names="Iryna")
    foreign = ConfirmedNumber.objects.create(authority=authority, person=other, number=CLIENT)
    assert confirm(client, foreign, "123456").status_code == 400  # another person's number
    assert client.post(PAGE, {"action": "remove", "record": foreign.pk}).status_code == 400
    assert ConfirmedNumber.objects.count() == 1 and not Message.objects.exists()


def test_portal_page_needs_a_signed_in_client(client, authority):
    response = client.get(PAGE)
    assert response.status_code == 302 and "next=" in response["Location"]


def test_desk_adds_a_number_the_client_confirms_it(
    client, staff_client, authority, person, gateway, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"/desk/messaging/person/{person.pk}/number/", {"number-number": CLIENT, "number-channel": "sms"}
        )
    assert response.status_code == 302
    record = ConfirmedNumber.objects.get(person=person)
    assert record.added_by == "desk" and record.confirmed_at is None
    bad = staff_client.post(
        f"/desk/messaging/person/{person.pk}/number/", {"number-number": "x", "number-channel": "sms"}
    )
    assert bad.status_code == 400 and ConfirmedNumber.objects.count() == 1
    assert CLIENT in staff_client.get(f"/desk/messaging/person/{person.pk}/").content.decode()

    sign_in_client(client, authority, person)
    assert confirm(client, record, last_code(gateway)).status_code == 302
    assert phone_numbers.person_for_number(authority, CLIENT) == (person, [])


def test_number_is_in_the_art15_copy_and_erased_with_the_person(authority, person):
    from willkommen.messaging import privacy

    ConfirmedNumber.objects.create(authority=authority, person=person, number=CLIENT, code_hash="secret-hash")
    section = privacy.export(authority, person)
    (row,) = section.tables["phone_numbers"]
    assert row["number"] == CLIENT and "code_hash" not in row
    privacy.erase(authority, [person.pk])
    assert not ConfirmedNumber.objects.exists()
