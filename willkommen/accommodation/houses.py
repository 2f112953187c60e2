"""Setting up accommodations: the house, its rooms and beds, blocking a bed."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from willkommen.audit.services import record

from .allocation import add_beds, ensure_beds, lock_accommodation
from .errors import AccommodationError, same_authority
from .models import Bed, BedKind, Placement, Room


def save_accommodation(authority, accommodation):
    """Create or change an accommodation. A new one gets ``capacity`` normal beds in one room ("1"); later
    the beds are changed room by room (``add_room``, ``block_bed``), and ``capacity`` follows them."""
    creating = accommodation.pk is None
    if creating:
        accommodation.authority = authority
    same_authority(authority, accommodation)
    with transaction.atomic():
        if not creating:
            locked = lock_accommodation(authority, accommodation)
            accommodation.capacity = locked.capacity  # the number of beds: not an entry any more
        try:
            with transaction.atomic():
                accommodation.save()
        except IntegrityError:
            raise AccommodationError(_("An accommodation with this name already exists."), code="name") from None
        if creating:
            add_beds(authority, accommodation, floor="", name="1", count=accommodation.capacity, kind=BedKind.NORMAL)
    return accommodation


def _count_beds(authority, locked):
    locked.capacity = max(Bed.objects.filter(authority=authority, accommodation=locked).count(), 1)
    locked.save(update_fields=["capacity"])


def add_room(authority, accommodation, *, floor="", name, beds, kind=BedKind.NORMAL, rule="any", actor=None):
    """A new room with ``beds`` beds of ``kind`` (labelled 1, 2, …) under the house's ``rule`` (``RoomRule``:
    who may sleep in it); the capacity grows by as many."""
    from .models import RoomRule

    same_authority(authority, accommodation)
    if kind not in BedKind.values or not 1 <= beds <= 50 or rule not in RoomRule.values:
        raise ValueError("bad kind, rule or number of beds")
    with transaction.atomic():
        locked = lock_accommodation(authority, accommodation)
        ensure_beds(authority, locked)
        if Room.objects.filter(accommodation=locked, floor=floor.strip(), name=name.strip()).exists():
            raise AccommodationError(_("This room already exists on this floor."), code="room")
        room, _beds = add_beds(authority, locked, floor=floor.strip(), name=name.strip(), count=beds, kind=kind)
        if rule != RoomRule.ANY:
            Room.objects.filter(pk=room.pk).update(rule=rule)
            room.rule = rule
        _count_beds(authority, locked)
        record(
            authority=authority,
            action="create",
            obj=room,
            actor=actor,
            purpose="accommodation: room added",
            detail=f"accommodation {locked.pk}: {beds} {kind} beds, rule {rule}",
        )
    return room


def block_bed(authority, bed, *, reason, actor=None):
    """Block a free bed (renovation, damage, kept for someone) with a reason; it counts as neither free nor
    occupied then. A bed somebody sleeps in cannot be blocked."""
    same_authority(authority, bed)
    reason = reason.strip()
    if not reason:
        raise AccommodationError(_("Please give the reason for blocking."), code="reason")
    with transaction.atomic():
        lock_accommodation(authority, bed.accommodation)
        if Placement.objects.filter(bed=bed, moved_out__isnull=True).exists():
            raise AccommodationError(_("Somebody sleeps in this bed; move them first."), code="occupied")
        Bed.objects.filter(pk=bed.pk).update(blocked=True, blocked_reason=reason[:200])
        record(authority=authority, action="update", obj=bed, actor=actor, purpose="accommodation: bed blocked")


def unblock_bed(authority, bed, *, actor=None):
    same_authority(authority, bed)
    with transaction.atomic():
        lock_accommodation(authority, bed.accommodation)
        Bed.objects.filter(pk=bed.pk).update(blocked=False, blocked_reason="")
        record(authority=authority, action="update", obj=bed, actor=actor, purpose="accommodation: bed unblocked")
