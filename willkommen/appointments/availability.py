"""Free public places per location and day, for the portal's day list and the free-slot answers of the API.

Read from the maintained summary (:class:`~.models.FreeDay`, about one row per location and day), with two
corrections read from the slots themselves, so the answer is exact:

* the first days (up to the latest time an urgent reserve is released, and today with its slots already
  begun) depend on the time of day, not only on bookings: they are read from the slot rows;
* a day with a waiting-room window so full that it may hold fewer clients than a slot has free places
  (all Anliegen of a location share the waiting room) is read from the slot rows too.

A fixed number of statements whatever the range: the offers, the summary rows, the nearly full windows and
the slots of the days read directly.
"""

import datetime as dt
import json
from dataclasses import dataclass

from django.conf import settings
from django.db import connections, router
from django.db.models import Case, DateTimeField, ExpressionWrapper, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import capacity, summary
from .models import FreeDay, Mode, Offer, Slot, WaitingWindow


@dataclass
class Day:
    location: int
    day: dt.date
    slots: int  # times with a free place
    places: int  # free places over those times
    entries: str = ""  # the compact list ``[id,"HH:MM",free],…`` (when asked for)


@dataclass(frozen=True)
class Scope:
    authority: object
    anliegen: object
    location: object
    date_from: dt.date
    date_to: dt.date
    now: dt.datetime
    mode: str


def _offers(scope):
    """Per location of the offer: name, waiting-room cap, most public places a slot may show, release hours."""
    qs = Offer.objects.filter(
        authority=scope.authority, anliegen=scope.anliegen, mode=scope.mode, active=True, location__active=True
    )
    if scope.location is not None:
        qs = qs.filter(location=scope.location)
    rows = qs.values_list(
        "location_id",
        "location__name",
        "location__waiting_room_cap",
        "workstations",
        "invitation_places",
        "urgent_places",
        "reserve_release_hours",
    ).order_by("location_id")
    return {
        loc: {
            "name": name,
            "cap": cap,
            "public": capacity.channel_split(w, inv, urg)["public"] + urg,
            "release": hours,
        }
        for loc, name, cap, w, inv, urg, hours in rows
    }


def public_days(
    authority, anliegen, *, location=None, date_from=None, date_to=None, now=None, mode=Mode.FIRST_COME, entries=True
):
    """Days with a free public place, as :class:`Day` rows ordered by day and location (with ``entries``, the
    day's compact list of times, unless ``entries=False``: the day counts alone need not read the lists), and
    the locations offered ``{id: name}``."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    date_from = max(date_from or today, today)
    date_to = date_to or today + dt.timedelta(days=getattr(settings, "APPOINTMENTS_HORIZON_DAYS", 90) + 1)
    scope = Scope(authority, anliegen, location, date_from, date_to, now, mode)
    offers = _offers(scope)
    if not offers or date_to < date_from:
        return [], {loc: o["name"] for loc, o in offers.items()}
    live_until = timezone.localdate(now + dt.timedelta(hours=max(o["release"] for o in offers.values())))
    settled_from = max(date_from, live_until + dt.timedelta(days=1))
    days, tight = {}, set()
    if settled_from <= date_to:
        tight = _tight_days(scope, offers, settled_from)
        columns = (
            ("location_id", "day", "times", "places", "slots") if entries else ("location_id", "day", "times", "places")
        )
        for row in FreeDay.objects.filter(
            authority=authority,
            anliegen=anliegen,
            location_id__in=list(offers),
            day__gte=settled_from,
            day__lte=date_to,
            times__gt=0,
        ).values_list(*columns):
            if (row[0], row[1]) not in tight:
                days[(row[1], row[0])] = Day(*row)
    live_to = min(date_to, settled_from - dt.timedelta(days=1))
    for day in _live_days(scope, live_to, tight, entries):
        days[(day.day, day.location)] = day
    return [days[k] for k in sorted(days)], {loc: o["name"] for loc, o in offers.items()}


def _tight_days(scope, offers, settled_from):
    """(location, day) pairs from ``settled_from`` on with a waiting-room window that may hold fewer clients
    than a slot there has free public places (an index on the windows' ``taken`` finds them).

    One statement written out: each location's threshold as a row of a VALUES list joined to the windows. Built
    with the ORM (a ``Q`` per location, OR-ed) it cost more CPU than all the rest of a days answer."""
    alias = router.db_for_read(WaitingWindow)
    ops = connections[alias].ops
    start = summary.day_bounds(settled_from)[0] - dt.timedelta(minutes=capacity.WINDOW_MINUTES)
    end = summary.day_bounds(scope.date_to)[1]
    thresholds = [value for loc, offer in offers.items() for value in (loc, offer["cap"] - offer["public"])]
    window = WaitingWindow._meta.db_table
    # only placeholders and the model's table name are written into the text; every value is a parameter
    rows_sql = ", ".join(["(%s, %s)"] * len(offers))
    sql = (
        f"WITH threshold (location_id, taken) AS (VALUES {rows_sql}) "  # noqa: S608
        f"SELECT w.location_id, w.starts_at FROM {window} w "
        "JOIN threshold t ON w.location_id = t.location_id AND w.taken > t.taken "
        "WHERE w.authority_id = %s AND w.starts_at >= %s AND w.starts_at < %s"
    )
    params = [*thresholds, scope.authority.pk, ops.adapt_datetimefield_value(start), ops.adapt_datetimefield_value(end)]
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {(loc, summary.local_day_and_time(summary.read_datetime(starts))[0]) for loc, starts in rows}


def _live_days(scope, live_to, tight, entries=True):
    """The days read from the slot rows: ``scope.date_from``..``live_to`` everywhere, and the ``tight`` pairs."""
    where = Q()
    if scope.date_from <= live_to:
        where |= Q(starts_at__gte=summary.day_bounds(scope.date_from)[0], starts_at__lt=summary.day_bounds(live_to)[1])
    for loc, day in tight:
        start, end = summary.day_bounds(day)
        where |= Q(location_id=loc, starts_at__gte=start, starts_at__lt=end)
    if not where:
        return []
    result = {}
    for slot_id, loc, starts_at, free in free_slot_rows(scope, where):
        day, hhmm = summary.local_day_and_time(starts_at)
        current = result.setdefault((day, loc), Day(loc, day, 0, 0, ""))
        current.slots += 1
        current.places += free
        if entries:
            current.entries += summary.entry(slot_id, hhmm, free)
    return result.values()


def free_slots_query(authority, anliegen, *, location, date_from, date_to, channel, now, mode):
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
        qs = qs.filter(starts_at__gte=summary.day_bounds(date_from)[0])
    if date_to is not None:
        qs = qs.filter(starts_at__lt=summary.day_bounds(date_to)[1])
    public = F("public_places") - F("public_taken")
    invitation = F("invitation_places") - F("invitation_taken")
    urgent = F("urgent_places") - F("urgent_taken")
    released_urgent = Case(When(reserve_release_at__lte=now, then=urgent), default=Value(0))
    places = {"public": public + released_urgent, "invitation": invitation + public, "urgent": urgent + public}
    if channel not in places:
        raise ValueError(channel)
    # The fullest 15-minute window the appointment overlaps: windows start on the quarter hour, so
    # those overlapping [starts_at, ends_at) start after starts_at - 15 minutes and before ends_at.
    busiest = (
        WaitingWindow.objects.filter(
            authority=OuterRef("authority"),
            location=OuterRef("location"),
            starts_at__gt=ExpressionWrapper(
                OuterRef("starts_at") - dt.timedelta(minutes=capacity.WINDOW_MINUTES), output_field=DateTimeField()
            ),
            starts_at__lt=OuterRef("ends_at"),
        )
        .order_by("-taken")
        .values("taken")[:1]
    )
    return qs.annotate(
        channel_places=places[channel],
        room_left=F("location__waiting_room_cap") - Coalesce(Subquery(busiest), Value(0)),
        location_name=F("location__name"),
    ).filter(channel_places__gt=0)


def free_slot_rows(scope, where):
    """(id, location, starts_at, free places) of the public slots matching ``where``, room in the waiting
    room decided per row."""
    qs = free_slots_query(
        scope.authority,
        scope.anliegen,
        location=scope.location,
        date_from=None,
        date_to=None,
        channel="public",
        now=scope.now,
        mode=scope.mode,
    ).filter(where)
    for slot_id, loc, starts_at, places, room in qs.values_list(
        "id", "location_id", "starts_at", "channel_places", "room_left"
    ).order_by("starts_at", "location_id"):
        if room > 0:
            yield slot_id, loc, starts_at, min(places, room)


def days_json(days):
    """The per-day answer: ``[{"location": id, "day": "YYYY-MM-DD", "slots": n, "places": n}, …]``."""
    return json.dumps(
        [{"location": d.location, "day": d.day.isoformat(), "slots": d.slots, "places": d.places} for d in days],
        separators=(",", ":"),
    ).encode()


def slots_json(days, locations, anliegen):
    """The compact free-slot answer: per location and day the times (local, ``HH:MM``), each with its slot id
    and free places. About a tenth of a list of slot objects, and built from stored text."""
    head = json.dumps(
        {
            "anliegen": anliegen.slug,
            "time_zone": settings.TIME_ZONE,
            "minutes": anliegen.appointment_minutes,
            "locations": [{"id": loc, "name": name} for loc, name in locations.items()],
        },
        separators=(",", ":"),
        ensure_ascii=False,
    )
    body = ",".join(
        f'{{"day":"{d.day.isoformat()}","location":{d.location},"slots":{summary.as_json_list(d.entries)}}}'
        for d in days
    )
    return f'{head[:-1]},"days":[{body}]}}'.encode()
