"""At the ServicePoint: check a client in by reference or QR code, mark attended or no-show."""

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _

from willkommen.audit.services import record

from . import ledger
from .booking import count_blocked
from .errors import BookingError, CheckInError, not_found
from .identity import reference_from_qr
from .models import Booking, Status


def _reference(authority, code):
    code = str(code or "").strip()
    if ":" not in code:
        return code.upper()
    try:
        return reference_from_qr(code)
    except signing.BadSignature:
        count_blocked(authority, "forged_qr")
        raise CheckInError(_("This QR code is not valid.")) from None


def check_in(authority, location, code, *, staff, now=None):
    """Check a client in at the ServicePoint by booking reference or QR payload.

    Raises :class:`CheckInError` for a forged, unknown or already used code, a booking of another
    location or another day, or one that is not confirmed."""
    now = now or timezone.now()
    reference = _reference(authority, code)
    if not reference:
        raise CheckInError(_("No booking with this reference."))

    def run():
        with ledger.write_transaction():
            booking = (
                Booking.objects.select_for_update()
                .select_related("anliegen", "location")
                .filter(authority=authority, reference=reference)
                .first()
            )
            _check(booking, location, now)
            booking.status = Status.CHECKED_IN
            booking.checked_in_at = now
            booking.checked_in_by = staff
            booking.save(update_fields=["status", "checked_in_at", "checked_in_by"])
            return booking

    return ledger.serialised(run)


def _check(booking, location, now):
    if booking is None:
        raise CheckInError(_("No booking with this reference."))
    if booking.status == Status.CHECKED_IN:
        raise CheckInError(_("This booking has already been checked in."))
    if booking.status != Status.CONFIRMED:
        raise CheckInError(_("This booking is not confirmed (it was cancelled, expired or not confirmed)."))
    if booking.location_id != location.pk:
        raise CheckInError(_("This appointment is at another location."))
    if timezone.localdate(booking.starts_at) != timezone.localdate(now):
        raise CheckInError(_("This appointment is on another day."))


def mark(authority, booking, status, *, staff):
    """Mark attended or no-show (staff)."""
    if status not in (Status.ATTENDED, Status.NO_SHOW):
        raise BookingError(_("Unknown status."))
    if booking.authority_id != authority.pk:
        raise not_found()
    if booking.status not in (Status.CONFIRMED, Status.CHECKED_IN, Status.ATTENDED, Status.NO_SHOW):
        raise BookingError(_("Only confirmed appointments can be marked."), code="state", status=409)
    Booking.objects.filter(authority=authority, pk=booking.pk).update(status=status)
    booking.status = status
    record(authority=authority, action="update", person_id=booking.person_id, obj=booking, actor=staff, detail=status)
    return booking
