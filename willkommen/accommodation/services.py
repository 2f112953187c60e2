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
from .models import (
    Accommodation,
    Bed,
    BedKind,
    EpisodeKind,
    IsolationEpisode,
    MoveOutReason,
    Placement,
    Room,
    SupplyCheck,
)


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


def _ensure_beds(authority, locked):
    """An accommodation without bed rows (set up before beds were rows, or created directly) gets one room
    with ``capacity`` normal beds; called under the accommodation's row lock."""
    if Bed.objects.filter(authority=authority, accommodation=locked).exists():
        return
    _add_beds(authority, locked, floor="", name="1", count=max(locked.capacity, 1), kind=BedKind.NORMAL)


def _add_beds(authority, accommodation, *, floor, name, count, kind):
    room = Room.objects.create(authority=authority, accommodation=accommodation, floor=floor, name=name)
    beds = Bed.objects.bulk_create(
        Bed(authority=authority, accommodation=accommodation, room=room, label=str(n), kind=kind)
        for n in range(1, count + 1)
    )
    return room, beds


def _ensure_room(authority, locked):
    """Inside the transaction that holds the accommodation's row lock: refuse when it takes nobody."""
    if not locked.active:
        raise AccommodationError(
            _("%(name)s takes no new residents (inactive).") % {"name": locked.name}, code="inactive"
        )
    _ensure_beds(authority, locked)


def _full(locked):
    normal = Bed.objects.filter(accommodation=locked, kind=BedKind.NORMAL, blocked=False).count()
    message = ngettext(
        "%(name)s is full: its %(capacity)s place is taken.",
        "%(name)s is full: all %(capacity)s places are taken.",
        normal,
    )
    return AccommodationError(message % {"name": locked.name, "capacity": normal}, code="full")


def _checked_bed(authority, locked, bed, kinds, rules=None):
    """``bed`` re-read under the accommodation's lock; refused unless it is one of ``kinds``, unblocked, free
    and in a room whose rule the household may sleep under."""
    found = selectors.free_beds(authority, locked, kinds, rules).filter(pk=bed.pk).first()
    if found is None:
        raise AccommodationError(_("This bed is not free for this placement."), code="bed")
    return found


def _fit(authority, persons):
    """The room rules a household may sleep under and whether one of them is at risk (a room alone first)."""
    rules = selectors.rules_for_persons(persons)
    private = selectors.open_risk_flags(authority, [p.pk for p in persons]).exists()
    return rules, private


def _choose_beds(authority, locked, count, kinds, bed=None, persons=()):
    """``count`` free beds of ``kinds`` (the given ``bed`` when one is chosen) for ``persons``, under the
    house's room rules, or ``AccommodationError``."""
    rules, private = _fit(authority, persons) if persons else (None, False)
    if bed is not None:
        if bed.authority_id != authority.id or bed.accommodation_id != locked.pk:
            raise AccommodationError(_("This bed is not free for this placement."), code="bed")
        return [_checked_bed(authority, locked, bed, kinds, rules)]
    beds = selectors.propose_beds(authority, locked, count, kinds, rules=rules, private=private)
    if len(beds) < count:
        if rules is not None and len(selectors.propose_beds(authority, locked, count, kinds)) == count:
            raise AccommodationError(
                _("%(name)s has free beds, but none in a room this household may sleep in (the house's rules).")
                % {"name": locked.name},
                code="rules",
            )
        raise _full(locked)
    return beds


def _already_placed(current):
    return AccommodationError(
        _("This person already lives in %(name)s. Move them from there instead.")
        % {"name": current.accommodation.name},
        code="placed",
    )


def _create_placement(authority, person, accommodation, *, bed, moved_in, unit, placed_by):
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
            raise _already_placed(current) from None
        raise AccommodationError(_("This bed is not free for this placement."), code="bed") from None


def save_accommodation(authority, accommodation):
    """Create or change an accommodation. A new one gets ``capacity`` normal beds in one room ("1"); later
    the beds are changed room by room (``add_room``, ``block_bed``), and ``capacity`` follows them."""
    creating = accommodation.pk is None
    if creating:
        accommodation.authority = authority
    _same_authority(authority, accommodation)
    with transaction.atomic():
        if not creating:
            locked = _lock_accommodation(authority, accommodation)
            accommodation.capacity = locked.capacity  # the number of beds: not an entry any more
        try:
            with transaction.atomic():
                accommodation.save()
        except IntegrityError:
            raise AccommodationError(_("An accommodation with this name already exists."), code="name") from None
        if creating:
            _add_beds(authority, accommodation, floor="", name="1", count=accommodation.capacity, kind=BedKind.NORMAL)
    return accommodation


def _count_beds(authority, locked):
    locked.capacity = max(Bed.objects.filter(authority=authority, accommodation=locked).count(), 1)
    locked.save(update_fields=["capacity"])


def add_room(authority, accommodation, *, floor="", name, beds, kind=BedKind.NORMAL, rule="any", actor=None):
    """A new room with ``beds`` beds of ``kind`` (labelled 1, 2, …) under the house's ``rule`` (``RoomRule``:
    who may sleep in it); the capacity grows by as many."""
    from .models import RoomRule

    _same_authority(authority, accommodation)
    if kind not in BedKind.values or not 1 <= beds <= 50 or rule not in RoomRule.values:
        raise ValueError("bad kind, rule or number of beds")
    with transaction.atomic():
        locked = _lock_accommodation(authority, accommodation)
        _ensure_beds(authority, locked)
        if Room.objects.filter(accommodation=locked, floor=floor.strip(), name=name.strip()).exists():
            raise AccommodationError(_("This room already exists on this floor."), code="room")
        room, _beds = _add_beds(authority, locked, floor=floor.strip(), name=name.strip(), count=beds, kind=kind)
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
    _same_authority(authority, bed)
    reason = reason.strip()
    if not reason:
        raise AccommodationError(_("Please give the reason for blocking."), code="reason")
    with transaction.atomic():
        _lock_accommodation(authority, bed.accommodation)
        if Placement.objects.filter(bed=bed, moved_out__isnull=True).exists():
            raise AccommodationError(_("Somebody sleeps in this bed; move them first."), code="occupied")
        Bed.objects.filter(pk=bed.pk).update(blocked=True, blocked_reason=reason[:200])
        record(authority=authority, action="update", obj=bed, actor=actor, purpose="accommodation: bed blocked")


def unblock_bed(authority, bed, *, actor=None):
    _same_authority(authority, bed)
    with transaction.atomic():
        _lock_accommodation(authority, bed.accommodation)
        Bed.objects.filter(pk=bed.pk).update(blocked=False, blocked_reason="")
        record(authority=authority, action="update", obj=bed, actor=actor, purpose="accommodation: bed unblocked")


def _audit_placement(authority, placement, *, action, actor, request, purpose, detail):
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


def _check_person(authority, person):
    if person.merged_into_id:
        raise AccommodationError(_("This record was merged into another person."), code="merged")
    current = selectors.open_placement(authority, person)
    if current is not None:
        raise _already_placed(current)


def place(authority, person, accommodation, *, bed=None, moved_in=None, unit="", placed_by=None, request=None):
    """Give ``person`` a normal bed in ``accommodation`` from ``moved_in`` (default today): ``bed`` if given
    and free, else the first free normal bed. Reserve, isolation and quarantine beds are never used here."""
    _same_authority(authority, person, accommodation)
    if person.merged_into_id:
        raise AccommodationError(_("This record was merged into another person."), code="merged")
    moved_in = moved_in or timezone.localdate()
    _check_date(moved_in)
    with transaction.atomic():
        locked = _lock_accommodation(authority, accommodation)
        _check_person(authority, person)
        _ensure_room(authority, locked)
        (chosen,) = _choose_beds(authority, locked, 1, [BedKind.NORMAL], bed=bed, persons=[person])
        placement = _create_placement(
            authority, person, locked, bed=chosen, moved_in=moved_in, unit=unit, placed_by=placed_by
        )
        _audit_placement(
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
    _same_authority(authority, accommodation, *persons)
    moved_in = moved_in or timezone.localdate()
    _check_date(moved_in)
    with transaction.atomic():
        locked = _lock_accommodation(authority, accommodation)
        for person in persons:
            _check_person(authority, person)
        _ensure_room(authority, locked)
        beds = _choose_beds(authority, locked, len(persons), [BedKind.NORMAL], persons=persons)
        placements = []
        for person, bed in zip(persons, beds, strict=True):
            placement = _create_placement(
                authority, person, locked, bed=bed, moved_in=moved_in, unit="", placed_by=placed_by
            )
            _audit_placement(
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


def _lock_open_placement(authority, placement):
    locked = Placement.objects.select_for_update().filter(authority=authority, pk=placement.pk).first()
    if locked is None:
        raise ValueError("placement of another authority")
    if locked.moved_out is not None:
        raise AccommodationError(_("This stay has already ended."), code="closed")
    return locked


def _refuse_during_episode(authority, person_id):
    if selectors.open_episode(authority, person_id) is not None:
        raise AccommodationError(_("This person is in isolation or quarantine; end that first."), code="episode")


def move(authority, placement, accommodation, *, bed=None, on=None, unit="", placed_by=None, request=None):
    """Move the resident of ``placement`` to a normal bed of ``accommodation`` on ``on`` (default today): the
    current stay ends that day and the new one begins, or nothing changes if no bed is available."""
    _same_authority(authority, placement, accommodation)
    on = on or timezone.localdate()
    with transaction.atomic():
        old = _lock_open_placement(authority, placement)
        _check_date(on, not_before=old.moved_in)
        _refuse_during_episode(authority, old.person_id)
        old.moved_out = on
        old.save(update_fields=["moved_out"])
        locked = _lock_accommodation(authority, accommodation)
        _ensure_room(authority, locked)
        (chosen,) = _choose_beds(authority, locked, 1, [BedKind.NORMAL], bed=bed, persons=[old.person])
        new = _create_placement(authority, old.person, locked, bed=chosen, moved_in=on, unit=unit, placed_by=placed_by)
        _audit_placement(
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
    _same_authority(authority, placement)
    if to and to not in MoveOutReason.values:
        raise ValueError("unknown move-out reason")
    on = on or timezone.localdate()
    with transaction.atomic():
        locked = _lock_open_placement(authority, placement)
        _check_date(on, not_before=locked.moved_in)
        locked.moved_out = on
        locked.moved_out_to = to
        locked.save(update_fields=["moved_out", "moved_out_to"])
        IsolationEpisode.objects.filter(
            authority=authority, person_id=locked.person_id, ended_on__isnull=True, placement=locked
        ).update(ended_on=on)
        _audit_placement(
            authority,
            locked,
            action="update",
            actor=actor,
            request=request,
            purpose="accommodation: moved out",
            detail=f"accommodation {locked.accommodation_id}, moved out {on.isoformat()}" + (f" to {to}" if to else ""),
        )
    return locked


# --- isolation and quarantine -------------------------------------------------------------------------


def _episode_kinds(kind):
    """The beds an episode of ``kind`` may take, in order: its own kind, then the emergency reserve."""
    return [kind, BedKind.RESERVE]


def isolate(authority, placement, *, kind, reason, planned_end, starts_on=None, bed=None, actor=None, request=None):
    """Move the resident of ``placement`` to a free isolation or quarantine bed (``kind``) of the same
    accommodation – ``bed`` if given, else one of that kind, else an emergency reserve bed – from
    ``starts_on`` (default today) until ``planned_end``, when they move back."""
    _same_authority(authority, placement)
    if kind not in EpisodeKind.values:
        raise ValueError("unknown episode kind")
    reason = reason.strip()
    if not reason:
        raise AccommodationError(_("Please give the reason."), code="reason")
    starts_on = starts_on or timezone.localdate()
    _check_date(starts_on)
    if planned_end <= max(starts_on, timezone.localdate()):
        raise AccommodationError(_("The planned end must be after today and after the start."), code="end")
    with transaction.atomic():
        old = _lock_open_placement(authority, placement)
        _check_date(starts_on, not_before=old.moved_in)
        _refuse_during_episode(authority, old.person_id)
        locked = _lock_accommodation(authority, old.accommodation)
        _ensure_beds(authority, locked)
        chosen = _choose_episode_bed(authority, locked, kind, bed, old.person)
        old.moved_out = starts_on
        old.save(update_fields=["moved_out"])
        new = _create_placement(authority, old.person, locked, bed=chosen, moved_in=starts_on, unit="", placed_by=actor)
        try:
            with transaction.atomic():
                episode = IsolationEpisode.objects.create(
                    authority=authority,
                    person_id=old.person_id,
                    kind=kind,
                    reason=reason[:200],
                    starts_on=starts_on,
                    planned_end=planned_end,
                    accommodation=locked,
                    bed=chosen,
                    home_bed_id=old.bed_id,
                    placement=new,
                    created_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
        except IntegrityError:
            raise AccommodationError(
                _("This person is in isolation or quarantine; end that first."), code="episode"
            ) from None
        record(
            authority=authority,
            action="create",
            person_id=old.person_id,
            obj=episode,
            actor=actor,
            request=request,
            purpose=f"accommodation: {kind} started",
            detail=f"bed {old.bed_id} -> {chosen.pk}, {starts_on.isoformat()} until {planned_end.isoformat()}",
        )
    return episode


def _choose_episode_bed(authority, locked, kind, bed, person):
    if bed is not None:
        return _choose_beds(authority, locked, 1, _episode_kinds(kind), bed=bed, persons=[person])[0]
    rules = selectors.rules_for_persons([person])
    for kinds in ([kind], [BedKind.RESERVE]):
        found = selectors.propose_beds(authority, locked, 1, kinds, rules=rules)
        if found:
            return found[0]
    raise AccommodationError(
        _("%(name)s has no free isolation, quarantine or reserve bed.") % {"name": locked.name}, code="no_bed"
    )


def _lock_open_episode(authority, episode):
    locked = IsolationEpisode.objects.select_for_update().filter(authority=authority, pk=episode.pk).first()
    if locked is None:
        raise ValueError("episode of another authority")
    if locked.ended_on is not None:
        raise AccommodationError(_("This isolation or quarantine has already ended."), code="ended")
    return locked


def extend_episode(authority, episode, *, planned_end, actor=None, request=None):
    """A new planned end (after today): the episode goes on until then."""
    _same_authority(authority, episode)
    with transaction.atomic():
        locked = _lock_open_episode(authority, episode)
        today = timezone.localdate()
        if locked.planned_end <= today:
            raise AccommodationError(_("This isolation or quarantine has already ended."), code="ended")
        if planned_end <= today:
            raise AccommodationError(_("The planned end must be after today and after the start."), code="end")
        previous = locked.planned_end
        locked.planned_end = planned_end
        locked.save(update_fields=["planned_end"])
        record(
            authority=authority,
            action="update",
            person_id=locked.person_id,
            obj=locked,
            actor=actor,
            request=request,
            purpose="accommodation: episode extended",
            detail=f"{previous.isoformat()} -> {planned_end.isoformat()}",
        )
    return locked


def end_episode(authority, episode, *, on=None, actor=None, request=None):
    """End the episode on ``on`` (default today): the resident moves back to their bed if it is still free,
    else to another free normal bed of the house; if none is free they stay where they are (the episode
    ends all the same). Returns the episode; ``moved_back`` tells whether the isolation bed is free."""
    _same_authority(authority, episode)
    on = on or timezone.localdate()
    with transaction.atomic():
        locked = _lock_open_episode(authority, episode)
        _check_date(on, not_before=locked.starts_on)
        locked.ended_on = on
        locked.save(update_fields=["ended_on"])
        moved_back = False
        stay = Placement.objects.select_for_update().filter(pk=locked.placement_id, moved_out__isnull=True).first()
        if stay is not None:
            house = _lock_accommodation(authority, stay.accommodation)
            target = None
            rules, private = _fit(authority, [stay.person])
            if locked.home_bed_id is not None:
                home = selectors.free_beds(authority, house, [BedKind.NORMAL], rules)
                target = home.filter(pk=locked.home_bed_id).first()
            if target is None:
                proposal = selectors.propose_beds(authority, house, 1, [BedKind.NORMAL], rules=rules, private=private)
                target = proposal[0] if proposal else None
            if target is not None:
                stay.moved_out = max(on, stay.moved_in)
                stay.save(update_fields=["moved_out"])
                _create_placement(
                    authority, stay.person, house, bed=target, moved_in=stay.moved_out, unit="", placed_by=actor
                )
                moved_back = True
        record(
            authority=authority,
            action="update",
            person_id=locked.person_id,
            obj=locked,
            actor=actor,
            request=request,
            purpose=f"accommodation: {locked.kind} ended",
            detail=f"on {on.isoformat()}" + (", moved back" if moved_back else ", stays on the bed"),
        )
    locked.moved_back = moved_back
    return locked


def end_due_episodes(today=None):
    """The periodic job's work: every open episode whose planned end has come ends on that day. Returns the
    number ended; one episode's failure does not stop the others (each has its own transaction)."""
    import logging

    today = today or timezone.localdate()
    ended = 0
    due = IsolationEpisode.objects.filter(ended_on__isnull=True, planned_end__lte=today).select_related("authority")
    for episode in due.order_by("planned_end", "pk").iterator():
        try:
            end_episode(episode.authority, episode, on=min(episode.planned_end, today))
        except AccommodationError:
            continue  # ended in between by somebody else
        except Exception:
            logging.getLogger(__name__).exception("ending episode %s failed", episode.pk)
            continue
        ended += 1
    return ended


def record_supplies(authority, episode, *, meals, medicine, contact, note="", day=None, actor=None, request=None):
    """Today's (or ``day``'s) supplies checklist of a resident in isolation or quarantine: saved once per
    day, a second submit of the same day changes that day's entry (who and when are the last)."""
    _same_authority(authority, episode)
    day = day or timezone.localdate()
    _check_date(day, not_before=episode.starts_on)
    with transaction.atomic():
        locked = IsolationEpisode.objects.select_for_update().get(authority=authority, pk=episode.pk)
        if day >= (locked.ended_on or locked.planned_end):  # past the planned end: ended for the selectors too
            raise AccommodationError(_("This isolation or quarantine has already ended."), code="ended")
        check, created = SupplyCheck.objects.update_or_create(
            episode=locked,
            day=day,
            defaults={
                "authority": authority,
                "meals": bool(meals),
                "medicine": bool(medicine),
                "contact": bool(contact),
                "note": note.strip()[:300],
                "done_by": actor if getattr(actor, "is_authenticated", False) else None,
                "done_at": timezone.now(),
            },
        )
        record(
            authority=authority,
            action="create" if created else "update",
            person_id=locked.person_id,
            obj=check,
            actor=actor,
            request=request,
            purpose="accommodation: supplies checked",
            detail=f"{day.isoformat()}: meals {meals}, medicine {medicine}, contact {contact}",
        )
    return check


# Usage times of shared rooms (issue 19 item 5) ------------------------------------------------------------


def add_shared_room(authority, accommodation, *, kind, name, floor="", actor=None):
    """A kitchen, washroom or laundry of the house; its name is unique in the house (the same room again –
    a double submit – is answered with the existing one)."""
    from .models import SharedRoom, SharedRoomKind

    _same_authority(authority, accommodation)
    if kind not in SharedRoomKind.values:
        raise ValueError("bad kind")
    name = name.strip()
    with transaction.atomic():
        locked = _lock_accommodation(authority, accommodation)
        same = SharedRoom.objects.filter(accommodation=locked, name=name).first()
        if same is not None and (same.kind, same.floor) == (kind, floor.strip()):
            return same  # a double submit: nothing changes
        if same is not None:
            raise AccommodationError(_("A shared room with this name already exists."), code="name")
        shared = SharedRoom.objects.create(
            authority=authority, accommodation=locked, kind=kind, name=name, floor=floor.strip()
        )
        record(authority=authority, action="create", obj=shared, actor=actor, purpose="accommodation: shared room")
    return shared


def remove_shared_room(authority, shared_room, *, actor=None):
    """Remove a shared room with its usage times; the floors and rooms it served are told on publishing."""
    from .models import SharedRoom

    _same_authority(authority, shared_room)
    with transaction.atomic():
        locked = SharedRoom.objects.select_for_update().filter(authority=authority, pk=shared_room.pk).first()
        if locked is None:
            return
        for slot in locked.slots.all():
            _note_change(authority, locked.accommodation_id, slot)
        record(authority=authority, action="delete", obj=locked, actor=actor, purpose="accommodation: shared room")
        locked.delete()


def _note_change(authority, accommodation_id, slot):
    from .models import UsageChange

    UsageChange.objects.create(
        authority=authority, accommodation_id=accommodation_id, floor=slot.floor, room_id=slot.room_id
    )


def add_slot(authority, shared_room, *, weekday, starts_at, ends_at, floor="", room=None, actor=None):
    """A weekly usage time of ``shared_room`` for one floor or one room. Times of one shared room on one
    weekday never overlap: checked under the shared room's row lock, so two staff members adding times at
    once are served one after the other. The very same time again (a double submit) returns the existing
    slot."""
    from .models import SharedRoom, UsageSlot, Weekday

    _same_authority(authority, shared_room)
    floor = floor.strip()
    if weekday not in Weekday.values:
        raise ValueError("bad weekday")
    if ends_at <= starts_at:
        raise AccommodationError(_("The end must be after the start."), code="time")
    if bool(floor) == (room is not None):
        raise AccommodationError(_("Choose either a floor or a room."), code="target")
    if room is not None:
        _same_authority(authority, room)
        if room.accommodation_id != shared_room.accommodation_id:
            raise AccommodationError(_("This room is in another accommodation."), code="target")
    with transaction.atomic():
        locked = SharedRoom.objects.select_for_update().filter(authority=authority, pk=shared_room.pk).first()
        if locked is None:
            raise AccommodationError(_("This shared room no longer exists."), code="gone")
        clash = (
            UsageSlot.objects.filter(
                authority=authority, shared_room=locked, weekday=weekday, starts_at__lt=ends_at, ends_at__gt=starts_at
            )
            .select_related("room")
            .first()
        )
        if clash is not None and (clash.starts_at, clash.ends_at, clash.floor, clash.room_id) == (
            starts_at,
            ends_at,
            floor,
            room.pk if room is not None else None,
        ):
            return clash  # the same time again (a double submit): nothing changes
        if clash is not None:
            raise AccommodationError(
                _("%(room)s is already taken on %(day)s from %(start)s to %(end)s (%(target)s).")
                % {
                    "room": locked.name,
                    "day": Weekday(weekday).label,
                    "start": clash.starts_at.strftime("%H:%M"),
                    "end": clash.ends_at.strftime("%H:%M"),
                    "target": clash.target,
                },
                code="overlap",
            )
        slot = UsageSlot.objects.create(
            authority=authority,
            shared_room=locked,
            weekday=weekday,
            starts_at=starts_at,
            ends_at=ends_at,
            floor=floor,
            room=room,
        )
        _note_change(authority, locked.accommodation_id, slot)
        record(authority=authority, action="create", obj=slot, actor=actor, purpose="accommodation: usage time")
    return slot


def remove_slot(authority, slot, *, actor=None):
    """Remove a usage time (a second submit finds nothing to remove)."""
    from .models import UsageSlot

    _same_authority(authority, slot)
    with transaction.atomic():
        locked = (
            UsageSlot.objects.select_for_update()
            .filter(authority=authority, pk=slot.pk)
            .select_related("shared_room")
            .first()
        )
        if locked is None:
            return
        _note_change(authority, locked.shared_room.accommodation_id, locked)
        record(authority=authority, action="delete", obj=locked, actor=actor, purpose="accommodation: usage time")
        locked.delete()


def publish_usage_changes(authority, accommodation, *, actor=None):
    """Tell the residents concerned by the unpublished changes of the usage times – those living on a
    changed floor or in a changed room – once, each in their language, through the messaging room (its
    delivery is queued after commit). Returns the number of residents told; a second submit tells nobody."""
    from willkommen.messaging.services import send_message

    from .models import UsageChange

    _same_authority(authority, accommodation)
    with transaction.atomic():
        locked = _lock_accommodation(authority, accommodation)
        changes = list(UsageChange.objects.filter(authority=authority, accommodation=locked, published_at__isnull=True))
        if not changes:
            return 0
        floors = {c.floor for c in changes if c.floor}
        rooms = {c.room_id for c in changes if c.room_id}
        residents = selectors.residents_of(authority, locked, floors=floors, room_ids=rooms)
        now = timezone.now()
        batch = max(c.pk for c in changes)
        for person in residents:
            subject, body, language = usage_notice_text(locked, person.preferred_language)
            send_message(
                authority,
                person=person,
                subject=subject,
                body=body,
                language=language,
                author=actor,
                idempotency_key=f"usage-{locked.pk}-{batch}-{person.pk}",
            )
        UsageChange.objects.filter(pk__in=[c.pk for c in changes]).update(published_at=now)
        record(
            authority=authority,
            action="update",
            obj=locked,
            actor=actor,
            purpose="accommodation: usage times published",
            detail=f"{len(residents)} residents told",
        )
    return len(residents)


def usage_notice_text(accommodation, language):
    """(subject, body, language) of the notice about changed usage times, in ``language`` if it is one of
    the site's languages, else in German."""
    from django.conf import settings
    from django.utils import translation

    if language not in dict(settings.LANGUAGES):
        language = "de"
    with translation.override(language):
        subject = _("New usage times for the shared rooms")
        body = _(
            "The usage times of the kitchen, washroom or laundry for your floor or room in %(name)s have "
            "changed. The new plan hangs on the wall; the house management will answer your questions."
        ) % {"name": accommodation.name}
    return subject, body, language
