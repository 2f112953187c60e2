"""Figures used while clients wait: who is present, the waiting-room cap, service time, the estimated
wait per ticket and category, and when to come back when the room is full."""

import datetime as dt
import math
import statistics

from django.utils import timezone

from . import queue
from .models import PRESENT_STATUSES, WALK_IN_CATEGORIES, Category, Priority, Status, Ticket
from .opening import default_service_minutes, opening_today


def today(now):
    return timezone.localtime(now).date()


def present_count(location, now):
    """Clients in the waiting room: waiting or called tickets, checked-in appointments included."""
    return Ticket.objects.filter(
        authority=location.authority, location=location, day=today(now), status__in=PRESENT_STATUSES
    ).count()


def cap_reached(location, now):
    return present_count(location, now) >= location.waiting_room_cap


def service_minutes(location, now):
    """Median service time of today's finished tickets, else the configured default."""
    rows = Ticket.objects.filter(
        authority=location.authority,
        location=location,
        day=today(now),
        served_at__isnull=False,
        finished_at__isnull=False,
    ).values_list("served_at", "finished_at")
    minutes = [(end - start).total_seconds() / 60 for start, end in rows]
    return max(1.0, statistics.median(minutes)) if minutes else float(default_service_minutes())


def active_counters(location, now):
    counters = (
        Ticket.objects.filter(
            authority=location.authority,
            location=location,
            called_at__gte=now - dt.timedelta(hours=1),
        )
        .exclude(counter="")
        .values("counter")
        .distinct()
        .count()
    )
    return max(1, counters)


def _waiting(location, now):
    return list(
        Ticket.objects.filter(authority=location.authority, location=location, day=today(now), status=Status.WAITING)
    )


def estimated_wait_minutes(ticket, now=None):
    now = now or timezone.now()
    if ticket.status != Status.WAITING:
        return 0
    waiting = queue.ordered(_waiting(ticket.location, now), now)
    ahead = next((i for i, t in enumerate(waiting) if t.pk == ticket.pk), len(waiting))
    per_ticket = service_minutes(ticket.location, now)
    return math.ceil(ahead * per_ticket / active_counters(ticket.location, now))


def waiting_by_category(location, now=None):
    """Per category: how many wait, and the estimated wait of a walk-in ticket taken now (the same for
    every walk-in category, as they share one line; None for check-ins, who go by appointment time)."""
    now = now or timezone.now()
    waiting = _waiting(location, now)
    newcomer = Ticket(location=location, priority=Priority.WALK_IN, queued_at=now, number=2**31 - 1)
    newcomer_key = queue.sort_key(newcomer, now)
    ahead = sum(1 for t in waiting if queue.sort_key(t, now) < newcomer_key)
    minutes = math.ceil(ahead * service_minutes(location, now) / active_counters(location, now))
    return [
        {
            "category": value,
            "label": label,
            "waiting": sum(1 for t in waiting if t.category == value),
            "estimated_minutes": minutes if value in WALK_IN_CATEGORIES else None,
        }
        for value, label in Category.choices
    ]


def waiting_positions(location, now=None):
    """{ticket id: (tickets ahead, estimated minutes)} for today's waiting tickets, in one pass."""
    now = now or timezone.now()
    waiting = queue.ordered(_waiting(location, now), now)
    per_ticket = service_minutes(location, now)
    counters = active_counters(location, now)
    return {t.pk: (i, math.ceil(i * per_ticket / counters)) for i, t in enumerate(waiting)}


def come_back_at(location, now):
    """When the waiting room is likely below its cap again (local time), or None if not today."""
    excess = present_count(location, now) - location.waiting_room_cap + 1
    minutes = math.ceil(max(1, excess) * service_minutes(location, now) / active_counters(location, now))
    local = timezone.localtime(now) + dt.timedelta(minutes=minutes)
    local = local + dt.timedelta(minutes=(5 - local.minute % 5) % 5)
    local = local.replace(second=0, microsecond=0)
    hours = opening_today(location, now)
    if hours is None or local.time() >= hours[1] or local.date() != timezone.localtime(now).date():
        return None
    return local
