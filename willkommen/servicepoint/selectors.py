"""Queries of the ServicePoint. The reports room reads visit rows only through ``visit_rows``."""

from django.utils import timezone

from willkommen.core.replica import heavy_read
from willkommen.tenancy.models import Location

from . import queue
from .models import Station, Status, Ticket


def station_by_kiosk_key(authority, key):
    return (
        Station.objects.filter(authority=authority, kiosk_key=key, location__active=True)
        .select_related("location")
        .first()
    )


def station_by_display_key(authority, key):
    return Station.objects.filter(authority=authority, display_key=key).select_related("location").first()


def locations(authority):
    return Location.objects.filter(authority=authority, active=True).prefetch_related("opening_hours")


def ticket_by_public_id(authority, public_id):
    return Ticket.objects.filter(authority=authority, public_id=public_id).select_related("location").first()


def ticket(authority, pk):
    return Ticket.objects.filter(authority=authority, pk=pk).select_related("location").first()


def with_persons(authority, tickets):
    """The tickets, each with ``person_id`` set from its booking (None for walk-ins), for the audit log."""
    from willkommen.appointments.selectors import person_ids_by_reference

    tickets = list(tickets)
    persons = person_ids_by_reference(authority, {t.booking_reference for t in tickets})
    for t in tickets:
        t.person_id = persons.get(t.booking_reference)
    return tickets


def tickets_today(location, now=None, status=""):
    """Every ticket of the location issued today (optionally of one status), by number."""
    now = now or timezone.now()
    tickets = Ticket.objects.filter(
        authority=location.authority, location=location, day=timezone.localtime(now).date()
    ).order_by("number")
    return tickets.filter(status=status) if status else tickets


def location_of(authority, pk):
    """An active location of the authority, or None (another authority's location is None too)."""
    return locations(authority).filter(pk=pk).first()


def waiting_queue(location, now=None):
    now = now or timezone.now()
    waiting = Ticket.objects.filter(
        authority=location.authority, location=location, day=timezone.localtime(now).date(), status=Status.WAITING
    )
    return queue.ordered(waiting, now)


def at_counter(location, counter, now=None):
    now = now or timezone.now()
    return list(
        Ticket.objects.filter(
            authority=location.authority,
            location=location,
            day=timezone.localtime(now).date(),
            counter=counter,
            status__in=[Status.CALLED, Status.SERVING],
        ).order_by("called_at")
    )


def recent_calls(location, now=None, limit=8):
    """Tickets called today and not yet finished, newest call first: what the call display shows."""
    now = now or timezone.now()
    return list(
        Ticket.objects.filter(
            authority=location.authority,
            location=location,
            day=timezone.localtime(now).date(),
            status__in=[Status.CALLED, Status.SERVING],
        ).order_by("-called_at", "-number")[:limit]
    )


@heavy_read  # figures and exports: read from the replica when there is one
def visit_rows(authority, start, end, location=None):
    """One dict per ticket issued between the dates ``start`` and ``end`` (inclusive)."""
    qs = Ticket.objects.filter(authority=authority, day__gte=start, day__lte=end).select_related("location")
    if location is not None:
        qs = qs.filter(location=location)
    rows = []
    for t in qs.order_by("day", "issued_at", "id"):
        rows.append(
            {
                "location": t.location.name,
                "day": t.day,
                "hour": timezone.localtime(t.issued_at).hour,
                "number": t.code,
                "category": t.category,
                "priority": t.priority,
                "status": t.status,
                "outcome": t.outcome,
                "language": t.language,
                "counter": t.counter,
                "staff_id": t.staff_id,
                "issued_at": t.issued_at,
                "called_at": t.called_at,
                "served_at": t.served_at,
                "finished_at": t.finished_at,
            }
        )
    return rows


@heavy_read  # figures: read from the replica when there is one
def visit_figures(authority, start, end, location=None):
    """The visit figures (total, per day, per hour with staffing) in SQL; see ``figures.visit_figures``."""
    from .figures import visit_figures as compute

    return compute(authority, start, end, location)
