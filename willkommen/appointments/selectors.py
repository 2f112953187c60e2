"""Queries on appointments; other rooms read through these."""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

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
    """Slots with at least one free place for ``channel`` (public includes the released urgent reserve),
    filtered in SQL; the waiting-room cap is checked per slot against its windows."""
    now = now or timezone.now()
    qs = Slot.objects.filter(
        authority=authority,
        anliegen=anliegen,
        withdrawn=False,
        starts_at__gt=now,
        location__active=True,
        location__offer__anliegen=anliegen,
        location__offer__mode=mode,
        location__offer__active=True,
    ).select_related("location")
    if location is not None:
        qs = qs.filter(location=location)
    if date_from is not None:
        qs = qs.filter(starts_at__gte=day_bounds(date_from)[0])
    if date_to is not None:
        qs = qs.filter(starts_at__lt=day_bounds(date_to)[1])
    public_free = Q(public_taken__lt=F("public_places"))
    released_urgent = Q(reserve_release_at__lte=now, urgent_taken__lt=F("urgent_places"))
    if channel == "public":
        qs = qs.filter(public_free | released_urgent)
    elif channel == "invitation":
        qs = qs.filter(public_free | Q(invitation_taken__lt=F("invitation_places")))
    from . import capacity

    slots = list(qs.order_by("starts_at", "location_id"))
    if not slots:
        return []
    # The waiting-room windows of all these slots in one query (not one per slot).
    taken = {
        (location_id, start): value
        for location_id, start, value in WaitingWindow.objects.filter(
            authority=authority,
            location_id__in={s.location_id for s in slots},
            starts_at__gte=capacity.windows(slots[0].starts_at, slots[0].ends_at)[0],
            starts_at__lt=max(s.ends_at for s in slots),
            taken__gt=0,
        ).values_list("location_id", "starts_at", "taken")
    }
    return [slot for slot in slots if _room_left(slot, taken) > 0]


def _room_left(slot, taken):
    from . import capacity

    used = max((taken.get((slot.location_id, w), 0) for w in capacity.windows(slot.starts_at, slot.ends_at)), default=0)
    return slot.location.waiting_room_cap - used


def days_with_places(authority, anliegen, location, date_from, date_to, now=None):
    """Local dates with at least one slot with a free public place (the waiting-room cap is checked
    only for the day shown, so this is cheap over the whole horizon)."""
    now = now or timezone.now()
    qs = Slot.objects.filter(
        authority=authority,
        anliegen=anliegen,
        location=location,
        withdrawn=False,
        starts_at__gt=now,
        starts_at__gte=day_bounds(date_from)[0],
        starts_at__lt=day_bounds(date_to)[1],
    ).filter(
        Q(public_taken__lt=F("public_places")) | Q(reserve_release_at__lte=now, urgent_taken__lt=F("urgent_places"))
    )
    return sorted({timezone.localtime(value).date() for value in qs.values_list("starts_at", flat=True)})


def waiting_room_free(slot):
    from . import capacity

    starts = capacity.windows(slot.starts_at, slot.ends_at)
    taken = WaitingWindow.objects.filter(
        authority_id=slot.authority_id, location_id=slot.location_id, starts_at__in=starts
    ).values_list("taken", flat=True)
    return max(0, slot.location.waiting_room_cap - max(taken, default=0))


def places_for(slot, channel="public", now=None):
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
