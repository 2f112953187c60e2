"""Placing a person or a household on normal beds, moving them, moving them out (see ``allocation.py`` for
how a bed is chosen under the accommodation's row lock)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .allocation import (
    audit_placement,
    check_person,
    choose_beds,
    create_placement,
    ensure_room,
    lock_accommodation,
    lock_open_placement,
    refuse_during_episode,
)
from .errors import AccommodationError, check_date, same_authority
from .models import BedKind, IsolationEpisode, MoveOutReason


def place(authority, person, accommodation, *, bed=None, moved_in=None, unit="", placed_by=None, request=None):
    """Give ``person`` a normal bed in ``accommodation`` from ``moved_in`` (default today): ``bed`` if given
    and free, else the first free normal bed. Reserve, isolation and quarantine beds are never used here."""
    same_authority(authority, person, accommodation)
    if person.merged_into_id:
        raise AccommodationError(_("This record was merged into another person."), code="merged")
    moved_in = moved_in or timezone.localdate()
    check_date(moved_in)
    with transaction.atomic():
        locked = lock_accommodation(authority, accommodation)
        check_person(authority, person)
        ensure_room(authority, locked)
        (chosen,) = choose_beds(authority, locked, 1, [BedKind.NORMAL], bed=bed, persons=[person])
        placement = create_placement(
            authority, person, locked, bed=chosen, moved_in=moved_in, unit=unit, placed_by=placed_by
        )
        audit_placement(
            authority,
            placement,
            action="create",
            actor=placed_by,
            request=request,
            purpose="accommodation: placed",
            detail=f"accommodation {locked.pk}, bed {chosen.pk}, moved in {moved_in.isoformat()}",
        )
    return placement


def place_household(authority, persons, accommodation, *, moved_in=None, placed_by=None, request=None):
    """Place the members of one household together: in one room with enough free normal beds if there is
    one (the smallest that fits), else in as few rooms as possible. All or nobody."""
    persons = list(persons)
    if not persons or len({p.pk for p in persons}) != len(persons):
        raise ValueError("a household is a non-empty list of different persons")
    same_authority(authority, accommodation, *persons)
    moved_in = moved_in or timezone.localdate()
    check_date(moved_in)
    with transaction.atomic():
        locked = lock_accommodation(authority, accommodation)
        for person in persons:
            check_person(authority, person)
        ensure_room(authority, locked)
        beds = choose_beds(authority, locked, len(persons), [BedKind.NORMAL], persons=persons)
        placements = []
        for person, bed in zip(persons, beds, strict=True):
            placement = create_placement(
                authority, person, locked, bed=bed, moved_in=moved_in, unit="", placed_by=placed_by
            )
            audit_placement(
                authority,
                placement,
                action="create",
                actor=placed_by,
                request=request,
                purpose="accommodation: placed (household)",
                detail=f"accommodation {locked.pk}, bed {bed.pk}, moved in {moved_in.isoformat()}",
            )
            placements.append(placement)
    return placements


def move(authority, placement, accommodation, *, bed=None, on=None, unit="", placed_by=None, request=None):
    """Move the resident of ``placement`` to a normal bed of ``accommodation`` on ``on`` (default today): the
    current stay ends that day and the new one begins, or nothing changes if no bed is available."""
    same_authority(authority, placement, accommodation)
    on = on or timezone.localdate()
    with transaction.atomic():
        old = lock_open_placement(authority, placement)
        check_date(on, not_before=old.moved_in)
        refuse_during_episode(authority, old.person_id)
        old.moved_out = on
        old.save(update_fields=["moved_out"])
        locked = lock_accommodation(authority, accommodation)
        ensure_room(authority, locked)
        (chosen,) = choose_beds(authority, locked, 1, [BedKind.NORMAL], bed=bed, persons=[old.person])
        new = create_placement(authority, old.person, locked, bed=chosen, moved_in=on, unit=unit, placed_by=placed_by)
        audit_placement(
            authority,
            new,
            action="update",
            actor=placed_by,
            request=request,
            purpose="accommodation: moved",
            detail=f"accommodation {old.accommodation_id} -> {locked.pk}, bed {chosen.pk} on {on.isoformat()}",
        )
    return new


def move_out(authority, placement, *, on=None, to="", actor=None, request=None):
    """End the stay of ``placement`` on ``on`` (default today), moving ``to`` (a ``MoveOutReason``, e.g.
    follow-up housing); the bed is free from then on. An open isolation or quarantine episode of the person
    ends the same day."""
    same_authority(authority, placement)
    if to and to not in MoveOutReason.values:
        raise ValueError("unknown move-out reason")
    on = on or timezone.localdate()
    with transaction.atomic():
        locked = lock_open_placement(authority, placement)
        check_date(on, not_before=locked.moved_in)
        locked.moved_out = on
        locked.moved_out_to = to
        locked.save(update_fields=["moved_out", "moved_out_to"])
        IsolationEpisode.objects.filter(
            authority=authority, person_id=locked.person_id, ended_on__isnull=True, placement=locked
        ).update(ended_on=on)
        audit_placement(
            authority,
            locked,
            action="update",
            actor=actor,
            request=request,
            purpose="accommodation: moved out",
            detail=f"accommodation {locked.accommodation_id}, moved out {on.isoformat()}" + (f" to {to}" if to else ""),
        )
    return locked
