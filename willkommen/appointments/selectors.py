"""Queries on appointments; other rooms read through these."""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.db.models import Case, Count, DateTimeField, ExpressionWrapper, F, OuterRef, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Least, TruncDate
from django.utils import timezone

from .capacity import WINDOW_MINUTES
from .models import ACTIVE_STATUSES, AllocationRound, Booking, Mode, Offer, Slot, Status, WaitingWindow


def _tz():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def day_bounds(day):
    start = dt.datetime.combine(day, dt.time.min, tzinfo=_tz())
    return start, start + dt.timedelta(days=1)


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


def _free_slots_query(authority, anliegen, *, location, date_from, date_to, channel, now, mode):
    """Slots with at least one free place for ``channel`` (public includes the released urgent reserve),
    decided in SQL. Each row carries ``channel_places`` (places this channel may still take) and
    ``room_left`` (the waiting-room cap minus the clients in the fullest 15-minute window it overlaps;
    not yet filtered)."""
    qs = Slot.objects.filter(
        authority=authority,
        anliegen=anliegen,
        withdrawn=False,
        starts_at__gt=now,
        location__active=True,
        location__offer__anliegen=anliegen,
        location__offer__mode=mode,
        location__offer__active=True,
    )
    if location is not None:
        qs = qs.filter(location=location)
    if date_from is not None:
        qs = qs.filter(starts_at__gte=day_bounds(date_from)[0])
    if date_to is not None:
        qs = qs.filter(starts_at__lt=day_bounds(date_to)[1])
    public = F("public_places") - F("public_taken")
    invitation = F("invitation_places") - F("invitation_taken")
    urgent = F("urgent_places") - F("urgent_taken")
    released_urgent = Case(When(reserve_release_at__lte=now, then=urgent), default=Value(0))
    if channel == "public":
        places = public + released_urgent
    elif channel == "invitation":
        places = invitation + public
    elif channel == "urgent":
        places = urgent + public
    else:
        raise ValueError(channel)
    # The fullest 15-minute window the appointment overlaps: windows start on the quarter hour, so
    # those overlapping [starts_at, ends_at) start after starts_at - 15 minutes and before ends_at.
    busiest = (
        WaitingWindow.objects.filter(
            authority=OuterRef("authority"),
            location=OuterRef("location"),
            starts_at__gt=ExpressionWrapper(
                OuterRef("starts_at") - dt.timedelta(minutes=WINDOW_MINUTES), output_field=DateTimeField()
            ),
            starts_at__lt=OuterRef("ends_at"),
        )
        .order_by("-taken")
        .values("taken")[:1]
    )
    return qs.annotate(
        channel_places=places,
        room_left=F("location__waiting_room_cap") - Coalesce(Subquery(busiest), Value(0)),
        location_name=F("location__name"),
    ).filter(channel_places__gt=0)


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
    slots = _free_slots_query(
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


def free_days(
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
    """Per location and local day: how many slots have a free place and how many places they have,
    counted in SQL (no row per slot leaves the database). A list of dicts
    ``{"location": id, "day": date, "slots": n, "places": n}`` ordered by day and location."""
    now = now or timezone.now()
    rows = (
        _free_slots_query(
            authority,
            anliegen,
            location=location,
            date_from=date_from,
            date_to=date_to,
            channel=channel,
            now=now,
            mode=mode,
        )
        .filter(room_left__gt=0)
        .annotate(day=TruncDate("starts_at", tzinfo=_tz()))
        .values("location_id", "day")
        .annotate(slots=Count("id"), places=Sum(Least("channel_places", "room_left")))
        .order_by("day", "location_id")
    )
    return [
        {"location": row["location_id"], "day": row["day"], "slots": row["slots"], "places": row["places"]}
        for row in rows
    ]


def days_with_places(authority, anliegen, location, date_from, date_to, now=None):
    """Local dates with at least one slot with a free public place and room in the waiting room."""
    days = free_days(authority, anliegen, location=location, date_from=date_from, date_to=date_to, now=now)
    return [row["day"] for row in days]


def waiting_room_free(slot):
    from . import capacity

    starts = capacity.windows(slot.starts_at, slot.ends_at)
    taken = WaitingWindow.objects.filter(
        authority_id=slot.authority_id, location_id=slot.location_id, starts_at__in=starts
    ).values_list("taken", flat=True)
    return max(0, slot.location.waiting_room_cap - max(taken, default=0))


def places_for(slot, channel="public", now=None):
    """Free places of ``slot`` for ``channel``, at most the room left in the waiting room. Slots from
    :func:`free_slots` carry the number already (``free_places``, for the channel they were searched for)."""
    from .services import channels_for

    free = sum(slot.free(c) for c in channels_for(slot, channel, now))
    return min(free, waiting_room_free(slot))


def bookings_on(authority, location, day):
    start, end = day_bounds(day)
    return (
        Booking.objects.filter(authority=authority, location=location, starts_at__gte=start, starts_at__lt=end)
        .exclude(status__in=[Status.CANCELLED, Status.EXPIRED])
        .select_related("anliegen", "slot")
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
