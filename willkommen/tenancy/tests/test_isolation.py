"""A staff member of authority A sees none of authority B's data: pages and API answer 404."""

import pytest

from willkommen.clients.models import Person
from willkommen.core.testing import make_integration, make_staff, verified_login


@pytest.fixture
def foreign_person(other_authority):
    return Person.objects.create(authority=other_authority, family_name="Fremd", date_of_birth="1970-01-01")


@pytest.fixture
def own_person(authority):
    return Person.objects.create(authority=authority, family_name="Eigen", date_of_birth="1971-01-01")


def test_pages_do_not_show_other_authoritys_person(staff_client, foreign_person, own_person):
    assert staff_client.get(f"/desk/clients/{own_person.pk}/").status_code == 200
    assert staff_client.get(f"/desk/clients/{foreign_person.pk}/").status_code == 404
    assert staff_client.get(f"/desk/clients/{foreign_person.pk}/edit/").status_code == 404
    assert staff_client.get(f"/desk/clients/{foreign_person.pk}/duplicates/").status_code == 404
    assert list(staff_client.get("/desk/clients/?q=Fremd").context["people"]) == []


def test_api_does_not_show_other_authoritys_person(staff_client, foreign_person, own_person):
    listing = staff_client.get("/api/v1/clients/persons/").json()
    assert [p["family_name"] for p in listing["results"]] == ["Eigen"]
    assert staff_client.get(f"/api/v1/clients/persons/{foreign_person.pk}/").status_code == 404
    assert staff_client.get(f"/api/v1/clients/persons/{own_person.pk}/").status_code == 200


def test_token_of_authority_a_opens_nothing_at_b(client, authority, team, foreign_person, other_authority):
    _account, _token, key = make_integration(authority, {"clients": "read"}, acts_as="caseworker", teams=[team])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get("/api/v1/clients/persons/", **auth).status_code == 200
    assert client.get(f"/a/{other_authority.slug}/api/v1/clients/persons/", **auth).status_code == 401


def test_api_needs_second_factor(client, caseworker, own_person):
    client.force_login(caseworker)  # password only, no second factor
    assert client.get(f"/api/v1/clients/persons/{own_person.pk}/").status_code == 401


@pytest.mark.parametrize(
    "role,status",
    [
        ("caseworker", 200),
        ("team_lead", 200),
        ("servicepoint", 200),
        ("head_of_office", 200),
        ("accommodation", 403),
        ("administrator", 403),
        ("partner", 403),
    ],
)
def test_person_page_by_role(client, authority, own_person, role, status):
    verified_login(client, make_staff(authority, f"user-{role}", role=role))
    assert client.get(f"/desk/clients/{own_person.pk}/").status_code == status
