"""The places ledger: the one module that changes how many places are taken. Its guarantee:

    **A place is never given twice, and the waiting room never holds more clients than its cap**
    (``Location.waiting_room_cap`` per 15-minute window, over all Anliegen and channels),
    **and a person or passport holds at most one active booking per Anliegen.**

How it holds:

1. *Taking a place* (:func:`take`, every booking: the public, invitations, staff, allocation) is one short
   transaction of conditional writes, each of which is its own check and its own row lock:

   * ``UPDATE slot SET <channel>_taken = <channel>_taken + 1 WHERE id = … AND <channel>_taken <
     <channel>_places AND NOT withdrawn AND starts_at > now RETURNING …`` – per channel in the order the
     request may draw from; a row that another transaction is changing is waited for and checked again
     (PostgreSQL re-evaluates the WHERE on the new row version), so two requests never both see the last
     place as free;
   * ``INSERT INTO waitingwindow … ON CONFLICT DO UPDATE SET taken = taken + 1 WHERE taken < cap RETURNING``
     for all windows the appointment overlaps (in start order): a window that is full returns no row;
   * ``INSERT INTO booking … ON CONFLICT DO NOTHING RETURNING id``: the partial unique indexes (one active
     booking per person, one per passport, per Anliegen) refuse a duplicate;
   * the day's free-places summary (:mod:`.summary`) is updated in the same transaction.

   If any step finds no room, the transaction rolls back as a whole: nothing was taken.
2. *Giving back or moving* (cancel, expiry, move, confirm) locks first – slot rows by id, then their
   waiting-room windows by start, then the booking – and changes them under the lock
   (:func:`locked_booking`, :func:`take_locked`, :func:`give_back`). Every path takes its row locks in
   that order (slot, window, booking), so two transactions never wait on each other in a cycle.
3. *The last line*: CHECK constraints ``<channel>_taken <= <channel>_places`` on every slot row and the
   partial unique indexes on bookings; a bug above them fails a transaction, never overbooks.
4. *Losers are cheap*: :func:`read` is one indexed read without a lock; a slot that shows no free place is
   answered 409 from it (in a rush, most requests end there). A place that looks free is taken by (1).

On SQLite every transaction is ``BEGIN IMMEDIATE`` (one writer at a time) and threads of one process queue
on an in-process lock; the same statements run there (``UPDATE … RETURNING`` and upserts need SQLite 3.35).
"""

import datetime as dt
import random
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

from django.db import OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone

from . import capacity, summary
from .errors import SlotGone
from .models import Booking, Channel, Slot, WaitingWindow

_SQLITE_WRITER = threading.RLock()


# --- transactions ---------------------------------------------------------------------------------


def serialised(fn, attempts=200):
    """Run ``fn`` (which opens its own transaction), retrying when the database says it is locked.

    SQLite's shared in-memory test database answers "locked" at once instead of waiting;
    PostgreSQL may report a deadlock or serialisation failure. Both are safe to retry: nothing was written."""
    for attempt in range(attempts):
        try:
            if connection.vendor == "sqlite":
                with _SQLITE_WRITER:
                    return fn()
            return fn()
        except OperationalError as exc:
            text = str(exc).lower()
            if attempt == attempts - 1 or not ("locked" in text or "deadlock" in text or "serializ" in text):
                raise
            time.sleep(random.uniform(0.001, 0.005) * (1 + attempt % 8))  # noqa: S311 (back-off jitter)
    return None  # pragma: no cover


@contextmanager
def write_transaction():
    """A transaction that changes capacity. SQLite allows one writer at a time anyway; threads of one
    process queue here instead of spinning on the database lock."""
    if connection.vendor == "sqlite":
        with _SQLITE_WRITER, transaction.atomic():
            yield
    else:
        with transaction.atomic():
            yield


# --- channels -------------------------------------------------------------------------------------


def reserve_released(slot, now=None):
    return (now or timezone.now()) >= slot.reserve_release_at


def channels_for(slot, channel, now=None):
    """Channels a request may draw from, in order of preference."""
    if channel == Channel.PUBLIC:
        return [Channel.PUBLIC, Channel.URGENT] if reserve_released(slot, now) else [Channel.PUBLIC]
    if channel == Channel.INVITATION:
        return [Channel.INVITATION, Channel.PUBLIC]
    if channel == Channel.URGENT:
        return [Channel.URGENT, Channel.PUBLIC]
    raise ValueError(channel)


def has_place(slot, channel, now=None):
    """Whether ``slot`` (as read, not locked) shows a free place for ``channel``; the waiting room is not checked."""
    return any(slot.free(c) > 0 for c in channels_for(slot, channel, now))


def window_starts(slot):
    return capacity.windows(slot.starts_at, slot.ends_at)


# --- the cheap read -------------------------------------------------------------------------------


@dataclass
class SlotState:
    """A slot as read without a lock, with what a booking needs to know about its Anliegen and location."""

    id: int
    authority_id: int
    anliegen_id: int
    location_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    public_places: int
    public_taken: int
    invitation_places: int
    invitation_taken: int
    urgent_places: int
    urgent_taken: int
    reserve_release_at: dt.datetime
    withdrawn: bool
    location_active: bool
    waiting_room_cap: int
    anliegen_slug: str
    anliegen_active: bool
    mode: str | None
    active_by_email: int

    def free(self, channel):
        return max(0, getattr(self, f"{channel}_places") - getattr(self, f"{channel}_taken"))


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


@cache
def _read_sql(vendor):
    slot, booking = _table(Slot), _table(Booking)
    location = connection.ops.quote_name(Slot._meta.get_field("location").related_model._meta.db_table)
    anliegen = connection.ops.quote_name(Slot._meta.get_field("anliegen").related_model._meta.db_table)
    from .models import Offer

    offer = _table(Offer)
    # Only table names from the models go into the text; every value is a parameter.
    return f"""
        SELECT s.id, s.authority_id, s.anliegen_id, s.location_id, s.starts_at, s.ends_at,
               s.public_places, s.public_taken, s.invitation_places, s.invitation_taken,
               s.urgent_places, s.urgent_taken, s.reserve_release_at, s.withdrawn,
               l.active, l.waiting_room_cap, a.slug, a.active,
               (SELECT o.mode FROM {offer} o WHERE o.authority_id = s.authority_id
                    AND o.anliegen_id = s.anliegen_id AND o.location_id = s.location_id),
               CASE WHEN %s = '' THEN 0 ELSE
                   (SELECT COUNT(*) FROM {booking} b WHERE b.authority_id = s.authority_id
                        AND b.email_key = %s AND b.status IN ('held', 'confirmed')) END
        FROM {slot} s
        JOIN {location} l ON l.id = s.location_id
        JOIN {anliegen} a ON a.id = s.anliegen_id
        WHERE s.id = %s AND s.authority_id = %s"""  # noqa: S608


def read(authority_id, slot_id, email_key=""):
    """The slot as it is now (no lock; one statement), with the number of active bookings of ``email_key``
    at this authority; None for a slot id of another authority or none at all."""
    with connection.cursor() as cursor:
        cursor.execute(_read_sql(connection.vendor), [email_key, email_key, slot_id, authority_id])
        row = cursor.fetchone()
    if row is None:
        return None
    state = SlotState(*row)
    if connection.vendor == "sqlite":  # text and 0/1 there; PostgreSQL returns aware datetimes and booleans
        for name in ("starts_at", "ends_at", "reserve_release_at"):
            setattr(state, name, summary.read_datetime(getattr(state, name)))
        state.withdrawn, state.location_active = bool(state.withdrawn), bool(state.location_active)
        state.anliegen_active = bool(state.anliegen_active)
    return state


# --- taking a place (the booking's transaction) -----------------------------------------------------


class NotInserted(Exception):
    """The booking row was refused by a unique index (a duplicate person or passport, or a reference drawn
    twice); the transaction has been rolled back."""


def _adapt(value):
    return connection.ops.adapt_datetimefield_value(value) if isinstance(value, dt.datetime) else value


@cache
def _take_slot_sql(channel, released_only):
    if channel not in Channel.values:
        raise ValueError(channel)
    slot = _table(Slot)
    released = " AND reserve_release_at <= %s" if released_only else ""
    # A channel name and the table name go into the text; every value is a parameter.
    return (
        f"UPDATE {slot} SET {channel}_taken = {channel}_taken + 1 "  # noqa: S608
        f"WHERE id = %s AND authority_id = %s AND {channel}_taken < {channel}_places "
        f"AND NOT withdrawn AND starts_at > %s{released} RETURNING {channel}_places - {channel}_taken"
    )


def _take_slot(cursor, state, requested, now):
    """Take one place of the first channel that has one; returns (channel, free places left in it)."""
    for channel in channels_for(state, requested, now):
        # The public may draw on the urgent reserve only once it is released.
        released_only = channel == Channel.URGENT and requested == Channel.PUBLIC
        params = [state.id, state.authority_id, _adapt(now), *([_adapt(now)] if released_only else [])]
        cursor.execute(_take_slot_sql(channel, released_only), params)
        row = cursor.fetchone()
        if row is not None:
            return channel, row[0]
    raise SlotGone()


@cache
def _windows_sql(count):
    window = _table(WaitingWindow)
    values = ", ".join(["(%s, %s, %s, 1)"] * count)
    return (
        f"INSERT INTO {window} (authority_id, location_id, starts_at, taken) VALUES {values} "  # noqa: S608
        f"ON CONFLICT (authority_id, location_id, starts_at) DO UPDATE SET taken = {window}.taken + 1 "
        f"WHERE {window}.taken < %s RETURNING id"
    )


def _take_windows(cursor, state):
    """One more client in every waiting-room window the appointment overlaps, or SlotGone if one is full."""
    starts = window_starts(state)
    if state.waiting_room_cap < 1:
        raise SlotGone()
    params = []
    for start in starts:
        params += [state.authority_id, state.location_id, _adapt(start)]
    cursor.execute(_windows_sql(len(starts)), [*params, state.waiting_room_cap])
    if len(cursor.fetchall()) != len(starts):
        raise SlotGone()  # a full window: the transaction rolls back, the place above with it


@cache
def _booking_columns():
    fields = [f for f in Booking._meta.concrete_fields if not f.primary_key]
    table = _table(Booking)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks}) ON CONFLICT DO NOTHING RETURNING id"  # noqa: S608
    return fields, sql


def _insert_booking(cursor, row):
    fields, sql = _booking_columns()
    cursor.execute(sql, [f.get_db_prep_save(row.get(f.attname, f.get_default()), connection) for f in fields])
    inserted = cursor.fetchone()
    if inserted is None:
        raise NotInserted()
    return inserted[0]


def take(state, channel, row, now):
    """Take one place of ``state``'s slot for ``channel`` and insert the booking ``row`` (attribute name ->
    value, without ``channel`` and ``slot``), all in one transaction. Returns ``(booking_id, channel_used)``.

    Raises :class:`SlotGone` when no channel has a place or a waiting-room window is full, and
    :class:`NotInserted` when a unique index refuses the booking (both after the rollback)."""

    def run():
        with write_transaction(), connection.cursor() as cursor:
            used, left = _take_slot(cursor, state, channel, now)
            _take_windows(cursor, state)
            booking_id = _insert_booking(cursor, {**row, "slot_id": state.id, "channel": used})
            if used == Channel.PUBLIC:
                summary.took_public(cursor, state, left)
            summary.changed(state.authority_id)
            return booking_id, used

    return serialised(run)


# --- under row locks: confirm, cancel, move, expiry ------------------------------------------------


def ensure_windows(slots):
    rows = [
        WaitingWindow(authority_id=s.authority_id, location_id=s.location_id, starts_at=start)
        for s in slots
        for start in window_starts(s)
    ]
    WaitingWindow.objects.bulk_create(rows, ignore_conflicts=True)


def lock(authority, slot_ids):
    """Lock slots (by id), then their waiting-room windows (by location, start); return both."""
    slots = list(Slot.objects.select_for_update().filter(authority=authority, pk__in=set(slot_ids)).order_by("pk"))
    by_location = {}
    for slot in slots:
        by_location.setdefault(slot.location_id, set()).update(window_starts(slot))
    windows = {}
    for location_id in sorted(by_location):
        for window in (
            WaitingWindow.objects.select_for_update()
            .filter(authority=authority, location_id=location_id, starts_at__in=by_location[location_id])
            .order_by("starts_at")
        ):
            windows[(location_id, window.starts_at)] = window
    return {s.pk: s for s in slots}, windows


def locked_booking(authority, booking_id, extra_slot_ids=()):
    """Lock a booking's slot (and ``extra_slot_ids``) and windows, then the booking; re-check the slot."""
    while True:
        slot_id = Booking.objects.filter(authority=authority, pk=booking_id).values_list("slot_id", flat=True).first()
        slots, windows = lock(authority, [slot_id, *extra_slot_ids])
        booking = Booking.objects.select_for_update().select_related("location").get(pk=booking_id)
        if booking.slot_id == slot_id:
            booking.slot = slots[slot_id]
            return booking, slots, windows
        # Moved in between (only possible on databases with row locks): lock again.


def take_locked(slot, windows, channel, now):
    """Take one place of ``slot`` (locked, with ``windows`` locked and existing) for ``channel``; return the
    channel used or raise SlotGone."""
    cap = slot.location.waiting_room_cap
    for start in window_starts(slot):
        window = windows.get((slot.location_id, start))
        if window is None or window.taken >= cap:
            raise SlotGone()
    for used in channels_for(slot, channel, now):
        if slot.free(used) > 0:
            field = f"{used}_taken"
            Slot.objects.filter(pk=slot.pk).update(**{field: F(field) + 1})
            setattr(slot, field, getattr(slot, field) + 1)
            WaitingWindow.objects.filter(
                authority_id=slot.authority_id, location_id=slot.location_id, starts_at__in=window_starts(slot)
            ).update(taken=F("taken") + 1)
            for start in window_starts(slot):
                windows[(slot.location_id, start)].taken += 1
            summary.refresh_slot_day(slot)
            return used
    raise SlotGone()


def give_back(slot, channel):
    """Return one place of ``slot`` (locked) for ``channel``, and the client's place in its windows."""
    field = f"{channel}_taken"
    Slot.objects.filter(pk=slot.pk, **{f"{field}__gt": 0}).update(**{field: F(field) - 1})
    setattr(slot, field, max(0, getattr(slot, field) - 1))
    WaitingWindow.objects.filter(
        authority_id=slot.authority_id, location_id=slot.location_id, starts_at__in=window_starts(slot), taken__gt=0
    ).update(taken=F("taken") - 1)
    summary.refresh_slot_day(slot)
