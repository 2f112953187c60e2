"""Commands of the accommodation room: set up accommodations, place a person, move them, move them out.

Capacity is never exceeded: every command that adds a resident locks the accommodation's row
(``SELECT … FOR UPDATE``) and counts its open placements inside the same transaction, so two staff
members placing the last bed at the same moment are served one after the other and the second is
refused. A person never has two open placements: the database refuses it (partial unique constraint),
and a lost race is answered with the same clear message as the ordinary check.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from willkommen.audit.services import record

from . import selectors
from .models import Accommodation, Placement


class AccommodationError(Exception):
    """A request this room refuses; ``message`` is translated and shown to the user."""

    def __init__(self, message, *, code=""):
        super().__init__(message)
        self.message = message
        self.code = code


def _same_authority(authority, *objects):
    for obj in objects:
        if obj.authority_id != authority.id:
            raise ValueError("object of another authority")


def _day(value):
    # A fixed numeric form: some locales' short formats carry direction marks that scramble it in bidi text.
    return format_date(value, "d.m.Y")


def _check_date(value, *, not_before=None):
    today = timezone.localdate()
    if value > today:
        raise AccommodationError(_("The date must not be in the future."), code="date")
    if not_before is not None and value < not_before:
        raise AccommodationError(
            _("The date must not be before the move-in date (%(date)s).") % {"date": _day(not_before)}, code="date"
        )


def _lock_accommodation(authority, accommodation):
    return Accommodation.objects.select_for_update().get(authority=authority, pk=accommodation.pk)


def _ensure_room(authority, locked):
    """Inside the transaction that holds the accommodation's row lock: refuse when it takes nobody."""
    if not locked.active:
        raise AccommodationError(
            _("%(name)s takes no new residents (inactive).") % {"name": locked.name}, code="inactive"
        )
    if selectors.occupancy(authority, locked) >= locked.capacity:
        message = ngettext(
            "%(name)s is full: its %(capacity)s place is taken.",
            "%(name)s is full: all %(capacity)s places are taken.",
            locked.capacity,
        )
        raise AccommodationError(message % {"name": locked.name, "capacity": locked.capacity}, code="full")


def _already_placed(current):
    return AccommodationError(
        _("This person already lives in %(name)s. Move them from there instead.")
        % {"name": current.accommodation.name},
        code="placed",
    )


def _create_placement(authority, person, accommodation, *, moved_in, unit, placed_by):
    try:
        with transaction.atomic():
            return Placement.objects.create(
                authority=authority,
                person=person,
                accommodation=accommodation,
                unit=unit.strip(),
                moved_in=moved_in,
                placed_by=placed_by if getattr(placed_by, "is_authenticated", False) else None,
            )
    except IntegrityError:
        # Another request placed this person in between (one open placement per person).
        current = selectors.open_placement(authority, person)
        if current is not None:
            raise _already_placed(current) from None
        raise


def save_accommodation(authority, accommodation):
    """Create or change an accommodation. A lower capacity must still hold the current residents."""
    if accommodation.pk is None:
        accommodation.authority = authority
    _same_authority(authority, accommodation)
    with transaction.atomic():
        if accommodation.pk is not None:
            _lock_accommodation(authority, accommodation)
            occupied = selectors.occupancy(authority, accommodation)
            if accommodation.capacity < occupied:
                message = ngettext(
                    "%(count)s person lives here now; the capacity cannot be lower than that.",
                    "%(count)s people live here now; the capacity cannot be lower than that.",
                    occupied,
                )
                raise AccommodationError(message % {"count": occupied}, code="capacity")
        try:
            with transaction.atomic():
                accommodation.save()
        except IntegrityError:
            raise AccommodationError(_("An accommodation with this name already exists."), code="name") from None
    return accommodation


def place(authority, person, accommodation, *, moved_in=None, unit="", placed_by=None, request=None):
    """Give ``person`` a place in ``accommodation`` from ``moved_in`` (default today)."""
    _same_authority(authority, person, accommodation)
    if person.merged_into_id:
        raise AccommodationError(_("This record was merged into another person."), code="merged")
    moved_in = moved_in or timezone.localdate()
    _check_date(moved_in)
    with transaction.atomic():
        locked = _lock_accommodation(authority, accommodation)
        current = selectors.open_placement(authority, person)
        if current is not None:
            raise _already_placed(current)
        _ensure_room(authority, locked)
        placement = _create_placement(authority, person, locked, moved_in=moved_in, unit=unit, placed_by=placed_by)
        record(
            authority=authority,
            action="create",
            person_id=person.pk,
            obj=placement,
            actor=placed_by,
            request=request,
            purpose="accommodation: placed",
            detail=f"accommodation {locked.pk}, moved in {moved_in.isoformat()}",
        )
    return placement


def _lock_open_placement(authority, placement):
    locked = Placement.objects.select_for_update().filter(authority=authority, pk=placement.pk).first()
    if locked is None:
        raise ValueError("placement of another authority")
    if locked.moved_out is not None:
        raise AccommodationError(_("This stay has already ended."), code="closed")
    return locked


def move(authority, placement, accommodation, *, on=None, unit="", placed_by=None, request=None):
    """Move the resident of ``placement`` to ``accommodation`` on ``on`` (default today): the current
    stay ends that day and the new one begins, or nothing changes if the new place is not available."""
    _same_authority(authority, placement, accommodation)
    on = on or timezone.localdate()
    with transaction.atomic():
        old = _lock_open_placement(authority, placement)
        _check_date(on, not_before=old.moved_in)
        old.moved_out = on
        old.save(update_fields=["moved_out"])
        locked = _lock_accommodation(authority, accommodation)
        _ensure_room(authority, locked)
        new = _create_placement(authority, old.person, locked, moved_in=on, unit=unit, placed_by=placed_by)
        record(
            authority=authority,
            action="update",
            person_id=old.person_id,
            obj=new,
            actor=placed_by,
            request=request,
            purpose="accommodation: moved",
            detail=f"accommodation {old.accommodation_id} -> {locked.pk} on {on.isoformat()}",
        )
    return new


def move_out(authority, placement, *, on=None, actor=None, request=None):
    """End the stay of ``placement`` on ``on`` (default today); the place is free from then on."""
    _same_authority(authority, placement)
    on = on or timezone.localdate()
    with transaction.atomic():
        locked = _lock_open_placement(authority, placement)
        _check_date(on, not_before=locked.moved_in)
        locked.moved_out = on
        locked.save(update_fields=["moved_out"])
        record(
            authority=authority,
            action="update",
            person_id=locked.person_id,
            obj=locked,
            actor=actor,
            request=request,
            purpose="accommodation: moved out",
            detail=f"accommodation {locked.accommodation_id}, moved out {on.isoformat()}",
        )
    return locked
