"""Usage times of shared rooms (issue 19 item 5): kitchens, washrooms and laundries, their weekly times per
floor or room, and telling the residents concerned once the changes are published.

The notice's words come from the messaging room's template store (key ``accommodation_usage_times``): the
authority's administrator edits them at ``/desk/messaging/templates/``; each resident gets the text in their
language, else the German one with the translation note (``messaging.texts.render``)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from willkommen.audit.services import record

from . import selectors
from .allocation import lock_accommodation
from .errors import AccommodationError, same_authority
from .models import SharedRoom, SharedRoomKind, UsageChange, UsageSlot, Weekday

NOTICE_KEY = "accommodation_usage_times"


def add_shared_room(authority, accommodation, *, kind, name, floor="", actor=None):
    """A kitchen, washroom or laundry of the house; its name is unique in the house (the same room again –
    a double submit – is answered with the existing one)."""
    same_authority(authority, accommodation)
    if kind not in SharedRoomKind.values:
        raise ValueError("bad kind")
    name = name.strip()
    with transaction.atomic():
        locked = lock_accommodation(authority, accommodation)
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
    same_authority(authority, shared_room)
    with transaction.atomic():
        locked = SharedRoom.objects.select_for_update().filter(authority=authority, pk=shared_room.pk).first()
        if locked is None:
            return
        for slot in locked.slots.all():
            _note_change(authority, locked.accommodation_id, slot)
        record(authority=authority, action="delete", obj=locked, actor=actor, purpose="accommodation: shared room")
        locked.delete()


def _note_change(authority, accommodation_id, slot):
    UsageChange.objects.create(
        authority=authority, accommodation_id=accommodation_id, floor=slot.floor, room_id=slot.room_id
    )


def _check_slot(authority, shared_room, *, weekday, starts_at, ends_at, floor, room):
    """Refuse a usage time whose weekday, times or target (a floor or a room of the same house) are wrong."""
    if weekday not in Weekday.values:
        raise ValueError("bad weekday")
    if ends_at <= starts_at:
        raise AccommodationError(_("The end must be after the start."), code="time")
    if bool(floor) == (room is not None):
        raise AccommodationError(_("Choose either a floor or a room."), code="target")
    if room is not None:
        same_authority(authority, room)
        if room.accommodation_id != shared_room.accommodation_id:
            raise AccommodationError(_("This room is in another accommodation."), code="target")


def _overlap(locked, clash):
    return AccommodationError(
        _("%(room)s is already taken on %(day)s from %(start)s to %(end)s (%(target)s).")
        % {
            "room": locked.name,
            "day": Weekday(clash.weekday).label,
            "start": clash.starts_at.strftime("%H:%M"),
            "end": clash.ends_at.strftime("%H:%M"),
            "target": clash.target,
        },
        code="overlap",
    )


def add_slot(authority, shared_room, *, weekday, starts_at, ends_at, floor="", room=None, actor=None):
    """A weekly usage time of ``shared_room`` for one floor or one room. Times of one shared room on one
    weekday never overlap: checked under the shared room's row lock, so two staff members adding times at
    once are served one after the other. The very same time again (a double submit) returns the existing
    slot."""
    same_authority(authority, shared_room)
    floor = floor.strip()
    times = {"weekday": weekday, "starts_at": starts_at, "ends_at": ends_at}
    _check_slot(authority, shared_room, **times, floor=floor, room=room)
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
        if clash is not None:
            same = (clash.starts_at, clash.ends_at, clash.floor, clash.room_id)
            if same == (starts_at, ends_at, floor, room.pk if room is not None else None):
                return clash  # the same time again (a double submit): nothing changes
            raise _overlap(locked, clash)
        slot = UsageSlot.objects.create(authority=authority, shared_room=locked, **times, floor=floor, room=room)
        _note_change(authority, locked.accommodation_id, slot)
        record(authority=authority, action="create", obj=slot, actor=actor, purpose="accommodation: usage time")
    return slot


def remove_slot(authority, slot, *, actor=None):
    """Remove a usage time (a second submit finds nothing to remove)."""
    same_authority(authority, slot)
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

    same_authority(authority, accommodation)
    with transaction.atomic():
        locked = lock_accommodation(authority, accommodation)
        changes = list(UsageChange.objects.filter(authority=authority, accommodation=locked, published_at__isnull=True))
        if not changes:
            return 0
        floors = {c.floor for c in changes if c.floor}
        rooms = {c.room_id for c in changes if c.room_id}
        residents = selectors.residents_of(authority, locked, floors=floors, room_ids=rooms)
        batch = max(c.pk for c in changes)
        for person in residents:
            subject, body, language = usage_notice_text(authority, locked, person)
            send_message(
                authority,
                person=person,
                subject=subject,
                body=body,
                language=language,
                template_key=NOTICE_KEY,
                author=actor,
                idempotency_key=f"usage-{locked.pk}-{batch}-{person.pk}",
            )
        UsageChange.objects.filter(pk__in=[c.pk for c in changes]).update(published_at=timezone.now())
        record(
            authority=authority,
            action="update",
            obj=locked,
            actor=actor,
            purpose="accommodation: usage times published",
            detail=f"{len(residents)} residents told",
        )
    return len(residents)


def usage_notice_text(authority, accommodation, person):
    """(subject, body, language) of the notice about changed usage times for ``person``: the authority's
    text in force in the template store, in the person's language, else in German with the translation
    note."""
    from willkommen.messaging.services import render_template

    values = {"name": person.full_name, "accommodation": accommodation.name, "authority": authority.name}
    return render_template(authority, NOTICE_KEY, person.preferred_language or "de", values)
