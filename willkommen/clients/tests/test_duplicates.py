import datetime as dt

import pytest

from willkommen.audit.models import AuditEntry
from willkommen.clients.duplicates import name_key, token_key
from willkommen.clients.models import Person, PersonAlias, ResidenceEntry
from willkommen.clients.services import create_person, find_duplicates, merge

BIRTH = dt.date(1990, 5, 17)


@pytest.mark.parametrize(
    "a,b",
    [("Mohammed", "Muhammad"), ("Mohamed", "Muhammad"), ("Yusuf", "Youssef"), ("Schmidt", "Schmitt"), ("Ömer", "Omer")],
)
def test_transliteration_variants_share_a_key(a, b):
    assert token_key(a) == token_key(b)


def test_different_names_differ():
    assert name_key("Al-Hassan", "Mohammed") != name_key("Petrenko", "Olena")


def person(authority, family, given, birth=BIRTH, nationalities=("SYR",), **extra):
    return create_person(
        authority,
        family_name=family,
        given_names=given,
        date_of_birth=birth,
        nationalities=list(nationalities),
        **extra,
    )


def test_finds_mohammed_muhammad_and_swapped_names(authority):
    original = person(authority, "Al-Hassan", "Mohammed Ali")
    variant = person(authority, "Al Hasan", "Muhammad Ali")
    swapped = person(authority, "Al-Hassan", "Ali Mohammed")
    other_birth = person(authority, "Al-Hassan", "Mohammed Ali", birth=dt.date(1991, 5, 17))
    other_person = person(authority, "Petrenko", "Olena", nationalities=("UKR",))
    found = set(find_duplicates(original))
    assert variant in found and swapped in found
    assert other_birth not in found and other_person not in found


def test_duplicates_never_cross_authorities(authority, other_authority):
    mine = person(authority, "Al-Hassan", "Mohammed")
    person(other_authority, "Al-Hassan", "Mohammed")
    assert find_duplicates(mine) == []


def test_merge_keeps_every_dated_entry(authority, caseworker):
    a = person(authority, "Al-Hassan", "Mohammed", email="")
    b = person(authority, "Al Hasan", "Muhammad", email="m@example.org", nationalities=("SYR", "TUR"))
    for p, start, kind in [
        (a, dt.date(2015, 1, 1), "entry"),
        (a, dt.date(2016, 1, 1), "duldung"),
        (b, dt.date(2018, 3, 1), "title"),
    ]:
        ResidenceEntry.objects.create(authority=authority, person=p, kind=kind, valid_from=start)
    PersonAlias.objects.create(authority=authority, person=b, family_name="Hasan", given_names="M.")
    merge(a, b, actor=caseworker)
    a.refresh_from_db()
    b.refresh_from_db()
    assert sorted(e.valid_from for e in a.residence_entries.all()) == [
        dt.date(2015, 1, 1),
        dt.date(2016, 1, 1),
        dt.date(2018, 3, 1),
    ]
    assert {al.family_name for al in a.aliases.all()} == {"Hasan", "Al Hasan"}
    assert a.email == "m@example.org"
    assert a.nationalities == ["SYR", "TUR"]
    assert b.merged_into == a
    assert not Person.objects.filter(pk=b.pk, merged_into__isnull=True).exists()
    assert AuditEntry.objects.filter(action="merge", person_id=a.pk).exists()


def test_merge_refuses_other_authority_and_self(authority, other_authority):
    a = person(authority, "A", "B")
    foreign = person(other_authority, "A", "B")
    with pytest.raises(ValueError):
        merge(a, a)
    with pytest.raises(ValueError):
        merge(a, foreign)


def test_merge_page_needs_capability_and_stays_in_tenant(client, authority, other_authority):
    from willkommen.core.testing import make_staff, verified_login

    a = person(authority, "Al-Hassan", "Mohammed")
    b = person(authority, "Al Hasan", "Muhammad")
    foreign = person(other_authority, "Al Hasan", "Muhammad")
    verified_login(client, make_staff(authority, "cw"))
    assert client.post(f"/desk/clients/{a.pk}/merge/", {"other": b.pk}).status_code == 403
    client.post("/desk/logout/")
    verified_login(client, make_staff(authority, "lead", role="team_lead"))
    assert client.post(f"/desk/clients/{a.pk}/merge/", {"other": foreign.pk}).status_code == 404
    assert client.post(f"/desk/clients/{a.pk}/merge/", {"other": "x"}).status_code == 400
    page = client.get(f"/desk/clients/{a.pk}/duplicates/")
    assert b.family_name in page.content.decode()
    assert client.post(f"/desk/clients/{a.pk}/merge/", {"other": b.pk}).status_code == 302
    b.refresh_from_db()
    assert b.merged_into_id == a.pk
