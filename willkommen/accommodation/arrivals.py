"""Arrivals (issue 19 item 6): households that the state's central reception authority allocates to the
authority, announced before they come. An announcement is keyed by the allocation number: announcing the
same number again changes the announcement while it is open (the expected day moved) and is refused once
the household has been placed or the announcement cancelled. Placing the household goes through
``services.place_household`` (beds under the accommodation's lock, the house's room rules, a room alone
for a resident at risk) and closes the announcement in the same transaction."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from willkommen.audit.services import record

from . import services
from .models import Arrival, ArrivalState

FIELDS = ("household_size", "women", "children", "needs", "expected_on", "origin")


def _check(values):
    size = values["household_size"]
    if not 1 <= size <= 30:
        raise services.AccommodationError(_("A household has between 1 and 30 members."), code="size")
    for field in ("women", "children"):
        if not 0 <= values[field] <= size:
            raise services.AccommodationError(_("This cannot be more than the household size."), code=field)


def announce(
    authority, *, reference, household_size, expected_on, women=0, children=0, needs="", origin="", actor=None
):
    """Record (or change, while open) the announcement ``reference``. Returns ``(arrival, created)``."""
    reference = reference.strip()
    if not reference:
        raise services.AccommodationError(_("The allocation number is missing."), code="reference")
    values = {
        "household_size": household_size,
        "women": women,
        "children": children,
        "needs": needs.strip()[:500],
        "expected_on": expected_on,
        "origin": origin.strip()[:200],
    }
    _check(values)
    with transaction.atomic():
        existing = Arrival.objects.select_for_update().filter(authority=authority, reference=reference).first()
        if existing is None:
            try:
                with transaction.atomic():
                    arrival = Arrival.objects.create(authority=authority, reference=reference[:50], **values)
            except IntegrityError:  # announced by a parallel request in between: the same announcement
                return announce(authority, reference=reference, actor=actor, **values), False
            _audit(authority, arrival, actor, "create", f"announced: {household_size} person(s) on {expected_on}")
            return arrival, True
        if all(getattr(existing, f) == v for f, v in values.items()):
            return existing, False  # the same announcement again
        if existing.state != ArrivalState.ANNOUNCED:
            raise services.AccommodationError(
                _("The arrival %(reference)s is already %(state)s; it cannot be changed.")
                % {"reference": reference, "state": existing.get_state_display()},
                code="closed",
            )
        for field, value in values.items():
            setattr(existing, field, value)
        existing.save(update_fields=list(FIELDS))
        _audit(authority, existing, actor, "update", f"changed: {household_size} person(s) on {expected_on}")
        return existing, False


def _audit(authority, arrival, actor, action, detail, request=None):
    record(
        authority=authority,
        action=action,
        obj=arrival,
        actor=actor,
        request=request,
        purpose="accommodation: arrival",
        detail=detail,
    )


def _lock_open(authority, arrival):
    locked = Arrival.objects.select_for_update().filter(authority=authority, pk=arrival.pk).first()
    if locked is None:
        raise ValueError("arrival of another authority")
    if locked.state != ArrivalState.ANNOUNCED:
        raise services.AccommodationError(
            _("The arrival %(reference)s is already %(state)s.")
            % {"reference": locked.reference, "state": locked.get_state_display()},
            code="closed",
        )
    return locked


def cancel(authority, arrival, *, actor=None, request=None):
    """The household will not come (allocated elsewhere): the announcement closes without a placement."""
    with transaction.atomic():
        locked = _lock_open(authority, arrival)
        locked.state = ArrivalState.CANCELLED
        locked.closed_at = timezone.now()
        locked.closed_by = actor if getattr(actor, "is_authenticated", False) else None
        locked.save(update_fields=["state", "closed_at", "closed_by"])
        _audit(authority, locked, actor, "update", "cancelled", request)
    return locked


def place(authority, arrival, persons, accommodation, *, moved_in=None, actor=None, request=None):
    """The household has come: place ``persons`` (its members, registered as clients) together in
    ``accommodation`` and close the announcement. All or nothing; a second submit is refused as closed."""
    persons = list(persons)
    with transaction.atomic():
        locked = _lock_open(authority, arrival)
        if len(persons) > locked.household_size:
            raise services.AccommodationError(
                _("The announcement names %(count)s person(s); more cannot be placed with it.")
                % {"count": locked.household_size},
                code="size",
            )
        placements = services.place_household(
            authority, persons, accommodation, moved_in=moved_in, placed_by=actor, request=request
        )
        locked.state = ArrivalState.PLACED
        locked.accommodation = accommodation
        locked.closed_at = timezone.now()
        locked.closed_by = actor if getattr(actor, "is_authenticated", False) else None
        locked.save(update_fields=["state", "accommodation", "closed_at", "closed_by"])
        locked.placements.set(placements)
        _audit(authority, locked, actor, "update", f"placed in accommodation {accommodation.pk}", request)
    return locked
