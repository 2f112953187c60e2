import datetime as dt

from willkommen.clients import xauslaender
from willkommen.clients.models import Person, PersonAlias, ResidenceEntry


def test_every_field_of_the_person_maps(authority):
    p = Person.objects.create(
        authority=authority,
        family_name="Haddad",
        given_names="Amal",
        family_name_native="حداد",
        date_of_birth=dt.date(1988, 2, 3),
        place_of_birth="Aleppo",
        country_of_birth="SYR",
        sex="f",
        nationalities=["SYR"],
        street="Hauptstr. 1",
        postal_code="80331",
        city="München",
        email="amal@example.org",
        preferred_language="ar",
        entry_date=dt.date(2015, 9, 1),
    )
    PersonAlias.objects.create(authority=authority, person=p, family_name="Hadad", given_names="Amal")
    ResidenceEntry.objects.create(
        authority=authority,
        person=p,
        kind="duldung",
        legal_basis="§ 60a AufenthG",
        valid_from=dt.date(2016, 1, 1),
        valid_to=dt.date(2016, 6, 30),
    )
    ResidenceEntry.objects.create(
        authority=authority,
        person=p,
        kind="title",
        legal_basis="§ 25b AufenthG",
        valid_from=dt.date(2022, 1, 1),
        conditions="Erwerbstätigkeit erlaubt",
    )
    data = xauslaender.person(p)
    assert data["name"]["familienname"] == "Haddad"
    assert data["name"]["familiennameOriginalschrift"] == "حداد"
    assert data["name"]["weitereNamen"][0]["familienname"] == "Hadad"
    assert data["geburt"] == {"datum": "1988-02-03", "ort": "Aleppo", "staat": "SYR"}
    assert data["staatsangehoerigkeiten"] == ["SYR"]
    assert [s["statusgruppe"] for s in data["aufenthaltsstatus"]] == ["Duldung", "Aufenthaltserlaubnis"]
    assert data["aufenthaltsstatus"][1]["nebenbestimmungen"] == "Erwerbstätigkeit erlaubt"
    assert data["einreisedatum"] == "2015-09-01"
