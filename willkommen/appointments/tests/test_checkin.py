import datetime as dt

import pytest

from willkommen.appointments import services
from willkommen.appointments.models import Status
from willkommen.appointments.testing import applicant
from willkommen.core.testing import make_location, make_staff


@pytest.fixture
def confirmed(authority, future_slot, caseworker):
    booking, _token = services.hold(
        authority,
        slot_id=future_slot.pk,
        anliegen=future_slot.anliegen,
        applicant=applicant(1),
        terms=services.Terms(confirmed=True, booked_by=caseworker),
    )
    return booking


def on_day(booking):
    return booking.starts_at - dt.timedelta(minutes=10)


def test_check_in_by_reference_and_qr(authority, confirmed, caseworker):
    booking = services.check_in(
        authority, confirmed.location, confirmed.reference.lower(), staff=caseworker, now=on_day(confirmed)
    )
    assert booking.status == Status.CHECKED_IN
    assert booking.checked_in_by == caseworker
    with pytest.raises(services.CheckInError, match="already"):
        services.check_in(
            authority, confirmed.location, services.qr_payload(confirmed), staff=caseworker, now=on_day(confirmed)
        )


def test_check_in_with_qr_payload(authority, confirmed, caseworker):
    booking = services.check_in(
        authority, confirmed.location, services.qr_payload(confirmed), staff=caseworker, now=on_day(confirmed)
    )
    assert booking.status == Status.CHECKED_IN


def test_check_in_refusals(authority, other_authority, confirmed, caseworker):
    now = on_day(confirmed)
    forged = confirmed.reference + ":forgedsignature"
    with pytest.raises(services.CheckInError):
        services.check_in(authority, confirmed.location, forged, staff=caseworker, now=now)
    with pytest.raises(services.CheckInError):
        services.check_in(authority, confirmed.location, "T-UNKNOWN1", staff=caseworker, now=now)
    with pytest.raises(services.CheckInError, match="another location"):
        services.check_in(
            authority, make_location(authority, "Außenstelle"), confirmed.reference, staff=caseworker, now=now
        )
    with pytest.raises(services.CheckInError, match="another day"):
        services.check_in(
            authority, confirmed.location, confirmed.reference, staff=caseworker, now=now - dt.timedelta(days=1)
        )
    # Another authority never sees the booking.
    stranger = make_staff(other_authority, "olga")
    with pytest.raises(services.CheckInError):
        services.check_in(other_authority, make_location(other_authority), confirmed.reference, staff=stranger, now=now)
    confirmed.refresh_from_db()
    assert confirmed.status == Status.CONFIRMED


def test_check_in_refuses_unconfirmed_hold(authority, future_slot, caseworker):
    booking, _ = services.hold(authority, slot_id=future_slot.pk, anliegen=future_slot.anliegen, applicant=applicant(2))
    with pytest.raises(services.CheckInError, match="not confirmed"):
        services.check_in(authority, booking.location, booking.reference, staff=caseworker, now=on_day(booking))
