"""Pure slot arithmetic: which appointment times a location offers on which days.

No database here; :mod:`willkommen.appointments.generation` feeds it opening hours,
holidays and closures and writes the result.
"""

import datetime as dt
from dataclasses import dataclass

WINDOW_MINUTES = 15


@dataclass(frozen=True)
class Period:
    weekday: int
    opens: dt.time
    closes: dt.time


def slot_times(periods, day, minutes):
    """Start and end (naive local) of every appointment of ``minutes`` length on ``day``.

    Appointments start at the opening time and follow each other; one that would end after
    closing is not offered.
    """
    if minutes <= 0:
        raise ValueError("duration must be positive")
    result = []
    step = dt.timedelta(minutes=minutes)
    for period in sorted((p for p in periods if p.weekday == day.weekday()), key=lambda p: p.opens):
        start = dt.datetime.combine(day, period.opens)
        closes = dt.datetime.combine(day, period.closes)
        while start + step <= closes:
            result.append((start, start + step))
            start += step
    return result


def days(start, end, *, holidays=(), closures=()):
    """Days from ``start`` to ``end`` (inclusive) that are neither public holidays nor closed.

    ``closures`` are (first, last) date pairs, inclusive."""
    holidays = set(holidays)
    day = start
    while day <= end:
        if day not in holidays and not any(first <= day <= last for first, last in closures):
            yield day
        day += dt.timedelta(days=1)


def windows(starts_at, ends_at):
    """The 15-minute windows (their start) during which a client with this appointment is present."""
    minute = starts_at.minute - starts_at.minute % WINDOW_MINUTES
    current = starts_at.replace(minute=minute, second=0, microsecond=0)
    result = []
    while current < ends_at:
        result.append(current)
        current += dt.timedelta(minutes=WINDOW_MINUTES)
    return result


def channel_split(workstations, invitation_places, urgent_places):
    """Places per channel for one slot; reserved channels never exceed the workstations."""
    invitation = min(invitation_places, workstations)
    urgent = min(urgent_places, workstations - invitation)
    return {"public": workstations - invitation - urgent, "invitation": invitation, "urgent": urgent}
