"""Drop-offs and the tickets of a person's appointments in the Art. 15 copy; drop-offs erased with the
person; ticket retention, time advanced."""

import datetime as dt

import pytest
from django.utils import timezone

from willkommen.audit import retention
from willkommen.clients.testing import section
from willkommen.servicepoint import privacy, services
from willkommen.servicepoint.models import DayCounter, DropOff, Ticket

pytestmark = pytest.mark.django_db


def test_copy_holds_drop_offs_and_the_tickets_of_the_persons_bookings(authority, location, person, sp_staff):
    from willkommen.appointments.models import Booking
    from willkommen.appointments.testing import make_offer

    offer = make_offer(authority, location=location)
    slot = offer.location.slots.order_by("starts_at").first()
    booking = Booking.objects.create(
        authority=authority,
        reference="ABC123",
        token_hash="x",
        slot=slot,
        anliegen=offer.anliegen,
        location=location,
        starts_at=slot.starts_at,
        family_name="Yilmaz",
        date_of_birth=dt.date(1990, 1, 2),
        email="ay@example.org",
        person=person,
        identity_key="k",
    )
    mine = services.issue_ticket(authority, location, "booking")
    Ticket.objects.filter(pk=mine.pk).update(booking_reference=booking.reference)
    services.issue_ticket(authority, location, "quick_info")  # somebody's walk-in
    DropOff.objects.create(authority=authority, person=person, items=[{"title": "Pass"}], received_by=sp_staff)
    part, _members = section(authority, person, "servicepoint")
    assert [row["id"] for row in part["tables"]["tickets"]] == [mine.pk]
    assert [row["items"] for row in part["tables"]["drop_offs"]] == [[{"title": "Pass"}]]
    assert privacy.erase(authority, [person.pk]) == {"servicepoint.DropOff": 1}


def test_ticket_retention_keeps_two_years_of_figures(authority, location, settings):
    settings.SERVICEPOINT_TICKET_RETENTION_DAYS = 730
    ticket = services.issue_ticket(authority, location, "quick_info")
    [early] = retention.run_job("servicepoint", now=timezone.now() + dt.timedelta(days=729), authorities=[authority])
    assert early.deleted == {} and Ticket.objects.filter(pk=ticket.pk).exists()
    [run] = retention.run_job("servicepoint", now=timezone.now() + dt.timedelta(days=732), authorities=[authority])
    assert run.deleted == {"servicepoint.ticket": 1, "servicepoint.daycounter": 1}
    assert not Ticket.objects.exists() and not DayCounter.objects.exists()
