"""Free places per Anliegen, location and day, maintained where places change (:class:`~.models.FreeDay`).

The booking transaction updates the day's row with one statement (:func:`took_public`: one place fewer, the
slot's entry in the compact list rewritten or removed); cancelling, moving, expiring and slot generation
recompute the affected days from the slot rows under the row's lock (:func:`refresh`). So the free-places
answers read about one row per location and day (900 rows for 90 days at 10 locations) instead of every
slot, and never count in SQL at request time.

What the summary does not know is applied when it is read (:mod:`.selectors`): slots that have already
begun and the urgent reserve released shortly before (the first days are read from the slots themselves),
and the waiting-room cap (days with a nearly full window are read from the slots too).
"""

import datetime as dt
import functools
import zoneinfo

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from . import limits
from .models import FreeDay, Slot


def tz():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def day_bounds(day):
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz())
    return start, start + dt.timedelta(days=1)


def read_datetime(value):
    """A datetime column read with written-out SQL: PostgreSQL gives an aware datetime, SQLite the UTC text
    Django stored."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime.fromisoformat(value)
    return value if timezone.is_aware(value) else value.replace(tzinfo=dt.UTC)


def local_day_and_time(starts_at):
    local = starts_at.astimezone(tz())
    return local.date(), f"{local:%H:%M}"


def entry(slot_id, hhmm, free):
    """One slot in the compact list: ``[id,"HH:MM",free],`` (the trailing comma separates entries)."""
    return f'[{slot_id},"{hhmm}",{free}],'


def version(authority_id):
    """The authority's free-places version: changes whenever a place is taken or given back (after commit),
    so a cached free-places answer is never older than the last change it could show."""
    return cache.get(f"appointments:free-version:{authority_id}", 0)


def changed(authority_id):
    """In a transaction that takes or gives back places: a new version once it commits."""
    transaction.on_commit(lambda: limits.incr(f"appointments:free-version:{authority_id}"))


def as_json_list(entries):
    """The stored entries as a JSON array."""
    return "[" + entries[:-1] + "]" if entries else "[]"


# --- in the booking transaction -------------------------------------------------------------------


@functools.cache
def _took_sql(vendor):
    table = connection.ops.quote_name(FreeDay._meta.db_table)
    contains = "strpos(slots, %s) > 0" if vendor == "postgresql" else "instr(slots, %s) > 0"
    return (
        f"UPDATE {table} SET places = places - 1, times = times - %s, slots = replace(slots, %s, %s) "  # noqa: S608
        f"WHERE authority_id = %s AND anliegen_id = %s AND location_id = %s AND day = %s AND {contains}"
    )


def took_public(cursor, slot, left):
    """In the booking's transaction: ``slot`` has one public place fewer and ``left`` free now. One statement;
    a day whose entry does not match (only after a change the summary was not told of) is left alone until
    its next :func:`refresh`, never made worse."""
    day, hhmm = local_day_and_time(slot.starts_at)
    before = entry(slot.id, hhmm, left + 1)
    after = entry(slot.id, hhmm, left) if left > 0 else ""
    params = [
        0 if left > 0 else 1,
        before,
        after,
        slot.authority_id,
        slot.anliegen_id,
        slot.location_id,
        connection.ops.adapt_datefield_value(day),
        before,
    ]
    cursor.execute(_took_sql(connection.vendor), params)


# --- recomputed from the slots ---------------------------------------------------------------------


def _compute(authority_id, anliegen_id, location_id, first, last):
    """Per local day from ``first`` to ``last``: (times, places, entries) from the slot rows."""
    result = {}
    rows = (
        Slot.objects.filter(
            authority_id=authority_id,
            anliegen_id=anliegen_id,
            location_id=location_id,
            withdrawn=False,
            public_taken__lt=F("public_places"),
            starts_at__gte=day_bounds(first)[0],
            starts_at__lt=day_bounds(last)[1],
        )
        .order_by("starts_at", "id")
        .values_list("id", "starts_at", "public_places", "public_taken")
    )
    for slot_id, starts_at, places, taken in rows:
        day, hhmm = local_day_and_time(starts_at)
        times, free, entries = result.get(day, (0, 0, ""))
        result[day] = (times + 1, free + places - taken, entries + entry(slot_id, hhmm, places - taken))
    return result


def refresh(authority_id, anliegen_id, location_id, days):
    """Recompute the summary of ``days`` (local dates) from the slot rows, in the caller's transaction.

    The day rows are locked first, then the slots are read: a booking that changes one of these days
    meanwhile waits for the lock and then applies its change to what is written here."""
    days = sorted(set(days))
    if not days:
        return
    with transaction.atomic():
        scope = {"authority_id": authority_id, "anliegen_id": anliegen_id, "location_id": location_id}
        existing = {r.day: r for r in FreeDay.objects.select_for_update().filter(**scope, day__in=days)}
        computed = _compute(authority_id, anliegen_id, location_id, days[0], days[-1])
        updated, new = [], []
        for day in days:
            times, places, entries = computed.get(day, (0, 0, ""))
            row = existing.get(day)
            if row is None:
                new.append(FreeDay(**scope, day=day, times=times, places=places, slots=entries))
            elif (row.times, row.places, row.slots) != (times, places, entries):
                row.times, row.places, row.slots = times, places, entries
                updated.append(row)
        FreeDay.objects.bulk_update(updated, ["times", "places", "slots"])
        FreeDay.objects.bulk_create(new, ignore_conflicts=True)
        changed(authority_id)


def refresh_slot_day(slot):
    """The day of ``slot`` (after its places changed under a lock)."""
    refresh(slot.authority_id, slot.anliegen_id, slot.location_id, [local_day_and_time(slot.starts_at)[0]])


def refresh_offer(offer, first, last):
    """Every day from ``first`` to ``last`` of an offer (after slot generation)."""
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    refresh(offer.authority_id, offer.anliegen_id, offer.location_id, days)
