"""Demo data: two shared accommodations (Gemeinschaftsunterkünfte) per authority with rooms and beds on
floors (normal, isolation, quarantine and emergency reserve beds), some demo persons living there, one who
has moved out, and one in isolation with today's supplies recorded; a women's and a family room; three
announced arrivals; one resident with a need for protection. Idempotent: accommodations are
matched by name, rooms by floor and name, placements by person; nothing is placed or isolated twice."""

import datetime as dt

from django.utils import timezone

from willkommen.clients.selectors import persons

from . import selectors, services
from .models import Accommodation, IsolationEpisode, Placement, Room, SharedRoom

ACCOMMODATIONS = [
    {
        "name": "Gemeinschaftsunterkunft Am Fuchsbau",
        "street": "Am Fuchsbau 12",
        "capacity": 4,
        "phone": "+49 170 5550100",
        "notes": "Isolationsbereich im Erdgeschoss. Sprechstunde des Sozialdienstes dienstags 9–12 Uhr.",
    },
    {
        "name": "Gemeinschaftsunterkunft Lindenhof",
        "street": "Lindenhofweg 3",
        "capacity": 4,
        "phone": "+49 170 5550200",
        "notes": "Familienunterkunft, barrierefreie Zimmer im Erdgeschoss.",
    },
]

# Rooms per accommodation (index): (floor, room, beds, kind). The first room "E01" holds the beds that
# ``save_accommodation`` creates from the capacity (4).
ROOMS = {
    0: [("EG", "E02", 4, "normal"), ("EG", "E03", 2, "isolation"), ("EG", "E04", 2, "quarantine")]
    + [("EG", "E05", 2, "reserve")]
    + [("1", f"1{n:02}", 4, "normal") for n in range(1, 9)]
    + [("2", f"2{n:02}", 4, "normal") for n in range(1, 5)],
    1: [("EG", "E02", 4, "normal"), ("EG", "E03", 2, "isolation"), ("EG", "E04", 2, "reserve")]
    + [("1", f"1{n:02}", 4, "normal") for n in range(1, 4)],
}

# (family name, given names, accommodation index, unit, days ago moved in, days ago moved out or None)
PLACEMENTS = [
    ("Ahmadi", "Reza", 0, "A-104", 400, None),
    ("Rahimi", "Fatima", 0, "B-201", 220, None),
    ("Haddad", "Nour", 1, "EG-2", 150, None),
    ("Kovalenko", "Olena", 1, "1-07", 90, None),
    ("Melnyk", "Taras", 0, "A-110", 60, None),
    ("Diallo", "Amadou", 0, "A-102", 900, 120),
]


def _rooms(authority, accommodation, specs):
    Room.objects.filter(authority=authority, accommodation=accommodation, floor="", name="1").update(
        floor="EG", name="E01"
    )
    existing = set(Room.objects.filter(accommodation=accommodation).values_list("floor", "name"))
    for floor, name, beds, kind in specs:
        if (floor, name) not in existing:
            services.add_room(authority, accommodation, floor=floor, name=name, beds=beds, kind=kind)


def load(authority):
    today = timezone.localdate()
    places = []
    for index, values in enumerate(ACCOMMODATIONS):
        found = Accommodation.objects.filter(authority=authority, name=values["name"]).first()
        if found is None:
            found = services.save_accommodation(
                authority,
                Accommodation(
                    authority=authority,
                    postal_code=authority.postal_code,
                    city=authority.city,
                    **values,
                ),
            )
            _rooms(authority, found, ROOMS[index])
        places.append(found)
    for family, given, index, unit, moved_in_ago, moved_out_ago in PLACEMENTS:
        person = persons(authority).filter(family_name=family, given_names=given).order_by("pk").first()
        accommodation = places[index]
        if person is None or Placement.objects.filter(authority=authority, person=person).exists():
            continue
        if not selectors.propose_beds(authority, accommodation, 1) and selectors.occupancy(authority, accommodation):
            continue
        placement = services.place(
            authority, person, accommodation, moved_in=today - dt.timedelta(days=moved_in_ago), unit=unit
        )
        if moved_out_ago is not None:
            services.move_out(authority, placement, on=today - dt.timedelta(days=moved_out_ago))
    _isolation(authority, today)
    _usage_times(authority, places[0])
    _rooms_with_rules(authority, places[1])
    _arrivals(authority, today)
    _at_risk(authority)


# Lindenhof's second floor: a women's room and a family room (the house's rules as data).
RULE_ROOMS = [("2", "201", 4, "women"), ("2", "202", 5, "families")]

# Announced arrivals: (allocation number, household size, women and girls, minors, in days, needs, from).
ARRIVALS = [
    ("ZAB-2026-0412", 4, 2, 2, 3, "Kinderwagen", "LEA Karlsruhe"),
    ("ZAB-2026-0413", 3, 2, 2, 5, "Alleinerziehende Mutter, Erdgeschoss", "LEA Karlsruhe"),
    ("ZAB-2026-0420", 1, 0, 0, 7, "", "Ankunftszentrum Heidelberg"),
]


def _rooms_with_rules(authority, accommodation):
    existing = set(Room.objects.filter(accommodation=accommodation).values_list("floor", "name"))
    for floor, name, beds, rule in RULE_ROOMS:
        if (floor, name) not in existing:
            services.add_room(authority, accommodation, floor=floor, name=name, beds=beds, rule=rule)


def _arrivals(authority, today):
    from . import arrivals

    known = set(selectors.arrivals(authority, state=None).values_list("reference", flat=True))
    for reference, size, women, minors, days, needs, origin in ARRIVALS:
        if reference in known:
            continue  # announced before: its day stays as it was
        arrivals.announce(
            authority,
            reference=reference,
            household_size=size,
            women=women,
            children=minors,
            expected_on=today + dt.timedelta(days=days),
            needs=needs,
            origin=origin,
        )


def _at_risk(authority):
    """Fatima Rahimi: a need for protection recorded with her consent (seen by accommodation management)."""
    from . import risk

    person = persons(authority).filter(family_name="Rahimi", given_names="Fatima").order_by("pk").first()
    if person is None or selectors.risk_flags_of(authority, person).exists():
        return
    risk.flag(authority, person, category="health", basis="consent", note="Einzelzimmer, Erdgeschoss")


def _isolation(authority, today):
    """Taras Melnyk in isolation at Am Fuchsbau since two days, for five more; today's supplies recorded."""
    person = persons(authority).filter(family_name="Melnyk", given_names="Taras").order_by("pk").first()
    if person is None or IsolationEpisode.objects.filter(authority=authority, person=person).exists():
        return
    stay = selectors.open_placement(authority, person)
    if stay is None:
        return
    try:
        episode = services.isolate(
            authority,
            stay,
            kind="isolation",
            reason="Positiver Schnelltest, Anordnung des Gesundheitsamts",
            starts_on=max(today - dt.timedelta(days=2), stay.moved_in),
            planned_end=today + dt.timedelta(days=5),
        )
    except services.AccommodationError:
        return  # no free isolation bed: the demo stays without an episode
    services.record_supplies(
        authority, episode, meals=True, medicine=True, contact=True, note="Kontaktperson: Sozialdienst, Frau Berger"
    )


# Shared rooms of Am Fuchsbau with their usage times: (kind, name, floor, [(weekday, from, until, floor)]).
SHARED_ROOMS = [
    (
        "kitchen",
        "Küche 1. OG",
        "1",
        [
            (day, start, end, floor)
            for day in range(7)
            for start, end, floor in ((7, 10, "1"), (10, 13, "2"), (17, 20, "1"))
        ],
    ),
    ("laundry", "Waschküche", "EG", [(0, 8, 12, "EG"), (1, 8, 12, "1"), (2, 8, 12, "2"), (4, 14, 18, "1")]),
]


def _usage_times(authority, accommodation):
    """A kitchen and a laundry with usage times per floor, all published (the demo sends no messages)."""
    from .models import UsageChange

    for kind, name, floor, slots in SHARED_ROOMS:
        if SharedRoom.objects.filter(accommodation=accommodation, name=name).exists():
            continue
        shared = services.add_shared_room(authority, accommodation, kind=kind, name=name, floor=floor)
        for weekday, start, end, target in slots:
            services.add_slot(
                authority, shared, weekday=weekday, starts_at=dt.time(start), ends_at=dt.time(end), floor=target
            )
    UsageChange.objects.filter(authority=authority, accommodation=accommodation, published_at__isnull=True).update(
        published_at=timezone.now()
    )
