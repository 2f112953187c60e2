"""Check-in at the ServicePoint against the appointments room's real ``check_in``."""

import datetime as dt

import pytest
from django.utils import timezone

from willkommen.servicepoint import services
from willkommen.servicepoint.models import Ticket

appointments = pytest.importorskip("willkommen.appointments.services")
if not hasattr(appointments, "check_in"):  # pragma: no cover - until the appointments room lands
    pytest.skip("appointments.services.check_in not available", allow_module_level=True)


def make_booking(location, reference, starts_at, status="confirmed"):
    from willkommen.appointments.models import Booking, Slot
    from willkommen.catalogue.models import Anliegen
    from willkommen.catalogue.testing import make_anliegen

    anliegen = Anliegen.objects.filter(authority=location.authority).first() or make_anliegen(location.authority)
    slot = Slot.objects.create(
        authority=location.authority,
        location=location,
        anliegen=anliegen,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=20),
        public_places=1,
        public_taken=1,
        reserve_release_at=starts_at,
    )
    return Booking.objects.create(
        authority=location.authority,
        reference=reference,
        token_hash="x" * 64,
        slot=slot,
        anliegen=anliegen,
        location=location,
        starts_at=starts_at,
        status=status,
        family_name="Kaya",
        date_of_birth=dt.date(1990, 5, 5),
        email="k@example.org",
        language="tr",
        identity_key=reference,
    )


@pytest.fixture
def booking(location):
    return make_booking(location, "BK7Q2M4X", timezone.now())


def test_check_in_by_qr_gives_an_appointment_ticket_even_at_the_cap(authority, location, booking, sp_staff):
    for _ in range(location.waiting_room_cap):
        services.issue_ticket(authority, location, "quick_info")
    ticket = services.check_in(authority, location, appointments.qr_payload(booking), staff=sp_staff)
    assert ticket.category == "check_in" and ticket.priority == "appointment"
    assert ticket.booking_reference == booking.reference and ticket.language == "tr"
    booking.refresh_from_db()
    assert booking.status == "checked_in" and booking.checked_in_by == sp_staff


def test_check_in_by_typed_reference(authority, location, booking):
    ticket = services.check_in(authority, location, booking.reference.lower())
    assert ticket.appointment_at == booking.starts_at


def _refused(authority, location, code):
    before = Ticket.objects.count()
    with pytest.raises(services.ServicePointError) as refused:
        services.check_in(authority, location, code)
    assert Ticket.objects.count() == before
    return refused.value.message


def test_forged_qr(authority, location, booking):
    forged = booking.reference + ":forgedsignature"
    assert _refused(authority, location, forged)
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_reused_qr(authority, location, booking):
    code = appointments.qr_payload(booking)
    services.check_in(authority, location, code)
    assert _refused(authority, location, code)
    assert Ticket.objects.count() == 1


def test_another_location_or_day_or_unconfirmed(authority, location):
    from willkommen.core.testing import make_location

    from .conftest import open_always

    elsewhere = open_always(make_location(authority, "Außenstelle"))
    other_place = make_booking(elsewhere, "BKELSEWH", timezone.now())
    tomorrow = make_booking(location, "BKTOMORR", timezone.now() + dt.timedelta(days=1))
    cancelled = make_booking(location, "BKCANCEL", timezone.now(), status="cancelled")
    for booking in (other_place, tomorrow, cancelled):
        assert _refused(authority, location, booking.reference)
        booking.refresh_from_db()
        assert booking.status in ("confirmed", "cancelled") and booking.checked_in_at is None


def test_booking_of_another_authority(authority, other_authority, location):
    from willkommen.core.testing import make_location

    from .conftest import open_always

    foreign = make_booking(open_always(make_location(other_authority, "Fremd")), "BKFOREIG", timezone.now())
    assert _refused(authority, location, foreign.reference)
