"""Choosing beds under the accommodation's row lock, shared by the commands that place, move and isolate.

Capacity is never exceeded: every command that adds a resident locks the accommodation's row
(``SELECT … FOR UPDATE``, :func:`lock_accommodation`) and counts its open placements inside the same
transaction, so two staff members placing the last bed at the same moment are served one after the other
and the second is refused. A person never has two open placements: the database refuses it (partial unique
constraint), and a lost race is answered with the same clear message as the ordinary check
(:func:`create_placement`).
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from willkommen.audit.services import record

from . import selectors
from .errors import AccommodationError
from .models import Accommodation, Bed, BedKind, Placement, Room


def lock_accommodation(authority, accommodation):
    return Accommodation.objects.select_for_update().get(authority=authority, pk=accommodation.pk)


def ensure_beds(authority, locked):
    """An accommodation without bed rows (set up before beds were rows, or created directly) gets one room
    with ``capacity`` normal beds; called under the accommodation's row lock."""
    if Bed.objects.filter(authority=authority, accommodation=locked).exists():
        return
    add_beds(authority, locked, floor="", name="1", count=max(locked.capacity, 1), kind=BedKind.NORMAL)


def add_beds(authority, accommodation, *, floor, name, count, kind):
    room = Room.objects.create(authority=authority, accommodation=accommodation, floor=floor, name=name)
    beds = Bed.objects.bulk_create(
        Bed(authority=authority, accommodation=accommodation, room=room, label=str(n), kind=kind)
        for n in range(1, count + 1)
    )
    return room, beds


def ensure_room(authority, locked):
    """Inside the transaction that holds the accommodation's row lock: refuse when it takes nobody."""
    if not locked.active:
        raise AccommodationError(
            _("%(name)s takes no new residents (inactive).") % {"name": locked.name}, code="inactive"
        )
    ensure_beds(authority, locked)


def full(locked):
    normal = Bed.objects.filter(accommodation=locked, kind=BedKind.NORMAL, blocked=False).count()
    message = ngettext(
        "%(name)s is full: its %(capacity)s place is taken.",
        "%(name)s is full: all %(capacity)s places are taken.",
        normal,
    )
    return AccommodationError(message % {"name": locked.name, "capacity": normal}, code="full")


def checked_bed(authority, locked, bed, kinds, rules=None):
    """``bed`` re-read under the accommodation's lock; refused unless it is one of ``kinds``, unblocked, free
    and in a room whose rule the household may sleep under."""
    found = selectors.free_beds(authority, locked, kinds, rules).filter(pk=bed.pk).first()
    if found is None:
        raise AccommodationError(_("This bed is not free for this placement."), code="bed")
    return found


def fit(authority, persons):
    """The room rules a household may sleep under and whether one of them is at risk (a room alone first)."""
    rules = selectors.rules_for_persons(persons)
    private = selectors.open_risk_flags(authority, [p.pk for p in persons]).exists()
    return rules, private


def choose_beds(authority, locked, count, kinds, bed=None, persons=()):
    """``count`` free beds of ``kinds`` (the given ``bed`` when one is chosen) for ``persons``, under the
    house's room rules, or ``AccommodationError``."""
    rules, private = fit(authority, persons) if persons else (None, False)
    if bed is not None:
        if bed.authority_id != authority.id or bed.accommodation_id != locked.pk:
            raise AccommodationError(_("This bed is not free for this placement."), code="bed")
        return [checked_bed(authority, locked, bed, kinds, rules)]
    beds = selectors.propose_beds(authority, locked, count, kinds, rules=rules, private=private)
    if len(beds) < count:
        if rules is not None and len(selectors.propose_beds(authority, locked, count, kinds)) == count:
            raise AccommodationError(
                _("%(name)s has free beds, but none in a room this household may sleep in (the house's rules).")
                % {"name": locked.name},
                code="rules",
            )
        raise full(locked)
    return beds


def already_placed(current):
    return AccommodationError(
        _("This person already lives in %(name)s. Move them from there instead.")
        % {"name": current.accommodation.name},
        code="placed",
    )


def create_placement(authority, person, accommodation, *, bed, moved_in, unit, placed_by):
    try:
        with transaction.atomic():
            return Placement.objects.create(
                authority=authority,
                person=person,
                accommodation=accommodation,
                bed=bed,
                unit=(unit.strip() or str(bed))[:50],
                moved_in=moved_in,
                placed_by=placed_by if getattr(placed_by, "is_authenticated", False) else None,
            )
    except IntegrityError:
        # Another request placed this person in between (one open placement per person), or the bed was
        # taken without the accommodation's lock (one open placement per bed): the database refuses both.
        current = selectors.open_placement(authority, person)
        if current is not None:
            raise already_placed(current) from None
        raise AccommodationError(_("This bed is not free for this placement."), code="bed") from None


def audit_placement(authority, placement, *, action, actor, request, purpose, detail):
    record(
        authority=authority,
        action=action,
        person_id=placement.person_id,
        obj=placement,
        actor=actor,
        request=request,
        purpose=purpose,
        detail=detail,
    )


def check_person(authority, person):
    if person.merged_into_id:
        raise AccommodationError(_("This record was merged into another person."), code="merged")
    current = selectors.open_placement(authority, person)
    if current is not None:
        raise already_placed(current)


def lock_open_placement(authority, placement):
    locked = Placement.objects.select_for_update().filter(authority=authority, pk=placement.pk).first()
    if locked is None:
        raise ValueError("placement of another authority")
    if locked.moved_out is not None:
        raise AccommodationError(_("This stay has already ended."), code="closed")
    return locked


def refuse_during_episode(authority, person_id):
    if selectors.open_episode(authority, person_id) is not None:
        raise AccommodationError(_("This person is in isolation or quarantine; end that first."), code="episode")
