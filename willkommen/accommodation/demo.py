"""Demo data: two shared accommodations (Gemeinschaftsunterkünfte) per authority, some demo persons
living there, one who has moved out. Idempotent: accommodations are matched by name, placements by
person and accommodation; nothing is placed twice and a full accommodation is left alone."""

import datetime as dt

from django.utils import timezone

from willkommen.clients.selectors import persons

from . import selectors, services
from .models import Accommodation, Placement

ACCOMMODATIONS = [
    {
        "name": "Gemeinschaftsunterkunft Am Fuchsbau",
        "street": "Am Fuchsbau 12",
        "capacity": 60,
        "phone": "+49 170 5550100",
        "notes": "Isolationsbereich im Erdgeschoss (4 Plätze). Sprechstunde des Sozialdienstes dienstags 9–12 Uhr.",
    },
    {
        "name": "Gemeinschaftsunterkunft Lindenhof",
        "street": "Lindenhofweg 3",
        "capacity": 24,
        "phone": "+49 170 5550200",
        "notes": "Familienunterkunft, barrierefreie Zimmer im Erdgeschoss.",
    },
]

# (family name, given names, accommodation index, unit, days ago moved in, days ago moved out or None)
PLACEMENTS = [
    ("Ahmadi", "Reza", 0, "A-104", 400, None),
    ("Rahimi", "Fatima", 0, "B-201", 220, None),
    ("Haddad", "Nour", 1, "EG-2", 150, None),
    ("Kovalenko", "Olena", 1, "1-07", 90, None),
    ("Melnyk", "Taras", 0, "A-110", 60, None),
    ("Diallo", "Amadou", 0, "A-102", 900, 120),
]


def load(authority):
    today = timezone.localdate()
    places = []
    for values in ACCOMMODATIONS:
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
        places.append(found)
    for family, given, index, unit, moved_in_ago, moved_out_ago in PLACEMENTS:
        person = persons(authority).filter(family_name=family, given_names=given).order_by("pk").first()
        accommodation = places[index]
        if person is None or Placement.objects.filter(authority=authority, person=person).exists():
            continue
        if selectors.occupancy(authority, accommodation) >= accommodation.capacity:
            continue
        placement = services.place(
            authority, person, accommodation, moved_in=today - dt.timedelta(days=moved_in_ago), unit=unit
        )
        if moved_out_ago is not None:
            services.move_out(authority, placement, on=today - dt.timedelta(days=moved_out_ago))
