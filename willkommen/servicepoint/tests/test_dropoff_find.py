"""Drop-off: whose documents (issue 15 item 7) – the case number, or the client's name and date of birth
(one person: go on; several: choose, with the case numbers; none: a clear message), the client number still
works, and another authority's persons and cases are never found or named."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from willkommen.audit.models import AuditEntry
from willkommen.clients.models import PersonAlias
from willkommen.clients.services import create_person
from willkommen.core.testing import make_staff, verified_login
from willkommen.efile.models import Document
from willkommen.servicepoint.dropoff import find_client, name_matches
from willkommen.servicepoint.models import DropOff

from .conftest import png_bytes

BORN = dt.date(1990, 1, 2)
URL = "/desk/servicepoint/drop-off/"


def _case(authority, person, slug="study"):
    from willkommen.cases.services import open_case
    from willkommen.catalogue.models import Anliegen
    from willkommen.catalogue.testing import make_anliegen

    anliegen = Anliegen.objects.filter(authority=authority, slug=slug).first() or make_anliegen(authority, slug)
    case, _code = open_case(authority, person=person, anliegen=anliegen)
    return case


@pytest.fixture
def haddad(authority):
    person = create_person(
        authority,
        family_name="Haddad",
        given_names="Rana",
        family_name_native="حداد",
        given_names_native="رنا",
        date_of_birth=BORN,
        place_of_birth="Aleppo",
    )
    PersonAlias.objects.create(authority=authority, person=person, family_name="Al-Haddad", given_names="Rana")
    return person


# --- the matching -----------------------------------------------------------------------------------


def test_one_person_by_name_and_birth_in_any_spelling(authority, person, haddad):
    for name in ("Yilmaz", "yilmaz ayse", "YILMAZ, Ayşe", "Yılmaz", "ayse yil"):
        match = find_client(authority, name=name, date_of_birth=BORN)
        assert match.person == person, name
    for name in ("haddad", "Rana Haddad", "حداد", "رنا حداد", "Al-Haddad"):
        assert find_client(authority, name=name, date_of_birth=BORN).person == haddad, name


def test_the_birthday_must_match_and_every_word_must(authority, person):
    assert find_client(authority, name="Yilmaz", date_of_birth=dt.date(1990, 1, 3)).error
    match = find_client(authority, name="Yilmaz Mehmet", date_of_birth=BORN)
    assert match.person is None and not match.candidates and match.error
    assert "Namen und Geburtsdatum" in match.error  # German, the default language


def test_several_people_of_one_name_and_birthday_are_listed_to_choose(authority, person):
    twin = create_person(authority, family_name="Yilmaz", given_names="Ayse Nur", date_of_birth=BORN)
    _case(authority, twin)
    match = find_client(authority, name="Yilmaz Ayse", date_of_birth=BORN)
    assert match.person is None and {p.pk for p in match.candidates} == {person.pk, twin.pk}
    assert not match.error
    from willkommen.servicepoint.dropoff import case_numbers

    numbers = case_numbers(authority, match.candidates)
    assert numbers[person.pk] == [] and len(numbers[twin.pk]) == 1


def test_a_person_of_another_authority_is_never_found(authority, other_authority, person):
    stranger = create_person(other_authority, family_name="Yilmaz", given_names="Ayse", date_of_birth=BORN)
    match = find_client(authority, name="Yilmaz", date_of_birth=BORN)
    assert match.person == person and not match.candidates  # the namesake elsewhere is no candidate
    assert find_client(other_authority, name="Yilmaz", date_of_birth=BORN).person == stranger
    assert find_client(authority, person_id=stranger.pk).person is None
    lone = create_person(other_authority, family_name="Ganz", given_names="Anders", date_of_birth=BORN)
    assert find_client(authority, name="Ganz", date_of_birth=BORN).person is None
    with translation.override("en"):
        assert find_client(authority, person_id=lone.pk).error == "No client with this number."


def test_case_number_finds_case_and_person_only_within_the_authority(authority, other_authority, person):
    case = _case(authority, person)
    match = find_client(authority, case_number=f" {case.number.lower()} ")
    assert match.person == person and match.case == case
    stranger = create_person(other_authority, family_name="Fremd", date_of_birth=BORN)
    _case(other_authority, stranger)
    foreign = _case(other_authority, stranger)  # a number this authority has not given (yet)
    assert find_client(authority, case_number=foreign.number).person is None
    with translation.override("en"):
        assert find_client(authority, case_number=foreign.number).error == "No case with this number."


def test_merged_persons_are_not_found(authority, person):
    from willkommen.clients.services import merge

    double = create_person(authority, family_name="Yilmaz", given_names="Ayse", date_of_birth=BORN)
    merge(person, double)
    assert find_client(authority, name="Yilmaz", date_of_birth=BORN).person == person


def test_name_matching_rules(authority, person):
    assert name_matches(person, "Yil")
    assert not name_matches(person, "ilmaz")  # words are matched from their beginning
    assert not name_matches(person, "")
    assert not name_matches(person, " , ")


# --- the page ---------------------------------------------------------------------------------------


def _upload():
    return SimpleUploadedFile("pass.png", png_bytes(), content_type="image/png")


def _files(**extra):
    return {"file1": _upload(), "type1": "passport", "type2": "other", "type3": "other", **extra}


def test_by_name_and_birth_then_upload(sp_client, authority, person):
    page = sp_client.get(URL, {"name": "yilmaz", "date_of_birth": BORN.isoformat()})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="drop-off-client"' in html and "Yilmaz" in html
    assert f'name="person" value="{person.pk}"' in html
    assert AuditEntry.objects.filter(person_id=person.pk, purpose="ServicePoint drop-off: client found").exists()
    response = sp_client.post(URL, _files(person=person.pk))
    assert response.status_code == 302
    assert Document.objects.get().person == person and DropOff.objects.get().person == person


def test_by_case_number_prefills_the_case(sp_client, authority, person):
    case = _case(authority, person)
    html = sp_client.get(URL, {"case_number": case.number}).content.decode()
    assert f'name="case_number" value="{case.number}"' in html
    response = sp_client.post(URL, _files(person=person.pk, case_number=case.number))
    assert response.status_code == 302 and DropOff.objects.get().case == case


def test_several_matches_show_a_choice_with_case_numbers(sp_client, authority, person):
    twin = create_person(authority, family_name="Yilmaz", given_names="Ayse", date_of_birth=BORN)
    case = _case(authority, twin)
    page = sp_client.get(URL, {"name": "Yilmaz", "date_of_birth": BORN.isoformat()}, HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="candidates"' in html
    assert case.number in html and f"?person={twin.pk}" in html and f"?person={person.pk}" in html
    assert 'enctype="multipart/form-data"' not in html  # no upload before the choice
    reads = AuditEntry.objects.filter(purpose="ServicePoint drop-off: choose the client")
    assert set(reads.values_list("person_id", flat=True)) == {person.pk, twin.pk}
    chosen = sp_client.get(URL, {"person": twin.pk}).content.decode()
    assert f'name="person" value="{twin.pk}"' in chosen


def test_no_match_says_so(sp_client, person):
    page = sp_client.get(URL, {"name": "Nobody", "date_of_birth": BORN.isoformat()}, HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert 'data-testid="no-client"' in html and "No client with this name and date of birth" in html
    assert 'enctype="multipart/form-data"' not in html


@pytest.mark.parametrize(
    "query",
    [
        {"name": "Yilmaz"},  # no date of birth
        {"date_of_birth": BORN.isoformat()},  # no name
        {"name": "Yilmaz", "date_of_birth": "02.01.1990x"},
        {"name": "Yilmaz", "date_of_birth": "2999-01-01"},
        {"person": "abc"},
        {"case_number": "x" * 40},
        {"name": ""},
    ],
)
def test_bad_search_input_is_a_400_with_a_message(sp_client, person, query):
    page = sp_client.get(URL, query, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 400
    assert 'class="kern-error"' in page.content.decode() or "kern-alert--danger" in page.content.decode()
    assert not AuditEntry.objects.filter(person_id=person.pk).exists()


def test_post_by_name_and_birth_without_the_first_step(sp_client, authority, person):
    response = sp_client.post(URL, _files(name="Yilmaz Ayse", date_of_birth=BORN.isoformat()))
    assert response.status_code == 302 and DropOff.objects.get().person == person


@pytest.mark.parametrize(
    "identity",
    [
        {"name": "Yilmaz", "date_of_birth": BORN.isoformat()},  # two match: a choice is needed
        {"name": "Nobody", "date_of_birth": BORN.isoformat()},
        {"name": "Yilmaz"},
        {"case_number": "2020-99999"},
        {},
    ],
)
def test_post_without_one_client_changes_nothing(sp_client, authority, person, identity):
    create_person(authority, family_name="Yilmaz", given_names="Emre", date_of_birth=BORN)
    response = sp_client.post(URL, _files(**identity), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert not Document.objects.exists() and not DropOff.objects.exists()


def test_case_number_of_another_authority_is_not_found(sp_client, authority, other_authority, person):
    stranger = create_person(other_authority, family_name="Fremd", date_of_birth=BORN)
    foreign = _case(other_authority, stranger)
    page = sp_client.get(URL, {"case_number": foreign.number}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No case with this number." in page and "Fremd" not in page
    response = sp_client.post(URL, _files(person=person.pk, case_number=foreign.number), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "No case with this number." in response.content.decode()
    assert not Document.objects.exists() and not DropOff.objects.exists()


# --- per role ---------------------------------------------------------------------------------------

ROLES = ["servicepoint", "caseworker", "team_lead", "head_of_office", "accommodation", "partner", "other_authority"]


@pytest.mark.parametrize("role", ROLES)
def test_find_and_drop_off_per_role(client, authority, other_authority, team, person, role):
    if role == "other_authority":  # ServicePoint staff of another authority: the person is not theirs
        user = make_staff(other_authority, "sp-beta", role="servicepoint")
        prefix = "/a/beta"
    else:
        user = make_staff(authority, f"r-{role}", role=role, teams=[team])
        prefix = ""
    verified_login(client, user)
    find = client.get(prefix + URL, {"name": "Yilmaz", "date_of_birth": BORN.isoformat()})
    post = client.post(prefix + URL, _files(person=person.pk))
    if role == "servicepoint":
        assert find.status_code == 200 and "Yilmaz" in find.content.decode()
        assert post.status_code == 302 and DropOff.objects.count() == 1
    elif role == "other_authority":
        assert find.status_code == 200 and 'data-testid="no-client"' in find.content.decode()
        assert 'data-testid="drop-off-client"' not in find.content.decode()
        assert post.status_code == 400 and not DropOff.objects.exists()
    else:
        assert find.status_code in (302, 403) and post.status_code in (302, 403)
        assert not DropOff.objects.exists()
    if role != "servicepoint":
        assert not AuditEntry.objects.filter(person_id=person.pk).exists()
        assert not Document.objects.exists()
