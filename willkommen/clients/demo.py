"""Demo clients: fifteen fictional persons with residence histories, names in the original script for
some, various languages, and one probable duplicate pair (Mohammed Al-Hassan / Muhammad Al Hasan,
same birth date) for the duplicate and merge demo. Idempotent: a person is matched by authority,
names and birth date, a residence entry by person, kind and start date."""

import datetime as dt

from .models import Person, PersonAlias, ResidenceEntry
from .services import create_person


def d(text):
    return dt.date.fromisoformat(text) if text else None


# family, given, family (native), given (native), birth, place, country, sex, nationalities,
# language, channel, interpreter, entry date, residence entries [(kind, legal basis, from, to, conditions)]
PERSONS = [
    (
        "Al-Hassan",
        "Mohammed",
        "الحسن",
        "محمد",
        "1990-03-14",
        "Aleppo",
        "SYR",
        "m",
        ["SYR"],
        "ar",
        "email",
        True,
        "2015-09-02",
        [
            ("entry", "", "2015-09-02", None, ""),
            ("gestattung", "§ 55 AsylG", "2015-09-10", "2016-08-31", "Wohnsitzauflage"),
            ("title", "§ 25 Abs. 2 AufenthG", "2016-09-01", "2019-08-31", "Erwerbstätigkeit erlaubt"),
            ("title", "§ 25 Abs. 2 AufenthG", "2019-09-01", "2022-08-31", "Erwerbstätigkeit erlaubt"),
            ("title", "§ 25 Abs. 2 AufenthG", "2022-09-01", "2027-01-31", "Erwerbstätigkeit erlaubt"),
        ],
    ),
    (
        "Al Hasan",
        "Muhammad",
        "",
        "",
        "1990-03-14",
        "Halab",
        "SYR",
        "m",
        ["SYR"],
        "en",
        "portal",
        False,
        "2015-09-02",
        [
            ("gestattung", "§ 55 AsylG", "2015-09-10", "2016-02-29", ""),
        ],
    ),
    (
        "Kovalenko",
        "Olena",
        "Коваленко",
        "Олена",
        "1985-07-22",
        "Kharkiv",
        "UKR",
        "f",
        ["UKR"],
        "uk",
        "email",
        False,
        "2022-03-10",
        [
            ("entry", "", "2022-03-10", None, ""),
            ("title", "§ 24 AufenthG", "2022-03-15", "2024-03-04", "Erwerbstätigkeit erlaubt"),
            ("title", "§ 24 AufenthG", "2024-03-05", "2027-03-04", "Erwerbstätigkeit erlaubt"),
        ],
    ),
    (
        "Ivanov",
        "Dmitri",
        "Иванов",
        "Дмитрий",
        "1993-11-02",
        "Novosibirsk",
        "RUS",
        "m",
        ["RUS"],
        "ru",
        "email",
        False,
        "2024-01-20",
        [
            ("visa", "§ 6 Abs. 3 AufenthG", "2024-01-15", "2024-04-14", "Beschäftigung nur als Softwareentwickler"),
            ("title", "§ 18g AufenthG", "2024-04-01", "2028-03-31", "Blaue Karte EU"),
        ],
    ),
    (
        "Sharma",
        "Priya",
        "",
        "",
        "1999-05-30",
        "Pune",
        "IND",
        "f",
        ["IND"],
        "en",
        "email",
        False,
        "2023-09-25",
        [
            ("visa", "§ 6 Abs. 3 AufenthG", "2023-09-20", "2023-12-19", "Studium"),
            ("title", "§ 16b AufenthG", "2023-10-01", "2025-09-30", "Beschäftigung bis 140 ganze Tage im Jahr"),
            ("title", "§ 16b AufenthG", "2025-10-01", "2027-09-30", "Beschäftigung bis 140 ganze Tage im Jahr"),
        ],
    ),
    (
        "Yılmaz",
        "Ayşe",
        "",
        "",
        "1978-01-12",
        "Kayseri",
        "TUR",
        "f",
        ["TUR"],
        "tr",
        "post",
        False,
        "2008-04-01",
        [
            ("title", "§ 30 AufenthG", "2008-04-15", "2011-04-14", ""),
            ("title", "§ 30 AufenthG", "2011-04-15", "2014-04-14", ""),
            ("settlement", "§ 9 AufenthG", "2014-04-15", None, ""),
        ],
    ),
    (
        "Ahmadi",
        "Reza",
        "احمدی",
        "رضا",
        "2004-08-19",
        "Herat",
        "AFG",
        "m",
        ["AFG"],
        "fa",
        "messenger",
        True,
        "2020-11-03",
        [
            ("entry", "", "2020-11-03", None, "unbegleitet minderjährig eingereist"),
            ("gestattung", "§ 55 AsylG", "2020-11-10", "2022-12-31", ""),
            ("duldung", "§ 60a Abs. 2 AufenthG", "2023-01-01", "2023-06-30", "Ausbildungsduldung beantragt"),
            ("duldung", "§ 60c AufenthG", "2023-07-01", "2026-06-30", "Ausbildungsduldung"),
            ("duldung", "§ 60a Abs. 2 AufenthG", "2026-07-01", "2027-01-31", ""),
        ],
    ),
    (
        "Rahimi",
        "Fatima",
        "رحیمی",
        "فاطمه",
        "1988-12-03",
        "Kabul",
        "AFG",
        "f",
        ["AFG"],
        "fa",
        "portal",
        True,
        "2018-05-14",
        [
            ("gestattung", "§ 55 AsylG", "2018-05-20", "2020-01-31", ""),
            ("duldung", "§ 60a Abs. 2 AufenthG", "2020-02-01", "2020-07-31", ""),
            ("duldung", "§ 60a Abs. 2 AufenthG", "2020-08-01", "2021-01-31", ""),
            ("duldung", "§ 60a Abs. 2 AufenthG", "2021-02-01", "2026-12-31", "Passbeschaffung läuft"),
        ],
    ),
    (
        "Diallo",
        "Amadou",
        "",
        "",
        "1995-04-07",
        "Conakry",
        "GIN",
        "m",
        ["GIN"],
        "fr",
        "sms",
        False,
        "2016-08-21",
        [
            ("gestattung", "§ 55 AsylG", "2016-08-25", "2018-03-31", ""),
            ("duldung", "§ 60a Abs. 2 AufenthG", "2018-04-01", "2023-05-31", ""),
            ("title", "§ 104c AufenthG", "2023-06-01", "2024-11-30", "Chancen-Aufenthaltsrecht"),
            ("title", "§ 25b AufenthG", "2024-12-01", "2026-11-30", "Erwerbstätigkeit erlaubt"),
        ],
    ),
    (
        "Chen",
        "Wei",
        "陈",
        "伟",
        "1997-02-11",
        "Chengdu",
        "CHN",
        "f",
        ["CHN"],
        "en",
        "email",
        False,
        "2024-09-01",
        [
            ("title", "§ 18b AufenthG", "2024-09-15", "2028-09-14", "Beschäftigung nur bei Firma Bergwerk GmbH"),
        ],
    ),
    (
        "Santos",
        "Maria",
        "",
        "",
        "1992-09-09",
        "Recife",
        "BRA",
        "f",
        ["BRA"],
        "en",
        "email",
        False,
        "2025-02-10",
        [
            ("visa", "§ 6 Abs. 3 AufenthG", "2025-02-01", "2025-04-30", "Familiennachzug"),
            ("title", "§ 30 AufenthG", "2025-04-15", "2027-04-14", "Erwerbstätigkeit erlaubt"),
        ],
    ),
    (
        "Benali",
        "Youssef",
        "بن علي",
        "يوسف",
        "1986-06-25",
        "Casablanca",
        "MAR",
        "m",
        ["MAR"],
        "fr",
        "email",
        False,
        "2021-03-01",
        [
            ("title", "§ 18a AufenthG", "2021-03-15", "2025-03-14", ""),
            ("fiction", "§ 81 Abs. 4 AufenthG", "2025-03-10", "2025-09-09", "Erwerbstätigkeit erlaubt"),
            ("title", "§ 18a AufenthG", "2025-09-01", "2029-08-31", ""),
        ],
    ),
    (
        "Haddad",
        "Nour",
        "حداد",
        "نور",
        "2010-10-10",
        "Homs",
        "SYR",
        "f",
        ["SYR"],
        "ar",
        "post",
        False,
        "2019-07-01",
        [
            ("title", "§ 32 AufenthG", "2019-07-15", "2027-10-09", "Kindernachzug"),
        ],
    ),
    (
        "Melnyk",
        "Taras",
        "Мельник",
        "Тарас",
        "1970-01-28",
        "Lviv",
        "UKR",
        "m",
        ["UKR"],
        "uk",
        "post",
        True,
        "2022-04-02",
        [
            ("title", "§ 24 AufenthG", "2022-04-05", "2027-03-04", ""),
        ],
    ),
    (
        "Okafor",
        "Emeka",
        "",
        "",
        "1983-03-03",
        "Enugu",
        "NGA",
        "m",
        ["NGA", "GBR"],
        "en",
        "email",
        False,
        "2019-10-01",
        [
            ("title", "§ 18b AufenthG", "2019-10-15", "2026-10-14", ""),
            ("fiction", "§ 81 Abs. 4 AufenthG", "2026-10-10", "2027-01-09", "Erwerbstätigkeit erlaubt"),
        ],
    ),
]


# Other names: (family, given, birth date) of the person -> [(kind, family, given, used until)]
ALIASES = {
    ("Yılmaz", "Ayşe", "1978-01-12"): [("former", "Demir", "Ayşe", "2007-06-30"), ("spelling", "Yilmaz", "Ayse", None)],
    ("Kovalenko", "Olena", "1985-07-22"): [("spelling", "Kovalenko", "Elena", None)],
}


def load(authority):
    streets = ["Bahnhofstraße", "Lindenweg", "Am Markt", "Gartenstraße", "Schulstraße"]
    for index, row in enumerate(PERSONS):
        (family, given, family_native, given_native, birth, place, country, sex, nationalities, language, channel,
         interpreter, entry, entries) = row  # fmt: skip
        person = Person.objects.filter(
            authority=authority, family_name=family, given_names=given, date_of_birth=d(birth)
        ).first()
        if person is None:
            person = create_person(
                authority,
                family_name=family,
                given_names=given,
                family_name_native=family_native,
                given_names_native=given_native,
                date_of_birth=d(birth),
                place_of_birth=place,
                country_of_birth=country,
                sex=sex,
                nationalities=nationalities,
                street=f"{streets[index % len(streets)]} {index + 3}",
                postal_code=authority.postal_code,
                city=authority.city,
                email=f"{_mailbox(given)}.{_mailbox(family)}@example.org",
                phone=f"+49 170 555{index:04d}",
                preferred_language=language,
                preferred_channel=channel,
                interpreter_needed=interpreter,
                interpreter_language={"ar": "Arabisch", "fa": "Dari", "uk": "Ukrainisch"}.get(language, "")
                if interpreter
                else "",
                entry_date=d(entry),
            )
        if person.merged_into_id:
            continue  # merged in the demo: its history lives on in the surviving record
        # filter().exists() rather than get_or_create: after a merge a person may hold two such rows.
        for kind, alias_family, alias_given, until in ALIASES.get((family, given, birth), []):
            alias = {"kind": kind, "family_name": alias_family, "given_names": alias_given}
            if not PersonAlias.objects.filter(authority=authority, person=person, **alias).exists():
                PersonAlias.objects.create(authority=authority, person=person, valid_until=d(until), **alias)
        for kind, legal_basis, valid_from, valid_to, conditions in entries:
            if ResidenceEntry.objects.filter(
                authority=authority, person=person, kind=kind, valid_from=d(valid_from)
            ).exists():
                continue
            ResidenceEntry.objects.create(
                authority=authority,
                person=person,
                kind=kind,
                valid_from=d(valid_from),
                legal_basis=legal_basis,
                valid_to=d(valid_to),
                conditions=conditions,
                issued_by=authority.name if kind not in ("entry", "visa") else "",
            )


def _mailbox(name):
    import unicodedata

    folded = unicodedata.normalize("NFKD", name.lower())
    return "".join(ch for ch in folded if ch.isascii() and ch.isalnum())
