"""Appointment figures as SQL aggregates (a fixed number of queries): places offered and taken per
channel, attendance, no-shows and cancellations, the urgent reserve, booking lead times per Anliegen
and the next free public place per Anliegen (the figure the press quotes)."""

import datetime as dt

from django.db.models import Count, Min, Q, Sum
from django.utils import timezone

from willkommen.core.replica import heavy_read
from willkommen.core.stats import spread

from .models import Booking, Channel, FreeDay, Slot, Status

TAKEN = (Status.CONFIRMED, Status.CHECKED_IN, Status.ATTENDED, Status.NO_SHOW)  # held and expired do not count
CAME = (Status.CHECKED_IN, Status.ATTENDED)


def _midnight(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def appointment_figures(authority, start, end, *, location=None, today=None):
    """Figures for appointments starting between ``start`` and ``end`` (inclusive), optionally at one location."""
    today = today or timezone.localdate()
    since, until = _midnight(start), _midnight(end + dt.timedelta(days=1))
    where = {"authority": authority, "starts_at__gte": since, "starts_at__lt": until}
    if location is not None:
        where["location"] = location
    bookings = Booking.objects.filter(**where)
    counts = {
        (r["channel"], r["status"]): r["n"]
        for r in bookings.order_by().values("channel", "status").annotate(n=Count("pk"))
    }
    channels = _channels(Slot.objects.filter(withdrawn=False, **where), counts)

    def total(statuses):
        return sum(n for (_c, s), n in counts.items() if s in statuses)

    came, no_show, cancelled = total(CAME), total((Status.NO_SHOW,)), total((Status.CANCELLED,))
    booked = total(TAKEN) + cancelled
    due = came + no_show
    lead = spread(
        bookings.filter(status__in=TAKEN + (Status.CANCELLED,)),
        "starts_at",
        "created_at",
        unit=86400,
        group="anliegen_id",
    )
    return {
        "channels": channels,
        "booked": booked,
        "came": came,
        "no_show": no_show,
        "cancelled": cancelled,
        "no_show_rate": (no_show / due) if due else None,
        "cancel_rate": (cancelled / booked) if booked else None,
        "urgent_used": next(c["utilisation"] for c in channels if c["channel"] == Channel.URGENT),
        "lead": lead,
        "next_free": _next_free(authority, location, today),
        "blocked": _blocked(authority, since, until),
        "rounds": _rounds(authority, since, until, location),
    }


def _blocked(authority, since, until):
    """Refused booking attempts in the period (the limits and the proof of work; no personal data)."""
    from .models import BlockedAttempt

    return BlockedAttempt.objects.filter(authority=authority, at__gte=since, at__lt=until).count()


def _rounds(authority, since, until, location):
    """Allocation rounds that closed in the period: rounds, requests, served (a booking), waiting list."""
    from .models import AllocationRequest

    qs = AllocationRequest.objects.filter(
        authority=authority, round__closes_at__gte=since, round__closes_at__lt=until, round__ran_at__isnull=False
    )
    if location is not None:
        qs = qs.filter(round__location=location)
    row = qs.aggregate(
        rounds=Count("round_id", distinct=True),
        requests=Count("id"),
        served=Count("id", filter=Q(booking__isnull=False)),
        waiting=Count("id", filter=Q(booking__isnull=True, waitlist_position__isnull=False)),
    )
    return row


def _channels(slots, counts):
    """Per channel: places offered, places taken (``counts``: {(channel, status): bookings}) and utilisation."""
    places = slots.aggregate(
        public=Sum("public_places", default=0),
        invitation=Sum("invitation_places", default=0),
        urgent=Sum("urgent_places", default=0),
    )
    channels = []
    for channel in Channel.values:
        taken = sum(n for (c, s), n in counts.items() if c == channel and s in TAKEN)
        offered = places[channel]
        channels.append(
            {
                "channel": channel,
                "places": offered,
                "taken": taken,
                "utilisation": (taken / offered) if offered else None,
            }
        )
    return channels


def _next_free(authority, location, today):
    """Per Anliegen: days from ``today`` to the next day with a free public place."""
    free = FreeDay.objects.filter(authority=authority, day__gte=today, places__gt=0)
    if location is not None:
        free = free.filter(location=location)
    return {
        r["anliegen_id"]: (r["first"] - today).days
        for r in free.order_by().values("anliegen_id").annotate(first=Min("day"))
    }


__all__ = ["appointment_figures"]


@heavy_read  # figures: read from the replica when there is one
def renewal_figures(authority, start, end, *, anliegen=None):
    """Renewal invitations sent in ``start``–``end`` (dates, inclusive) and what became of them: answered
    (applied or booked), reminded, listed for the team as "expires soon, not applied". One query. Renewals
    have no team until a case is opened, so a team filter does not narrow them."""
    from .models import Renewal, RenewalState

    qs = Renewal.objects.filter(authority=authority, invited_on__gte=start, invited_on__lte=end)
    if anliegen:
        qs = qs.filter(anliegen_id=anliegen)
    row = qs.aggregate(
        sent=Count("id"),
        answered=Count("id", filter=Q(state=RenewalState.ANSWERED)),
        reminded=Count("id", filter=Q(followed_up_on__isnull=False)),
        unanswered=Count("id", filter=Q(state=RenewalState.UNANSWERED)),
    )
    row["answered_share"] = row["answered"] / row["sent"] if row["sent"] else None
    return row
