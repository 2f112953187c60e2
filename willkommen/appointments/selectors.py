"""Queries on appointments; other rooms read through these."""

from django.db.models import Q
from django.utils import timezone

from willkommen.core.replica import heavy_read

from . import availability, capacity
from .ledger import channels_for
from .models import ACTIVE_STATUSES, AllocationRound, Booking, Mode, Offer, Status, WaitingWindow
from .summary import day_bounds

__all__ = ["day_bounds"]  # used by the desk's calendar


def offers(authority, *, anliegen=None, mode=None):
    qs = Offer.objects.filter(authority=authority, active=True, location__active=True).select_related(
        "anliegen", "location"
    )
    if anliegen is not None:
        qs = qs.filter(anliegen=anliegen)
    if mode is not None:
        qs = qs.filter(mode=mode)
    return qs


def bookable_anliegen(authority):
    """Anliegen with at least one active first-come offer or allocation round (for the portal)."""
    from willkommen.catalogue.models import Anliegen

    ids = offers(authority).values_list("anliegen_id", flat=True)
    return Anliegen.objects.filter(authority=authority, active=True, pk__in=ids).order_by("order", "slug")


@heavy_read  # the public free-slot search: read from the replica when there is one
def free_slots(
    authority,
    anliegen,
    *,
    location=None,
    date_from=None,
    date_to=None,
    channel="public",
    now=None,
    mode=Mode.FIRST_COME,
):
    """Slots with at least one free place for ``channel`` (public includes the released urgent reserve)
    and room in the waiting room, in time order. Each carries ``free_places`` (see :func:`places_for`)
    and ``location_name``; the location itself is not loaded."""
    now = now or timezone.now()
    slots = availability.free_slots_query(
        authority,
        anliegen,
        location=location,
        date_from=date_from,
        date_to=date_to,
        channel=channel,
        now=now,
        mode=mode,
    )
    result = []
    # The waiting-room check is computed once per row in SQL (``room_left``) and applied here: filtering
    # on it in SQL would run the window subquery a second time for every slot.
    for slot in slots.only(*SLOT_LIST_FIELDS).order_by("starts_at", "location_id"):
        if slot.room_left > 0:
            slot.free_places = min(slot.channel_places, slot.room_left)
            result.append(slot)
    return result


# What a list of free slots needs (the rest of the row is not loaded).
SLOT_LIST_FIELDS = (
    "id",
    "authority_id",
    "location_id",
    "anliegen_id",
    "starts_at",
    "ends_at",
    "public_places",
    "invitation_places",
    "urgent_places",
    "public_taken",
    "invitation_taken",
    "urgent_taken",
    "reserve_release_at",
)


@heavy_read
def free_days(authority, anliegen, *, location=None, date_from=None, date_to=None, now=None, mode=Mode.FIRST_COME):
    """Per location and local day with a free public place (the urgent reserve once released, the waiting
    room decided): ``{"location": id, "day": date, "slots": n, "places": n}`` ordered by day and location.
    Read from the maintained summary (see :mod:`.availability`), a fixed number of statements."""
    days, _locations = availability.public_days(
        authority, anliegen, location=location, date_from=date_from, date_to=date_to, now=now, mode=mode, entries=False
    )
    return [{"location": d.location, "day": d.day, "slots": d.slots, "places": d.places} for d in days]


def days_with_places(authority, anliegen, location, date_from, date_to, now=None):
    """Local dates with at least one slot with a free public place and room in the waiting room."""
    days = free_days(authority, anliegen, location=location, date_from=date_from, date_to=date_to, now=now)
    return [row["day"] for row in days]


def waiting_room_free(slot):
    starts = capacity.windows(slot.starts_at, slot.ends_at)
    taken = WaitingWindow.objects.filter(
        authority_id=slot.authority_id, location_id=slot.location_id, starts_at__in=starts
    ).values_list("taken", flat=True)
    return max(0, slot.location.waiting_room_cap - max(taken, default=0))


def places_for(slot, channel="public", now=None):
    """Free places of ``slot`` for ``channel``, at most the room left in the waiting room. Slots from
    :func:`free_slots` carry the number already (``free_places``, for the channel they were searched for)."""
    free = sum(slot.free(c) for c in channels_for(slot, channel, now))
    return min(free, waiting_room_free(slot))


def bookings_on(authority, location, day):
    start, end = day_bounds(day)
    return (
        Booking.objects.filter(authority=authority, location=location, starts_at__gte=start, starts_at__lt=end)
        .exclude(status__in=[Status.CANCELLED, Status.EXPIRED])
        .select_related("anliegen", "slot")
        .prefetch_related("anliegen__texts")
        .order_by("starts_at", "family_name")
    )


def bookings_between(authority, location, start_day, end_day):
    start = day_bounds(start_day)[0]
    end = day_bounds(end_day)[1]
    return (
        Booking.objects.filter(authority=authority, location=location, starts_at__gte=start, starts_at__lt=end)
        .exclude(status__in=[Status.CANCELLED, Status.EXPIRED])
        .select_related("anliegen")
        .order_by("starts_at")
    )


def person_ids_by_reference(authority, references):
    """{booking reference: person id or None} for the given references (e.g. of checked-in tickets)."""
    references = [r for r in references if r]
    if not references:
        return {}
    return dict(
        Booking.objects.filter(authority=authority, reference__in=references).values_list("reference", "person_id")
    )


def active_bookings_for_person(authority, person):
    return Booking.objects.filter(authority=authority, person=person, status__in=ACTIVE_STATUSES)


def open_round(authority, anliegen, now=None):
    now = now or timezone.now()
    return (
        AllocationRound.objects.filter(
            authority=authority, anliegen=anliegen, opens_at__lte=now, closes_at__gt=now, ran_at__isnull=True
        )
        .select_related("location")
        .first()
    )


def identity_keys_of(authority, person_ids):
    """{person id: identity key} – the key of the one-booking-per-person rule, for persons with an e-mail."""
    from willkommen.clients.models import Person

    from .services import identity_key

    persons = Person.objects.filter(authority=authority, pk__in=person_ids)
    return {p.pk: identity_key(p.family_name, p.given_names, p.date_of_birth, p.email) for p in persons if p.email}


def bookings_of_persons(authority, person_ids, keys):
    """Bookings linked to these persons, or made online under one of their identity keys."""
    return Booking.objects.filter(authority=authority).filter(Q(person_id__in=person_ids) | Q(identity_key__in=keys))


def booking_references_of(authority, person):
    keys = list(identity_keys_of(authority, [person.pk]).values())
    return list(bookings_of_persons(authority, [person.pk], keys).values_list("reference", flat=True))


@heavy_read  # figures: read from the replica when there is one
def appointment_figures(authority, start, end, *, location=None, today=None):
    """The appointment figures (``figures.py``) of ``authority`` for appointments from ``start`` to ``end``."""
    from .figures import appointment_figures as compute

    return compute(authority, start, end, location=location, today=today)
