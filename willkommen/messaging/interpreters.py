"""Interpreters: booking (no overlaps), the e-mail to the interpreter, costs for the budget."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from .models import InterpreterBooking


class BookingConflict(ValueError):
    pass


def booking_cost(interpreter, minutes):
    """Rate × started half hours."""
    half_hours = -(-int(minutes) // 30)
    return (interpreter.hourly_rate * Decimal(half_hours) / 2).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def book_interpreter(
    authority,
    *,
    interpreter,
    starts_at,
    duration_minutes,
    language,
    appointment_id=None,
    case=None,
    person=None,
    booked_by=None,
):
    """Book an interpreter (no overlapping bookings) and send them the date by e-mail after commit."""
    if interpreter.authority_id != authority.id:
        raise ValueError("other authority")
    ends_at = starts_at + dt.timedelta(minutes=duration_minutes)
    with transaction.atomic():
        type(interpreter).objects.select_for_update().filter(pk=interpreter.pk).first()
        overlapping = [
            b
            for b in InterpreterBooking.objects.filter(
                authority=authority,
                interpreter=interpreter,
                cancelled=False,
                starts_at__lt=ends_at,
                starts_at__gt=starts_at - dt.timedelta(hours=24),
            )
            if b.starts_at + dt.timedelta(minutes=b.duration_minutes) > starts_at
        ]
        if overlapping:
            raise BookingConflict(_("The interpreter is already booked at this time."))
        booking = InterpreterBooking.objects.create(
            authority=authority,
            interpreter=interpreter,
            language=language,
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            appointment_id=appointment_id,
            case=case,
            person=person,
            cost=booking_cost(interpreter, duration_minutes),
            booked_by=booked_by,
        )
        from .tasks import notify_interpreter as notify_job

        notify_job.enqueue(booking.pk)  # after commit
    return booking


def monthly_costs(authority, year):
    """[(month start, bookings, total EUR)] of the year's interpreter costs, for the budget."""
    rows = (
        InterpreterBooking.objects.filter(authority=authority, cancelled=False, starts_at__year=year)
        .annotate(month=TruncMonth("starts_at"))
        .values("month")
        .annotate(bookings=Count("id"), total=Sum("cost"))
        .order_by("month")
    )
    return [(row["month"], row["bookings"], row["total"]) for row in rows]
