"""Demo data of the tenancy room: two fictional authorities with locations, closures, teams and routing rules.

``create_authorities()`` runs first (before every other room's demo); ``load(authority)`` runs after
the catalogue, because routing rules point at Anliegen. Both are idempotent.
"""

import datetime as dt

from django.conf import settings

from . import demo_texts
from .models import Authority, AuthorityText, Closure, Location, OpeningHours, RoutingRule, Team, TeamText

ALL_LANGUAGES = [code for code, _name in settings.LANGUAGES]

AUTHORITIES = [
    {
        "slug": "bergstadt",
        "name": "Stadt Bergstadt – Ausländerbehörde",
        "federal_state": "BY",
        "street": "Rathausplatz 3",
        "postal_code": "83999",
        "city": "Bergstadt",
        "phone": "+49 8999 123-0",
        "email": "abh@bergstadt.example",
        "phone_hours": "Mo–Do 8:00–12:00 und 13:00–15:00, Fr 8:00–12:00",
        "consultation_hours": "Offene Sprechstunde ohne Termin: Dienstag 8:00–11:00 (Servicepoint, Erdgeschoss)",
        "languages": ALL_LANGUAGES,
    },
    {
        "slug": "talheim",
        "name": "Landkreis Talheim – Ausländerbehörde",
        "federal_state": "NW",
        "street": "Kreishausstraße 12",
        "postal_code": "59999",
        "city": "Talheim",
        "phone": "+49 2999 456-0",
        "email": "abh@talheim.example",
        "phone_hours": "Mo, Di, Do 9:00–12:00; Mi 14:00–17:00",
        "consultation_hours": "Offene Sprechstunde: Donnerstag 14:00–17:00 (Kreishaus, Raum 104)",
        "languages": ["de", "en", "ar", "tr", "uk", "ru"],
    },
]

# Per authority: locations with opening hours (weekday -> list of (opens, closes)), one closure, teams.
LOCATIONS = {
    "bergstadt": [
        {
            "name": "Bürgerbüro am Rathausplatz",
            "street": "Rathausplatz 3",
            "postal_code": "83999",
            "directions": "Barrierefreier Eingang an der Nordseite, Aufzug zum 2. Stock. Bus 4 und 7, Haltestelle Rathaus.",
            "waiting_room_cap": 40,
            "hours": {0: [(8, 12), (13, 16)], 1: [(7, 12)], 2: [(8, 12)], 3: [(8, 12), (13, 18)], 4: [(8, 12)]},
        },
        {
            "name": "Außenstelle Bergstadt-Süd",
            "street": "Lindenweg 18",
            "postal_code": "83998",
            "directions": "Erdgeschoss, stufenloser Zugang. S-Bahn Bergstadt-Süd, 5 Minuten zu Fuß.",
            "waiting_room_cap": 15,
            "hours": {0: [(9, 12)], 1: [(9, 12)], 2: [(13, 17)], 3: [(9, 12)], 4: [(9, 11)]},
        },
    ],
    "talheim": [
        {
            "name": "Kreishaus Talheim",
            "street": "Kreishausstraße 12",
            "postal_code": "59999",
            "directions": "Haupteingang, Aufzug in den 1. Stock, Zimmer 101–120. Parkplätze hinter dem Kreishaus.",
            "waiting_room_cap": 30,
            "hours": {0: [(8, 12)], 1: [(8, 12), (13, 16)], 2: [(8, 12)], 3: [(8, 12), (14, 17)], 4: [(8, 12)]},
        },
        {
            "name": "Nebenstelle Oberau",
            "street": "Marktstraße 2",
            "postal_code": "59990",
            "directions": "Im Bürgerhaus Oberau, Erdgeschoss, barrierefrei.",
            "waiting_room_cap": 10,
            "hours": {0: [(9, 11)], 1: [(9, 12)], 2: [(9, 11)], 3: [(13, 16)], 4: [(9, 11)]},
        },
    ],
}

CLOSURES = {
    "bergstadt": {"location": 0, "starts_on": (2026, 12, 24), "ends_on": (2026, 12, 31), "reason": "Jahreswechsel"},
    "talheim": {
        "location": None,
        "starts_on": (2026, 10, 16),
        "ends_on": (2026, 10, 16),
        "reason": "Personalversammlung",
    },
}

# (name, description, special task area)
TEAMS = {
    "bergstadt": [
        ("Studium und Forschung", "Studierende, Forschende, Auszubildende (§§ 16–17 AufenthG).", False),
        ("Erwerbstätigkeit", "Fachkräfte und Blaue Karte EU (§§ 18–21 AufenthG).", False),
        ("Familie und Aufenthalt A–K", "Familiennachzug, Niederlassung, sonstige Anliegen; Nachnamen A–K.", False),
        ("Familie und Aufenthalt L–Z", "Familiennachzug, Niederlassung, sonstige Anliegen; Nachnamen L–Z.", False),
        ("Rückkehr und Duldung", "Sonderaufgaben: Duldung, Bleiberechte, Rückkehr.", True),
    ],
    "talheim": [
        ("Bildung und Erwerbstätigkeit", "Studium, Ausbildung, Fachkräfte, Blaue Karte EU.", False),
        ("Familie und Aufenthalt A–L", "Familiennachzug und sonstige Anliegen; Nachnamen A–L.", False),
        ("Familie und Aufenthalt M–Z", "Familiennachzug und sonstige Anliegen; Nachnamen M–Z.", False),
        ("Rückkehr und Duldung", "Sonderaufgaben: Duldung, Bleiberechte, Rückkehr.", True),
    ],
}

# Routing rules: (priority, team index, Anliegen slug or None, nationalities, surname from, to, special task)
ROUTING = {
    "bergstadt": [
        (10, 4, "duldung", [], "", "", ""),
        (11, 4, "chancen-aufenthaltsrecht", [], "", "", ""),
        (12, 4, "bleiberecht-25a-25b", [], "", "", ""),
        (13, 4, None, [], "", "", "return"),
        (20, 0, "studium", [], "", "", ""),
        (30, 1, "fachkraft", [], "", "", ""),
        (31, 1, "blaue-karte", [], "", "", ""),
        # Ukrainian nationals (temporary protection) are handled in one team, whatever the name.
        (40, 2, None, ["UKR"], "", "", ""),
        (90, 2, None, [], "A", "K", ""),
        (91, 3, None, [], "L", "Z", ""),
    ],
    "talheim": [
        (10, 3, "duldung", [], "", "", ""),
        (11, 3, "chancen-aufenthaltsrecht", [], "", "", ""),
        (12, 3, "bleiberecht-25a-25b", [], "", "", ""),
        (20, 0, "studium", [], "", "", ""),
        (21, 0, "fachkraft", [], "", "", ""),
        (22, 0, "blaue-karte", [], "", "", ""),
        (40, 1, None, ["SYR", "IRQ"], "", "", ""),
        (90, 1, None, [], "A", "L", ""),
        (91, 2, None, [], "M", "Z", ""),
    ],
}


def create_authorities():
    """The two demo authorities (Bergstadt first, so it is the default on unknown hosts)."""
    result = []
    for data in AUTHORITIES:
        fields = dict(data)
        slug = fields.pop("slug")
        authority, _created = Authority.objects.update_or_create(slug=slug, defaults=fields)
        _load_authority_texts(authority)
        _load_locations(authority)
        _load_teams(authority)
        result.append(authority)
    return result


def _load_locations(authority):
    locations = []
    for data in LOCATIONS.get(authority.slug, []):
        fields = {k: v for k, v in data.items() if k not in ("name", "hours")}
        location, _created = Location.objects.update_or_create(
            authority=authority, name=data["name"], defaults={**fields, "city": authority.city}
        )
        for day, spans in data["hours"].items():
            for opens, closes in spans:
                OpeningHours.objects.get_or_create(
                    authority=authority,
                    location=location,
                    weekday=day,
                    opens=dt.time(opens),
                    defaults={"closes": dt.time(closes)},
                )
        locations.append(location)
    closure = CLOSURES.get(authority.slug)
    if closure:
        location = locations[closure["location"]] if closure["location"] is not None else None
        Closure.objects.get_or_create(
            authority=authority,
            location=location,
            starts_on=dt.date(*closure["starts_on"]),
            ends_on=dt.date(*closure["ends_on"]),
            defaults={"reason": closure["reason"]},
        )
    return locations


def _load_teams(authority):
    teams = []
    for name, description, special in TEAMS.get(authority.slug, []):
        team, _created = Team.objects.update_or_create(
            authority=authority,
            name=name,
            defaults={
                "description": description,
                "is_special_task_area": special,
                "email": f"{_mailbox(name)}@{authority.slug}.example",
                "phone": authority.phone.replace("-0", f"-{200 + len(teams) * 10}"),
                "phone_hours": "Mo–Fr 9:00–11:00",
            },
        )
        _load_team_texts(team)
        teams.append(team)
    return teams


def _load_authority_texts(authority):
    """The phone and consultation hours in the other languages (demo_texts)."""
    phone = demo_texts.AUTHORITY_TEXTS.get(authority.phone_hours, {})
    consultation = demo_texts.AUTHORITY_TEXTS.get(authority.consultation_hours, {})
    for language in set(phone) | set(consultation):
        AuthorityText.objects.update_or_create(
            authority=authority,
            language=language,
            defaults={"phone_hours": phone.get(language, ""), "consultation_hours": consultation.get(language, "")},
        )


def _load_team_texts(team):
    names = demo_texts.TEAM_NAMES.get(team.name, {})
    hours = demo_texts.TEAM_PHONE_HOURS.get(team.phone_hours, {})
    for language in set(names) | set(hours):
        TeamText.objects.update_or_create(
            authority=team.authority,
            team=team,
            language=language,
            defaults={"name": names.get(language, ""), "phone_hours": hours.get(language, "")},
        )


def _mailbox(name):
    import unicodedata

    folded = unicodedata.normalize("NFKD", name.lower())
    word = "".join(ch if ch.isalnum() and ch.isascii() else "-" for ch in folded)
    return "-".join(part for part in word.split("-") if part)[:40]


def demo_teams(authority):
    """The authority's demo teams in the order of TEAMS (by name)."""
    by_name = {t.name: t for t in Team.objects.filter(authority=authority)}
    return [by_name[name] for name, _d, _s in TEAMS.get(authority.slug, []) if name in by_name]


def load(authority):
    """Routing rules (after the catalogue exists). Keyed by authority and priority: a repeated load changes
    nothing and keeps rules an administrator added with other priorities. The Anliegen model is reached
    through the rule's foreign key (a reference; the tenancy room imports no catalogue)."""
    Anliegen = RoutingRule._meta.get_field("anliegen").related_model

    rules = ROUTING.get(authority.slug)
    if not rules:
        return
    teams = demo_teams(authority)
    anliegen = {a.slug: a for a in Anliegen.objects.filter(authority=authority)}
    for priority, team_index, slug, nationalities, low, high, special in rules:
        if slug and slug not in anliegen:
            continue
        RoutingRule.objects.get_or_create(
            authority=authority,
            priority=priority,
            defaults={
                "team": teams[team_index],
                "anliegen": anliegen.get(slug) if slug else None,
                "nationalities": nationalities,
                "surname_from": low,
                "surname_to": high,
                "special_task": special,
            },
        )
