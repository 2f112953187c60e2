"""Fair allocation mode: requests are collected during a window; at its end places are given by
urgency (current permit expiring soonest first, then longest waiting), ties broken at random with a
recorded seed. Speed of clicking gives no advantage; the run is reproducible from the seed.
"""

import datetime as dt
import random
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import jobs
from .booking import Terms, hold
from .errors import BookingError
from .identity import Applicant, identity_key
from .models import ACTIVE_STATUSES, AllocationRequest, AllocationRound, Booking, Mode
from .selectors import free_slots

CONFIRMED = Terms(confirmed=True)


@dataclass(frozen=True)
class Wish:
    id: int
    earliest: dt.date
    latest: dt.date
    permit_expires: dt.date | None
    waiting_since: dt.datetime


@dataclass(frozen=True)
class Place:
    slot_id: int
    day: dt.date
    starts_at: dt.datetime
    count: int


def order(wishes, seed):
    """Wishes by urgency: permit expiring soonest first (none = least urgent), then waiting longest,
    then a random tie-break drawn from ``seed`` in id order (so the same seed gives the same order)."""
    rng = random.Random(seed)  # noqa: S311 (fairness, not secrecy; the seed is published)
    draw = {w.id: rng.random() for w in sorted(wishes, key=lambda w: w.id)}
    return sorted(
        wishes,
        key=lambda w: (w.permit_expires is None, w.permit_expires or dt.date.max, w.waiting_since, draw[w.id]),
    )


def allocate(wishes, places, seed):
    """Pure allocation. Returns (assignments {wish id: slot id}, waiting list [wish id, ...] in order).

    Each wish gets the earliest place within its acceptable dates that is still free."""
    remaining = {p.slot_id: p.count for p in places}
    by_time = sorted(places, key=lambda p: (p.starts_at, p.slot_id))
    assignments = {}
    waiting = []
    for wish in order(wishes, seed):
        for place in by_time:
            if remaining[place.slot_id] > 0 and wish.earliest <= place.day <= wish.latest:
                remaining[place.slot_id] -= 1
                assignments[wish.id] = place.slot_id
                break
        else:
            waiting.append(wish.id)
    return assignments, waiting


def file_request(
    authority, round, *, family_name, given_names, date_of_birth, email, language, earliest, latest, permit_expires
):
    now = timezone.now()
    if not (round.opens_at <= now < round.closes_at) or round.ran_at:
        raise BookingError(_("Requests for this round are closed."), code="closed", status=409)
    key = identity_key(family_name, given_names, date_of_birth, email)
    if Booking.objects.filter(
        authority=authority, anliegen_id=round.anliegen_id, identity_key=key, status__in=ACTIVE_STATUSES
    ).exists():
        raise BookingError(_("You already have an appointment for this Anliegen."), code="duplicate", status=409)
    try:
        with transaction.atomic():
            return AllocationRequest.objects.create(
                authority=authority,
                round=round,
                family_name=family_name,
                given_names=given_names or "",
                date_of_birth=date_of_birth,
                email=email,
                language=language or "de",
                identity_key=key,
                earliest=earliest,
                latest=latest,
                permit_expires=permit_expires,
                waiting_since=now,
            )
    except IntegrityError as exc:
        raise BookingError(_("You have already filed a request in this round."), code="duplicate", status=409) from exc


def places_for_round(round, now=None):
    """Free public places of the round's Anliegen and location (computed at run time)."""
    now = now or timezone.now()
    places = []
    for slot in free_slots(round.authority, round.anliegen, location=round.location, now=now, mode=Mode.ALLOCATION):
        places.append(Place(slot.pk, timezone.localtime(slot.starts_at).date(), slot.starts_at, slot.free_places))
    return places


def run(round, *, seed=None, now=None):
    """Run an allocation round once: book the assigned places, record waiting-list positions, inform everyone."""
    now = now or timezone.now()
    claimed = AllocationRound.objects.filter(pk=round.pk, ran_at__isnull=True).update(
        ran_at=now, seed=seed if seed is not None else secrets.randbits(62)
    )
    if not claimed:
        return None
    round.refresh_from_db()
    requests = list(AllocationRequest.objects.filter(authority=round.authority, round=round))
    wishes = [Wish(r.pk, r.earliest, r.latest, r.permit_expires, r.waiting_since) for r in requests]
    assignments, waiting = allocate(wishes, places_for_round(round, now), round.seed)
    by_id = {r.pk: r for r in requests}
    booked = 0
    for wish_id in [w.id for w in order(wishes, round.seed) if w.id in assignments]:
        req = by_id[wish_id]
        try:
            applicant = Applicant(req.family_name, req.given_names, req.date_of_birth, req.email, language=req.language)
            booking, _token = hold(
                round.authority,
                slot_id=assignments[wish_id],
                anliegen=round.anliegen,
                applicant=applicant,
                terms=CONFIRMED,
                now=now,
            )
        except BookingError:
            waiting.append(wish_id)
            continue
        req.booking = booking
        req.save(update_fields=["booking"])
        booked += 1
    for position, wish_id in enumerate(waiting, start=1):
        AllocationRequest.objects.filter(pk=wish_id).update(waitlist_position=position)
    for req in AllocationRequest.objects.filter(round=round, booking__isnull=True):
        jobs.notify("waitlist", req.pk)
    AllocationRequest.objects.filter(round=round).update(informed_at=now)
    return {"seed": round.seed, "booked": booked, "waiting": len(waiting)}


def due_rounds(now=None):
    now = now or timezone.now()
    return AllocationRound.objects.filter(closes_at__lte=now, ran_at__isnull=True).select_related(
        "authority", "anliegen", "location"
    )
