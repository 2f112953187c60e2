"""The office sets up its appointments (issue 15 item 8): a preview of the slots an offer generates, and the
regeneration after a change of an offer, of opening hours or of closures that keeps every booking.

:func:`regenerate` runs the slot generator (:mod:`.generation`: new slots added, existing ones follow the
offer with places never below what is taken, slots no longer produced withdrawn), then removes the
withdrawn future slots that nobody ever booked; slots holding bookings stay (withdrawn: nobody can book
them any more, but the booking and its place are kept). The free-place summary (:mod:`.summary`) is
recomputed for the horizon. Running it twice changes nothing the second time.
"""

import datetime as dt

from django import forms
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from . import capacity, generation, summary
from .models import OCCUPYING_STATUSES, Booking, Offer, Slot

PREVIEW_DAYS = 14


def preview(offer, *, today=None, days=PREVIEW_DAYS):
    """What ``offer`` (saved or not) would generate in the next ``days`` days: one row per day that has
    slots, with the number of slots, their start times (local) and the places per channel of each slot."""
    today = today or timezone.localdate()
    split = capacity.channel_split(offer.workstations, offer.invitation_places, offer.urgent_places)
    rows = {}
    if offer.active:
        for starts, _ends in generation.planned_slots(offer, today, today + dt.timedelta(days=days - 1)):
            rows.setdefault(starts.date(), []).append(starts.time())
    return {
        "split": split,
        "days": [{"day": day, "count": len(times), "times": times} for day, times in sorted(rows.items())],
        "total": sum(len(times) for times in rows.values()),
    }


def kept_bookings(offer, *, now=None):
    """Future slots of the offer that hold bookings: they stay whatever changes (count of slots and places)."""
    now = now or timezone.now()
    return Slot.objects.filter(_taken(), **_scope(offer), starts_at__gte=now).count()


def _scope(offer):
    return {"authority_id": offer.authority_id, "location_id": offer.location_id, "anliegen_id": offer.anliegen_id}


def _taken():
    return Q(public_taken__gt=0) | Q(invitation_taken__gt=0) | Q(urgent_taken__gt=0)


def regenerate(offer, *, today=None, now=None):
    """Bring the offer's future slots in line with it, keeping every booking. Returns the counts
    ``created``, ``updated``, ``withdrawn`` (by the generator) and ``removed`` (free slots deleted)."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    result = generation.generate_for_offer(offer, today=today)
    with transaction.atomic():
        free = (
            Slot.objects.filter(**_scope(offer), withdrawn=True, starts_at__gte=now)
            .exclude(_taken())
            .annotate(n=Count("bookings"))
            .filter(n=0)
        )
        ids = list(free.values_list("pk", flat=True))
        starts = Slot.objects.filter(pk__in=ids).values_list("starts_at", flat=True)
        days = {summary.local_day_and_time(s)[0] for s in starts}
        removed, _per_model = Slot.objects.filter(pk__in=ids).exclude(_taken()).delete()
        summary.refresh(offer.authority_id, offer.anliegen_id, offer.location_id, days)
    return {**result, "removed": removed}


def regenerate_location(authority, location_id=None, *, today=None):
    """After opening hours or closures changed: every offer at ``location_id`` (None: all locations)."""
    offers = Offer.objects.filter(authority=authority).select_related("authority", "anliegen", "location")
    if location_id is not None:
        offers = offers.filter(location_id=location_id)
    totals = {"created": 0, "updated": 0, "withdrawn": 0, "removed": 0}
    for offer in offers:
        for key, value in regenerate(offer, today=today).items():
            totals[key] += value
    return totals


def bookings_between(authority, first, last, location_id=None):
    """Bookings that occupy a place on the local days ``first`` to ``last`` (at one location or all): the
    bookings a closure falls on, for staff to move them."""
    start, end = summary.day_bounds(first)[0], summary.day_bounds(last)[1]
    bookings = Booking.objects.filter(
        authority=authority, starts_at__gte=start, starts_at__lt=end, status__in=OCCUPYING_STATUSES
    )
    if location_id is not None:
        bookings = bookings.filter(location_id=location_id)
    return bookings


def change_detail(form, *, created=False):
    """The audit detail of a saved form: ``field: old → new; …`` for the fields that changed (on creation
    ``field: value``). Values as the form shows them, choices by their label."""
    parts = []
    for name in form.changed_data if not created else form.fields:
        field = form.fields[name]
        new = _shown(field, form.cleaned_data.get(name))
        if created:
            parts.append(f"{name}: {new}")
        else:
            parts.append(f"{name}: {_shown(field, form.initial.get(name))} → {new}")
    return "; ".join(parts)


def _shown(field, value):
    if value is None or value == "":
        return "–"
    if isinstance(field, forms.ModelChoiceField):
        obj = value if hasattr(value, "pk") else field.queryset.filter(pk=value).first()
        return str(obj) if obj is not None else str(value)
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    choices = {str(key): label for key, label in getattr(field, "choices", ()) or ()}
    return str(choices.get(str(value), value))
