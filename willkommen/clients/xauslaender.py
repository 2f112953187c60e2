"""The person record in the shape of the XAusländer information model.

XAusländer (an XÖV standard) structures a foreign national as: Person (Name with family and
given names, other names, Geburt with date and place, Geschlecht, Staatsangehörigkeit), Anschrift,
Kommunikation, and Aufenthaltsstatus entries. This module maps our models to that shape one to one,
as plain data (a dict ready for JSON, or for an XML writer of a concrete XAusländer version).
"""

from .models import ResidenceKind

# Our residence kinds and the XAusländer status groups they belong to.
STATUS_GROUP = {
    ResidenceKind.ENTRY: "Einreise",
    ResidenceKind.VISA: "Visum",
    ResidenceKind.SCHENGEN: "Schengen-Visum",
    ResidenceKind.TITLE: "Aufenthaltserlaubnis",
    ResidenceKind.SETTLEMENT: "Niederlassungserlaubnis",
    ResidenceKind.FICTION: "Fiktionsbescheinigung",
    ResidenceKind.DULDUNG: "Duldung",
    ResidenceKind.GESTATTUNG: "Aufenthaltsgestattung",
    ResidenceKind.EU: "Freizuegigkeit",
    ResidenceKind.REFUSED: "Ablehnung",
    ResidenceKind.ENDED: "Beendigung",
}


def _date(value):
    return value.isoformat() if value else None


def person(person):
    return {
        "name": {
            "familienname": person.family_name,
            "vornamen": person.given_names,
            "familiennameOriginalschrift": person.family_name_native or None,
            "vornamenOriginalschrift": person.given_names_native or None,
            "geburtsname": person.birth_name or None,
            "weitereNamen": [
                {"art": alias.kind, "familienname": alias.family_name, "vornamen": alias.given_names}
                for alias in person.aliases.all()
            ],
        },
        "geburt": {
            "datum": _date(person.date_of_birth),
            "ort": person.place_of_birth or None,
            "staat": person.country_of_birth or None,
        },
        "geschlecht": person.sex,
        "staatsangehoerigkeiten": list(person.nationalities or []),
        "anschrift": {
            "strasseHausnummer": person.street or None,
            "postleitzahl": person.postal_code or None,
            "ort": person.city or None,
        },
        "kommunikation": {"email": person.email or None, "telefon": person.phone or None},
        "sprache": person.preferred_language,
        "einreisedatum": _date(person.entry_date),
        "aufenthaltsstatus": [
            {
                "statusgruppe": STATUS_GROUP.get(entry.kind, entry.kind),
                "rechtsgrundlage": entry.legal_basis or None,
                "gueltigAb": _date(entry.valid_from),
                "gueltigBis": _date(entry.valid_to),
                "nebenbestimmungen": entry.conditions or None,
                "dokumentnummer": entry.document_number or None,
                "ausstellendeBehoerde": entry.issued_by or None,
                "bestaetigt": entry.verified,
            }
            for entry in person.residence_entries.all()
        ],
    }
