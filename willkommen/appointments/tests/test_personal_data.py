"""Bookings in the Art. 15 copy and in erasure (found by person and by identity key); an upcoming booking
keeps its person; the booking retention job, time advanced."""

import datetime as dt

import pytest
from django.utils import timezone

from willkommen.appointments import privacy, services
from willkommen.appointments.models import AllocationRequest, AllocationRound, Booking, Invitation
from willkommen.appointments.testing import applicant
from willkommen.appointments.testing import person as details
from willkommen.audit import retention
from willkommen.clients.privacy import kept
from willkommen.clients.testing import make_client, section

pytestmark = pytest.mark.django_db


def client_of(authority, n=0):
    data = details(n)
    return make_client(
        authority,
        family_name=data["family_name"],
        given_names=data["given_names"],
        date_of_birth=data["date_of_birth"],
        email=data["email"],
    )


def book(authority, offer, slot, n=0, **extra):
    booking, _token = services.hold(
        authority, slot_id=slot.pk, anliegen=offer.anliegen, applicant=applicant(n), **extra
    )
    return booking


def test_copy_holds_bookings_by_person_and_by_identity_key(authority, offer, future_slot, caseworker):
    person = client_of(authority)
    online = book(authority, offer, future_slot)  # booked online, not linked to the person
    invitation, _token, _booking = services.invite(
        authority,
        anliegen=offer.anliegen,
        invitee=applicant(0),
        deadline=timezone.localdate() + dt.timedelta(days=10),
        staff=caseworker,
        person=person,
    )
    book(authority, offer, future_slot, n=1)  # somebody else
    part, _members = section(authority, person, "appointments")
    assert [row["reference"] for row in part["tables"]["bookings"]] == [online.reference]
    assert {"token_hash", "identity_key", "passport_key"}.isdisjoint(part["tables"]["bookings"][0])
    assert [row["id"] for row in part["tables"]["invitations"]] == [invitation.pk]


def test_an_upcoming_or_recent_booking_keeps_its_person(authority, offer, future_slot, settings):
    settings.APPOINTMENTS_RETENTION_DAYS = 90
    person = client_of(authority)
    book(authority, offer, future_slot)
    assert kept(authority, [person.pk], timezone.now()) == {person.pk}
    assert privacy.keeps(authority, [person.pk], future_slot.starts_at + dt.timedelta(days=91)) == set()


def test_erase_removes_bookings_and_allocation_requests(authority, offer, future_slot):
    person = client_of(authority)
    book(authority, offer, future_slot)
    other = book(authority, offer, future_slot, n=1)
    now = timezone.now()
    round_ = AllocationRound.objects.create(
        authority=authority, anliegen=offer.anliegen, location=offer.location, opens_at=now, closes_at=now
    )
    AllocationRequest.objects.create(
        authority=authority,
        round=round_,
        identity_key=services.identity_key(person.family_name, person.given_names, person.date_of_birth, person.email),
        earliest=now.date(),
        latest=now.date(),
        waiting_since=now,
        **{k: v for k, v in details(0).items()},
    )
    counts = privacy.erase(authority, [person.pk])
    assert counts == {"appointments.AllocationRequest": 1, "appointments.Booking": 1}
    assert list(Booking.objects.values_list("pk", flat=True)) == [other.pk]


def test_retention_deletes_bookings_after_the_period_and_keeps_the_rest(authority, offer, future_slot, settings):
    settings.APPOINTMENTS_RETENTION_DAYS = 90
    booking = book(authority, offer, future_slot)
    later_slot = offer.location.slots.filter(starts_at__gt=future_slot.starts_at + dt.timedelta(days=3)).first()
    later = book(authority, offer, later_slot, n=1)
    Invitation.objects.create(
        authority=authority,
        token_hash="x",
        anliegen=offer.anliegen,
        family_name="A",
        date_of_birth=dt.date(1990, 1, 1),
        email="a@example.org",
        deadline=future_slot.starts_at.date(),
    )
    now = future_slot.starts_at + dt.timedelta(days=91)
    [run] = retention.run_job("appointments", now=now, authorities=[authority])
    assert run.deleted == {"appointments.booking": 1, "appointments.invitation": 1}
    assert list(Booking.objects.values_list("pk", flat=True)) == [later.pk]
    assert not Booking.objects.filter(pk=booking.pk).exists()
    [again] = retention.run_job("appointments", now=now, authorities=[authority])
    assert again.deleted == {}
