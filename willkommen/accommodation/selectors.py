"""Queries of the accommodation room. Every selector takes the authority first and filters by it in SQL."""

from django.db.models import Case, Count, Exists, F, FilteredRelation, OuterRef, Prefetch, Q, When
from django.utils import timezone

from .models import (
    Accommodation,
    Arrival,
    ArrivalState,
    Bed,
    BedKind,
    IsolationEpisode,
    Placement,
    RiskFlag,
    Room,
    RoomRule,
    SupplyCheck,
)

OPEN = Q(moved_out__isnull=True)


def accommodations(authority, active_only=False):
    qs = Accommodation.objects.filter(authority=authority)
    return qs.filter(active=True) if active_only else qs


def get_accommodation(authority, pk):
    """One accommodation of this authority, or None (answered as 404)."""
    return accommodations(authority).filter(pk=pk).first()


def with_occupancy(authority, active_only=False, pk=None):
    """Accommodations annotated with their beds in one query (aggregated in SQL, whatever their number):
    ``beds_count``, ``occupied`` (open placements), ``blocked``, ``free`` (normal beds; an accommodation
    whose beds are not rows yet counts its capacity, as its first placement creates them),
    ``reserve_free`` and ``isolation_free`` (isolation and quarantine beds). Blocked beds are never free;
    a reserve bed is free only for isolation and quarantine."""
    free = Q(beds__blocked=False, open_stay__id__isnull=True)
    qs = accommodations(authority, active_only)
    if pk is not None:
        qs = qs.filter(pk=pk)
    return (
        qs.annotate(
            open_stay=FilteredRelation("beds__placements", condition=Q(beds__placements__moved_out__isnull=True))
        )
        .annotate(
            beds_count=Count("beds"),
            occupied=Count("open_stay"),
            blocked=Count("beds", filter=Q(beds__blocked=True)),
            normal_free=Count("beds", filter=free & Q(beds__kind=BedKind.NORMAL)),
            reserve_free=Count("beds", filter=free & Q(beds__kind=BedKind.RESERVE)),
            isolation_free=Count("beds", filter=free & Q(beds__kind__in=[BedKind.ISOLATION, BedKind.QUARANTINE])),
        )
        .annotate(free=Case(When(beds_count=0, then=F("capacity")), default=F("normal_free")))
        .order_by("name", "pk")
    )


def occupancy_row(accommodation):
    """The figures of one annotated accommodation (``with_occupancy``) as a dict (views and API).

    An accommodation whose beds were never made rows (created directly, before its first placement)
    counts its capacity as normal free beds, as the first placement will create them."""
    rows = {
        "beds": accommodation.beds_count or accommodation.capacity,
        "occupied": accommodation.occupied,
        "normal_free": accommodation.free,
        "reserve_free": accommodation.reserve_free,
        "isolation_free": accommodation.isolation_free,
        "blocked": accommodation.blocked,
    }
    return rows


def free_beds(authority, accommodation, kinds, rules=None):
    """The accommodation's beds of ``kinds`` that are unblocked and have no open placement; with ``rules``
    only those in rooms whose rule (``RoomRule``) is one of them (see ``allowed_rules``)."""
    taken = Placement.objects.filter(bed=OuterRef("pk"), moved_out__isnull=True)
    qs = Bed.objects.filter(authority=authority, accommodation=accommodation, kind__in=list(kinds), blocked=False)
    if rules is not None:
        qs = qs.filter(room__rule__in=list(rules))
    return (
        qs.exclude(Exists(taken)).select_related("room").order_by("room__floor", "room__name", "room_id", "label", "pk")
    )


def allowed_rules(*, size, women, minors, men_and_boys_adult=None):
    """The room rules a household may sleep under: ``size`` members, ``women`` of them women or girls,
    ``minors`` of them under 18. Women's rooms take households without a man (a mother with her sons);
    men's rooms households without women or girls; family rooms households of two or more.

    ``men_and_boys_adult``: the number of members who are not female and are adults (or of unknown age),
    when it is known (persons on record). From counts alone (an announced arrival) it is taken at its
    highest: the minors beyond the women and girls must be boys, the other non-female members may all be
    adults, so a women's room is proposed only when no man can be among them."""
    if men_and_boys_adult is None:
        men_and_boys_adult = max(0, size - women - max(0, minors - women))
    rules = {RoomRule.ANY}
    if women >= 1 and men_and_boys_adult == 0:
        rules.add(RoomRule.WOMEN)
    if women == 0:
        rules.add(RoomRule.MEN)
    if size >= 2:
        rules.add(RoomRule.FAMILIES)
    return rules


def rules_for_persons(persons, today=None):
    """``allowed_rules`` for a household of ``Person`` rows (sex and date of birth as recorded; an adult of
    unknown sex or age counts as a man for the women's room and as neither for the men's room)."""
    from willkommen.clients.models import Sex

    today = today or timezone.localdate()
    persons = list(persons)
    women = sum(1 for p in persons if p.sex == Sex.FEMALE)
    men = sum(1 for p in persons if p.sex == Sex.MALE)
    minors = [p for p in persons if p.date_of_birth and _age(p.date_of_birth, today) < 18]
    adult_non_female = sum(1 for p in persons if p.sex != Sex.FEMALE and p not in minors)
    rules = allowed_rules(size=len(persons), women=women, minors=len(minors), men_and_boys_adult=adult_non_female)
    if men + women < len(persons):  # somebody's sex is not stated: not into a men's room on a guess
        rules.discard(RoomRule.MEN)
    return rules


def _age(born, today):
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def occupied_room_ids(authority, room_ids):
    """The rooms among ``room_ids`` where somebody lives now."""
    stays = Placement.objects.filter(OPEN, authority=authority, bed__room_id__in=list(room_ids))
    return set(stays.values_list("bed__room_id", flat=True).distinct())


def propose_beds(authority, accommodation, count, kinds=(BedKind.NORMAL,), *, rules=None, private=False):
    """``count`` free beds of ``kinds`` for one household, or fewer if there are not enough: all in one
    room if a room has enough free beds (the one with the fewest that fit, so big rooms stay for big
    households), else from the rooms with the most free beds first (as few rooms as possible). ``rules``:
    only rooms under these rules (``allowed_rules``). ``private`` (a resident at risk): a room nobody else
    lives in comes first, if one fits the household. A room kept for such households (a women's or family
    room the household may use) comes before an open one, so open rooms stay for everybody else."""
    by_room = {}
    for bed in free_beds(authority, accommodation, kinds, rules):
        by_room.setdefault(bed.room_id, []).append(bed)
    fitting = [beds for beds in by_room.values() if len(beds) >= count]
    if private and fitting:
        occupied = occupied_room_ids(authority, [beds[0].room_id for beds in fitting])
        alone = [beds for beds in fitting if beds[0].room_id not in occupied]
        fitting = alone or fitting
    if fitting:
        # a room kept for such households (women's, family room) before an open one, then the smallest
        return min(fitting, key=lambda beds: (beds[0].room.rule == RoomRule.ANY, len(beds)))[:count]
    chosen = []
    for beds in sorted(by_room.values(), key=len, reverse=True):
        chosen.extend(beds[: count - len(chosen)])
        if len(chosen) == count:
            break
    return chosen


def free_rooms_by_accommodation(authority, rules=None):
    """For the arrivals queue, in one query: ``{accommodation: {room: free normal beds}}`` over the
    authority's active accommodations (rooms under ``rules`` only, if given)."""
    taken = Placement.objects.filter(bed=OuterRef("pk"), moved_out__isnull=True)
    qs = Bed.objects.filter(authority=authority, kind=BedKind.NORMAL, blocked=False, accommodation__active=True)
    if rules is not None:
        qs = qs.filter(room__rule__in=list(rules))
    rows = (
        qs.exclude(Exists(taken))
        .values("accommodation_id", "accommodation__name", "room_id", "room__floor", "room__name", "room__rule")
        .annotate(free=Count("pk"))
        .order_by("accommodation__name", "accommodation_id", "room__floor", "room__name", "room_id")
    )
    return list(rows)


def beds_with_residents(authority, accommodation):
    """The accommodation's beds by room with ``current`` (a list of at most one open placement with its
    person): two queries whatever the number of beds."""
    current = Placement.objects.filter(OPEN, authority=authority).select_related("person")
    return (
        Bed.objects.filter(authority=authority, accommodation=accommodation)
        .select_related("room")
        .prefetch_related(Prefetch("placements", queryset=current, to_attr="current"))
        .order_by("room__floor", "room__name", "room_id", "label", "pk")
    )


def get_bed(authority, pk):
    return Bed.objects.filter(authority=authority, pk=pk).select_related("room", "accommodation").first()


def _active(today=None):
    """Episodes in force: not ended and before their planned end (an episode past it counts as ended even
    before the periodic job has moved the resident)."""
    return Q(ended_on__isnull=True, planned_end__gt=today or timezone.localdate())


def active_episodes(authority, accommodation=None, today=None):
    """Who is isolated or quarantined where and until when, the soonest end first."""
    qs = IsolationEpisode.objects.filter(_active(today), authority=authority)
    if accommodation is not None:
        qs = qs.filter(accommodation=accommodation)
    return qs.select_related("person", "accommodation", "bed__room").order_by("planned_end", "pk")


def open_episode(authority, person_id, today=None):
    """The person's episode in force, or None."""
    return (
        IsolationEpisode.objects.filter(_active(today), authority=authority, person_id=person_id)
        .select_related("bed__room", "accommodation")
        .first()
    )


def is_active(episode, today=None):
    return episode.ended_on is None and episode.planned_end > (today or timezone.localdate())


def get_episode(authority, pk):
    return (
        IsolationEpisode.objects.filter(authority=authority, pk=pk)
        .select_related("person", "accommodation", "bed__room", "home_bed__room", "placement")
        .first()
    )


def episodes_of(authority, person_id):
    return IsolationEpisode.objects.filter(authority=authority, person_id=person_id).order_by("-starts_on", "-pk")


def supply_checks(authority, episode):
    return SupplyCheck.objects.filter(authority=authority, episode=episode).select_related("done_by").order_by("-day")


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


def residents_group(authority, *, team=None, accommodation=None):
    """Recipient group ``accommodation`` of messaging's group notices (registered in ``AccommodationConfig``)."""
    return current_residents(authority, accommodation)


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


def residents_of(authority, accommodation, *, floors=(), room_ids=()):
    """The current residents of ``accommodation`` living on one of ``floors`` or in one of ``room_ids``."""
    if not floors and not room_ids:
        return []
    from willkommen.clients.selectors import persons

    if accommodation.authority_id != authority.id:
        return []
    where = Q(placements__bed__room__floor__in=list(floors)) | Q(placements__bed__room_id__in=list(room_ids))
    # one filter(): the conditions hold for the same (open) placement
    return list(
        persons(authority)
        .filter(
            where,
            placements__authority=authority,
            placements__accommodation=accommodation,
            placements__moved_out__isnull=True,
        )
        .distinct()
        .order_by("pk")
    )


def shared_rooms(authority, accommodation):
    """The shared rooms of ``accommodation`` with their usage times (two queries)."""
    from .models import SharedRoom, UsageSlot

    return (
        SharedRoom.objects.filter(authority=authority, accommodation=accommodation)
        .order_by("floor", "name", "pk")
        .prefetch_related(Prefetch("slots", queryset=UsageSlot.objects.select_related("room")))
    )


def get_shared_room(authority, pk):
    from .models import SharedRoom

    return SharedRoom.objects.filter(authority=authority, pk=pk).select_related("accommodation").first()


def get_slot(authority, pk):
    from .models import UsageSlot

    return UsageSlot.objects.filter(authority=authority, pk=pk).select_related("shared_room").first()


def rooms(authority, accommodation):
    return Room.objects.filter(authority=authority, accommodation=accommodation).order_by("floor", "name")


def floors(authority, accommodation):
    return sorted(set(rooms(authority, accommodation).values_list("floor", flat=True)) - {""})


def pending_usage_changes(authority, accommodation):
    from .models import UsageChange

    return UsageChange.objects.filter(
        authority=authority, accommodation=accommodation, published_at__isnull=True
    ).count()


# --- arrivals and people at risk ------------------------------------------------------------------------


def arrivals(authority, state=ArrivalState.ANNOUNCED):
    qs = Arrival.objects.filter(authority=authority)
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("accommodation").order_by("expected_on", "pk")


def get_arrival(authority, pk):
    return Arrival.objects.filter(authority=authority, pk=pk).select_related("accommodation").first()


def proposals(authority, announced):
    """For each announced arrival the accommodation and room(s) that fit it, from one query over the free
    beds: a room with enough free normal beds under the household's room rules (the smallest that fits,
    so big rooms stay for big households), else the accommodation with the most free beds under the rules
    if it can take everybody, else ``None``. Earlier arrivals are served first: a bed proposed for one is
    not proposed for the next. Returns ``{arrival.pk: Proposal}``."""
    rows = free_rooms_by_accommodation(authority)
    left = {(r["accommodation_id"], r["room_id"]): r["free"] for r in rows}
    result = {}
    for arrival in announced:
        rules = allowed_rules(size=arrival.household_size, women=arrival.women, minors=arrival.children)
        usable = [r for r in rows if r["room__rule"] in rules and left[(r["accommodation_id"], r["room_id"])] > 0]
        fitting = [r for r in usable if left[(r["accommodation_id"], r["room_id"])] >= arrival.household_size]
        if fitting:
            best = min(
                fitting, key=lambda r: (r["room__rule"] == RoomRule.ANY, left[(r["accommodation_id"], r["room_id"])])
            )
            left[(best["accommodation_id"], best["room_id"])] -= arrival.household_size
            result[arrival.pk] = Proposal(best["accommodation_id"], best["accommodation__name"], [_room(best)], True)
            continue
        houses = {}
        for r in usable:
            houses.setdefault((r["accommodation_id"], r["accommodation__name"]), []).append(r)
        enough = {
            key: rooms
            for key, rooms in houses.items()
            if sum(left[(r["accommodation_id"], r["room_id"])] for r in rooms) >= arrival.household_size
        }
        if not enough:
            result[arrival.pk] = None
            continue
        (house_id, house_name), rooms = max(
            enough.items(), key=lambda item: sum(left[(r["accommodation_id"], r["room_id"])] for r in item[1])
        )
        needed, chosen = arrival.household_size, []
        for r in sorted(rooms, key=lambda r: left[(r["accommodation_id"], r["room_id"])], reverse=True):
            take = min(needed, left[(r["accommodation_id"], r["room_id"])])
            left[(r["accommodation_id"], r["room_id"])] -= take
            chosen.append(_room(r))
            needed -= take
            if not needed:
                break
        result[arrival.pk] = Proposal(house_id, house_name, chosen, False)
    return result


class Proposal:
    """Where an arrival could go: ``accommodation_id``/``accommodation_name``, ``rooms`` (labels) and
    whether the household stays together in one room (``together``)."""

    def __init__(self, accommodation_id, accommodation_name, rooms, together):
        self.accommodation_id = accommodation_id
        self.accommodation_name = accommodation_name
        self.rooms = rooms
        self.together = together


def _room(row):
    return f"{row['room__floor']} {row['room__name']}".strip()


def open_risk_flags(authority, person_ids):
    """Open risk flags of these persons (for the service's choice of beds and the accommodation role)."""
    return RiskFlag.objects.filter(authority=authority, person_id__in=list(person_ids), ended_on__isnull=True)


def risk_flags_of(authority, person):
    return RiskFlag.objects.filter(authority=authority, person=person).order_by("ended_on", "-created_at", "-pk")
