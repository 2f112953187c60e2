"""Identification by passport number (optional): normalised, stored only as a keyed hash (HMAC with a key
derived from SECRET_KEY), and one active booking per passport and Anliegen, whatever name or e-mail."""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from willkommen.appointments import services
from willkommen.appointments.forms import DetailsForm
from willkommen.appointments.models import BlockedAttempt, Booking, Slot, Status
from willkommen.appointments.testing import applicant, make_offer, person
from willkommen.catalogue.testing import make_anliegen

NUMBER = "C01X00T47"


@pytest.fixture
def slots(offer):
    return list(
        Slot.objects.filter(
            authority=offer.authority, starts_at__gt=timezone.now() + timezone.timedelta(days=1)
        ).order_by("starts_at")[:4]
    )


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("c01x00t47", NUMBER),
        (" C01 X00 T47 ", NUMBER),
        ("c01\tx00\u00a0t47", NUMBER),
        ("Ｃ０１Ｘ００Ｔ４７", NUMBER),  # full-width, as some phone keyboards type it
        ("", ""),
        ("   ", ""),
        (None, ""),
    ],
)
def test_passport_number_is_normalised(raw, normalised):
    assert services.normalise_passport_number(raw) == normalised


@pytest.mark.parametrize("raw", ["C01-X00-T47", "C01X0<T47", "ÄB12345", "1234", "A" * 21, "<script>"])
def test_malformed_passport_numbers_are_refused(raw):
    with pytest.raises(ValueError):
        services.normalise_passport_number(raw)


def test_the_hash_is_keyed_per_secret_and_authority(authority, other_authority, settings):
    key = services.passport_keys(authority, NUMBER)[0]
    assert len(key) == 64 and NUMBER not in key and NUMBER.lower() not in key
    assert services.passport_keys(authority, NUMBER)[0] == key  # stable
    assert services.passport_keys(authority, "C01X00T48")[0] != key
    assert services.passport_keys(other_authority, NUMBER)[0] != key  # not comparable across authorities
    import hashlib

    assert key != hashlib.sha256(NUMBER.encode()).hexdigest()  # not a plain (guessable) hash
    settings.SECRET_KEY = "another secret key, long enough for the tests of this room"
    assert services.passport_keys(authority, NUMBER)[0] != key
    assert services.passport_keys(authority, "") == []


def test_only_the_hash_is_stored(authority, slots):
    booking, _token = services.hold(
        authority,
        slot_id=slots[0].pk,
        anliegen=slots[0].anliegen,
        applicant=applicant(1, passport_number=" c01 x00 t47"),
    )
    booking.refresh_from_db()
    assert booking.passport_key == services.passport_keys(authority, NUMBER)[0]
    row = Booking.objects.filter(pk=booking.pk).values().get()
    assert not [field for field, value in row.items() if NUMBER in str(value).upper().replace(" ", "")]


def test_same_passport_with_another_name_and_email_is_refused(authority, slots):
    services.hold(
        authority, slot_id=slots[0].pk, anliegen=slots[0].anliegen, applicant=applicant(1, passport_number=NUMBER)
    )
    other = person(2, family_name="Andersname", given_names="Zweite", email="andere@example.org")
    with pytest.raises(services.BookingError) as exc:
        services.hold(
            authority,
            slot_id=slots[1].pk,
            anliegen=slots[1].anliegen,
            applicant=services.Applicant(**other, passport_number="c01x00t47"),
        )
    assert exc.value.status == 409 and exc.value.code == "duplicate"
    assert Booking.objects.count() == 1
    assert BlockedAttempt.objects.filter(authority=authority, reason="duplicate").count() == 1
    slots[1].refresh_from_db()
    assert slots[1].public_taken == 0  # the place taken in the refused transaction went back


def test_passport_rule_is_per_anliegen_and_ends_with_the_booking(authority, offer, slots):
    first, token = services.hold(
        authority, slot_id=slots[0].pk, anliegen=offer.anliegen, applicant=applicant(1, passport_number=NUMBER)
    )
    # Another Anliegen: allowed.
    work = make_offer(authority, anliegen=make_anliegen(authority, "work"), location=offer.location)
    work_slot = Slot.objects.filter(anliegen=work.anliegen, starts_at__gt=timezone.now()).first()
    services.hold(
        authority, slot_id=work_slot.pk, anliegen=work.anliegen, applicant=applicant(3, passport_number=NUMBER)
    )
    # Without a passport number, other people are not affected.
    services.hold(authority, slot_id=slots[1].pk, anliegen=offer.anliegen, applicant=applicant(4))
    services.hold(authority, slot_id=slots[1].pk, anliegen=offer.anliegen, applicant=applicant(5))
    # Once cancelled, the same passport may book again.
    services.cancel(authority, first.reference, token)
    again, _token = services.hold(
        authority, slot_id=slots[2].pk, anliegen=offer.anliegen, applicant=applicant(6, passport_number=NUMBER)
    )
    assert again.status == Status.HELD


def test_same_person_with_another_passport_is_still_the_same_person(authority, slots):
    services.hold(
        authority, slot_id=slots[0].pk, anliegen=slots[0].anliegen, applicant=applicant(1, passport_number=NUMBER)
    )
    with pytest.raises(services.BookingError) as exc:
        services.hold(
            authority,
            slot_id=slots[1].pk,
            anliegen=slots[1].anliegen,
            applicant=applicant(1, passport_number="X1234567"),
        )
    assert exc.value.code == "duplicate"


def test_a_rotated_secret_key_still_finds_the_passport(authority, slots, settings):
    old_secret = settings.SECRET_KEY
    services.hold(
        authority, slot_id=slots[0].pk, anliegen=slots[0].anliegen, applicant=applicant(1, passport_number=NUMBER)
    )
    settings.SECRET_KEY = "the new secret key after a rotation, long enough for tests"
    settings.SECRET_KEY_FALLBACKS = [old_secret]
    with pytest.raises(services.BookingError) as exc:
        services.hold(
            authority, slot_id=slots[1].pk, anliegen=slots[1].anliegen, applicant=applicant(2, passport_number=NUMBER)
        )
    assert exc.value.code == "duplicate"
    slots[1].refresh_from_db()
    assert slots[1].public_taken == 0


def test_malformed_passport_number_is_a_400_in_services_form_portal_and_api(client, authority, slots):
    with pytest.raises(services.BookingError) as exc:
        services.hold(
            authority,
            slot_id=slots[0].pk,
            anliegen=slots[0].anliegen,
            applicant=applicant(1, passport_number="C01-X00"),
        )
    assert exc.value.status == 400 and exc.value.errors == {"passport_number": "invalid"}

    details = {**person(1), "date_of_birth": "1990-01-01", "language": "en", "passport_number": "C01-X00"}
    form = DetailsForm(details, authority=authority)
    assert not form.is_valid() and "passport_number" in form.errors
    assert DetailsForm({**details, "passport_number": "c01 x00 t47"}, authority=authority).is_valid()

    client.cookies["willkommen_language"] = "en"
    url = reverse("appointments:book", args=[slots[0].anliegen.slug, slots[0].pk])
    response = client.post(url, details)
    assert response.status_code == 400
    assert "5 to 20 letters" in response.content.decode()

    api = APIClient()
    body = {**details, "slot": slots[0].pk, "anliegen": slots[0].anliegen.slug}
    response = api.post("/api/v1/appointments/bookings/", body, format="json")
    assert response.status_code == 400 and "passport_number" in response.json()["errors"]
    response = api.post("/api/v1/appointments/bookings/", {**body, "passport_number": "X" * 41}, format="json")
    assert response.status_code == 400 and "passport_number" in response.json()["errors"]
    assert Booking.objects.count() == 0


def test_portal_and_api_take_the_passport_number(client, authority, slots):
    url = reverse("appointments:book", args=[slots[0].anliegen.slug, slots[0].pk])
    page = client.get(url).content.decode()
    assert 'name="passport_number"' in page and 'autocomplete="off"' in page
    details = {**person(1), "date_of_birth": "1990-01-01", "language": "de", "passport_number": "c01 x00 t47"}
    assert client.post(url, details).status_code == 302
    assert Booking.objects.get().passport_key == services.passport_keys(authority, NUMBER)[0]

    api = APIClient(REMOTE_ADDR="10.1.2.3")
    other = {
        **person(2, family_name="Andersname", email="andere@example.org"),
        "date_of_birth": "1991-02-03",
        "passport_number": NUMBER,
        "slot": slots[1].pk,
        "anliegen": slots[1].anliegen.slug,
    }
    response = api.post("/api/v1/appointments/bookings/", other, format="json")
    assert response.status_code == 409 and response.json()["code"] == "duplicate"
    assert Booking.objects.count() == 1
