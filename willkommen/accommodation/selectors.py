"""Queries of the accommodation room. Every selector takes the authority first and filters by it in SQL."""

from django.db.models import Count, F, Q

from .models import Accommodation, Placement

OPEN = Q(moved_out__isnull=True)


def accommodations(authority, active_only=False):
    qs = Accommodation.objects.filter(authority=authority)
    return qs.filter(active=True) if active_only else qs


def get_accommodation(authority, pk):
    """One accommodation of this authority, or None (answered as 404)."""
    return accommodations(authority).filter(pk=pk).first()


def with_occupancy(authority, active_only=False):
    """Accommodations annotated with ``occupied`` (current residents) and ``free`` (capacity − occupied)."""
    return (
        accommodations(authority, active_only)
        .annotate(occupied=Count("placements", filter=Q(placements__moved_out__isnull=True)))
        .annotate(free=F("capacity") - F("occupied"))
        .order_by("name")
    )


def occupancy(authority, accommodation):
    """The number of current residents of one accommodation."""
    return Placement.objects.filter(OPEN, authority=authority, accommodation=accommodation).count()


def current_placements(authority, accommodation):
    """The open placements of one accommodation with their persons, by name."""
    return (
        Placement.objects.filter(OPEN, authority=authority, accommodation=accommodation)
        .select_related("person")
        .order_by("person__family_name", "person__given_names", "pk")
    )


def past_placements(authority, accommodation, limit=50):
    return (
        Placement.objects.filter(authority=authority, accommodation=accommodation, moved_out__isnull=False)
        .select_related("person")
        .order_by("-moved_out", "-pk")[:limit]
    )


def current_residents(authority, accommodation):
    """The persons who live in ``accommodation`` now (open placement; merged records left out).

    Used by messaging for notices to "all residents of an accommodation"."""
    from willkommen.clients.selectors import persons

    if accommodation is None or accommodation.authority_id != authority.id:
        return persons(authority).none()
    return persons(authority).filter(
        placements__authority=authority,
        placements__accommodation=accommodation,
        placements__moved_out__isnull=True,
    )


def open_placement(authority, person):
    """The person's current placement, or None."""
    return Placement.objects.filter(OPEN, authority=authority, person=person).select_related("accommodation").first()


def open_placements_by_person(authority, person_ids):
    """{person id: open placement} for the given persons (one query)."""
    found = Placement.objects.filter(OPEN, authority=authority, person_id__in=list(person_ids))
    return {p.person_id: p for p in found.select_related("accommodation")}


def get_placement(authority, pk):
    return Placement.objects.filter(authority=authority, pk=pk).select_related("person", "accommodation").first()


def placements_of(authority, person):
    """Every stay of one person, newest first."""
    return Placement.objects.filter(authority=authority, person=person).select_related("accommodation")
