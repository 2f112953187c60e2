"""Demo data of the rights room: five tolerated persons (or § 104c holders) with residence histories and
recorded facts, then one screening run for today, so the candidate list at /desk/rights/ shows

- Amal Yousef: § 25a likely (20, Duldung for years, 4 years of school in Germany; Arabic, by letter);
- Dawit Tesfaye: § 25b and § 60d likely (works, B1);
- Samira Karimi: holds a § 104c permit, § 25b likely (a family whose wages are topped up);
- Ilir Berisha: § 25b needs data (his German level was never entered);
- Jamal Nouri: unlikely everywhere (identity deception).

Dates are relative to today, so the demo stays valid. Idempotent: persons are matched by names and birth
date, residence entries by their ``source_ref``, facts by person and kind, the run by its day."""

import copy
import datetime as dt

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from willkommen.clients import services as clients_services
from willkommen.clients.models import Person

from . import services
from .models import Fact

EMAIL = "{slug}.{n}@rights-demo.invalid"


def _ago(today, years=0, months=0):
    return today - relativedelta(years=years, months=months)


# (key, family, given, age in years, nationality, language, facts {kind: value}); their residence histories,
# which count from today, are in :func:`_residence`.
PEOPLE = [
    (
        "amal",
        "Yousef",
        "Amal",
        20,
        "SYR",
        "ar",
        {"school_years_de": 4, "recognised_qualification": False, "identity_deception": False},
    ),
    (
        "dawit",
        "Tesfaye",
        "Dawit",
        35,
        "ERI",
        "en",
        {
            "german_level": "B1",
            "livelihood": "work_mainly",
            "exemptions": [],
            "minor_child_in_household": False,
            "sentence_months": 0,
            "fine_daily_rates": 0,
            "identity_deception": False,
            "recognised_qualification": False,
        },
    ),
    (
        "samira",
        "Karimi",
        "Samira",
        31,
        "AFG",
        "fa",
        {
            "german_level": "A2",
            "livelihood": "work_partly",
            "exemptions": [],
            "minor_child_in_household": True,
            "children_attend_school": True,
            "sentence_months": 0,
            "fine_daily_rates": 0,
            "identity_deception": False,
        },
    ),
    (
        "ilir",
        "Berisha",
        "Ilir",
        40,
        "XKX",
        "de",
        {
            "livelihood": "work_mainly",
            "exemptions": [],
            "minor_child_in_household": False,
            "sentence_months": 0,
            "fine_daily_rates": 0,
            "identity_deception": False,
        },  # german_level never entered: missing
    ),
    (
        "jamal",
        "Nouri",
        "Jamal",
        29,
        "IRQ",
        "ar",
        {
            "german_level": "B1",
            "livelihood": "work_mainly",
            "exemptions": [],
            "minor_child_in_household": False,
            "sentence_months": 0,
            "fine_daily_rates": 0,
            "identity_deception": True,
            "recognised_qualification": True,
        },
    ),
]


def _residence(today):
    """{key: [(kind, basis, from, to)]}: each demo person's residence history, counted back from ``today``."""
    return {
        "amal": [
            ("gestattung", "§ 55 AsylG", _ago(today, 6), _ago(today, 4, 6)),
            ("duldung", "§ 60a AufenthG", _ago(today, 4, 6) + dt.timedelta(days=1), today + relativedelta(months=4)),
        ],
        "dawit": [("duldung", "§ 60a AufenthG", _ago(today, 7), today + relativedelta(months=6))],
        "samira": [
            ("duldung", "§ 60a AufenthG", _ago(today, 8), _ago(today, 1, 6)),
            ("title", "§ 104c AufenthG", _ago(today, 1, 6) + dt.timedelta(days=1), today + relativedelta(months=2)),
        ],
        "ilir": [("duldung", "§ 60a AufenthG", _ago(today, 7), today + relativedelta(months=3))],
        "jamal": [("duldung", "§ 60a AufenthG", _ago(today, 9), today + relativedelta(months=3))],
    }


def persons(today):
    """(key, family, given, born, nationality, language, residence [(kind, basis, from, to)], facts {kind: value})"""
    residence = _residence(today)
    return [
        (key, family, given, _ago(today, age), nationality, language, residence[key], copy.deepcopy(facts))
        for key, family, given, age, nationality, language, facts in PEOPLE
    ]


POST = {"amal": {"preferred_channel": "post", "street": "Lindenweg 4", "postal_code": "80331", "city": "Bergstadt"}}


def _person(authority, n, family, given, born, nationality, language, extra=None):
    found = Person.objects.filter(
        authority=authority, family_name=family, given_names=given, date_of_birth=born, merged_into__isnull=True
    ).first()
    if found is not None:
        return found
    return clients_services.create_person(
        authority,
        family_name=family,
        given_names=given,
        date_of_birth=born,
        nationalities=[nationality],
        preferred_language=language,
        email=EMAIL.format(slug=authority.slug, n=n),
        **(extra or {}),
    )


def load(authority, today=None):
    today = today or timezone.localdate()
    made = {}
    for n, (key, family, given, born, nationality, language, residence, recorded) in enumerate(persons(today), 1):
        person = _person(authority, n, family, given, born, nationality, language, POST.get(key))
        for kind, basis, start, end in residence:
            clients_services.record_residence(
                person,
                kind=kind,
                legal_basis=basis,
                valid_from=start,
                valid_to=end,
                source_ref=f"rights-demo:{key}:{kind}:{start.isoformat()}",
            )
        for kind, value in recorded.items():
            if not Fact.objects.filter(authority=authority, person=person, kind=kind).exists():
                services.record_fact(
                    authority,
                    None,
                    person,
                    kind=kind,
                    value=value,
                    source="staff",
                    established_on=today - dt.timedelta(days=30),
                    note="Demo",
                )
        made[key] = person
    services.screen(authority, today)
    return made
