"""Slot generation: turns offers, opening hours, public holidays and closures into Slot rows.

Runs periodically (nightly) and whenever opening hours, closures or offers change. Existing
slots keep their bookings: a slot that is no longer offered is marked withdrawn, not deleted,
and places never drop below what is already taken.
"""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from willkommen.tenancy.models import Closure, OpeningHours
from willkommen.tenancy.selectors import public_holidays

from . import capacity, summary
from .ledger import ensure_windows
from .models import Offer, Slot


def horizon_days():
    """APPOINTMENTS_HORIZON_DAYS: how many days ahead slots are offered (default 90)."""
    return getattr(settings, "APPOINTMENTS_HORIZON_DAYS", 90)


def _tz():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def planned_slots(offer, start, end):
    """(starts_at, ends_at) aware datetimes the offer should have between start and end (dates)."""
    periods = [
        capacity.Period(h.weekday, h.opens, h.closes)
        for h in OpeningHours.objects.filter(authority_id=offer.authority_id, location_id=offer.location_id)
    ]
    closures = [
        (c.starts_on, c.ends_on)
        for c in Closure.objects.filter(authority_id=offer.authority_id, starts_on__lte=end, ends_on__gte=start).filter(
            location__isnull=True
        )
        | Closure.objects.filter(
            authority_id=offer.authority_id, location_id=offer.location_id, starts_on__lte=end, ends_on__gte=start
        )
    ]
    holidays = public_holidays(offer.authority, start, end)
    tz = _tz()
    result = []
    for day in capacity.days(start, end, holidays=holidays, closures=closures):
        for starts, ends in capacity.slot_times(periods, day, offer.anliegen.appointment_minutes):
            result.append((starts.replace(tzinfo=tz), ends.replace(tzinfo=tz)))
    return result


def generate_for_offer(offer, *, today=None, horizon=None):
    today = today or timezone.localdate()
    end = today + dt.timedelta(days=horizon_days() if horizon is None else horizon)
    split = capacity.channel_split(offer.workstations, offer.invitation_places, offer.urgent_places)
    release = dt.timedelta(hours=offer.reserve_release_hours)
    planned = {} if not offer.active else {s: e for s, e in planned_slots(offer, today, end)}
    tz = _tz()
    range_start = dt.datetime.combine(today, dt.time.min).replace(tzinfo=tz)
    range_end = dt.datetime.combine(end, dt.time.max).replace(tzinfo=tz)
    scope = {"authority_id": offer.authority_id, "location_id": offer.location_id, "anliegen_id": offer.anliegen_id}
    with transaction.atomic():
        existing = {
            s.starts_at: s for s in Slot.objects.filter(**scope, starts_at__gte=range_start, starts_at__lte=range_end)
        }
        new, updated = [], 0
        for starts, ends in planned.items():
            slot = existing.get(starts)
            if slot is None:
                new.append(
                    Slot(
                        **scope,
                        starts_at=starts,
                        ends_at=ends,
                        public_places=split["public"],
                        invitation_places=split["invitation"],
                        urgent_places=split["urgent"],
                        reserve_release_at=starts - release,
                    )
                )
            else:
                updated += _follow(slot, ends, split, starts - release)
        Slot.objects.bulk_create(new, batch_size=1000)
        gone = [s.pk for starts, s in existing.items() if starts not in planned and not s.withdrawn]
        withdrawn = Slot.objects.filter(pk__in=gone).update(withdrawn=True)
        summary.refresh_offer(offer, today, end)
    ensure_windows(Slot.objects.filter(**scope, starts_at__gte=range_start, withdrawn=False))
    return {"created": len(new), "updated": updated, "withdrawn": withdrawn}


def _follow(slot, ends, split, release_at):
    """Bring an existing slot in line with its offer; places never drop below what is taken. 1 if changed."""
    changes = {
        "ends_at": ends,
        "withdrawn": False,
        "reserve_release_at": release_at,
        **{f"{c}_places": max(split[c], getattr(slot, f"{c}_taken")) for c in ("public", "invitation", "urgent")},
    }
    if all(getattr(slot, k) == v for k, v in changes.items()):
        return 0
    # Only raise places above what is taken; the row lock keeps concurrent bookings consistent.
    Slot.objects.select_for_update().filter(pk=slot.pk).first()
    slot.refresh_from_db()
    for channel in ("public", "invitation", "urgent"):
        changes[f"{channel}_places"] = max(split[channel], getattr(slot, f"{channel}_taken"))
    Slot.objects.filter(pk=slot.pk).update(**changes)
    return 1


def generate(authority=None, *, today=None, horizon=None):
    """Generate slots for all offers (of one authority or all). Returns totals."""
    offers = Offer.objects.select_related("authority", "anliegen", "location")
    if authority is not None:
        offers = offers.filter(authority=authority)
    totals = {"created": 0, "updated": 0, "withdrawn": 0}
    for offer in offers:
        for key, value in generate_for_offer(offer, today=today, horizon=horizon).items():
            totals[key] += value
    return totals
