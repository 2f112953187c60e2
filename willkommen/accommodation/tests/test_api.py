"""The occupancy API for the crisis staff: read-only, scoped to the authority and to the accommodation
role (and the token's scope), figures only, one query for all accommodations."""

import datetime as dt

import pytest
from django.utils import timezone

from willkommen.accommodation import services
from willkommen.accommodation.models import Accommodation
from willkommen.core.testing import make_integration

from .conftest import make_person

pytestmark = pytest.mark.django_db
URL = "/api/v1/accommodation/occupancy/"


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def house(authority):
    made = services.save_accommodation(authority, Accommodation(name="GU Nord", capacity=3, street="Nordweg 1"))
    services.add_room(authority, made, floor="EG", name="Iso", beds=2, kind="isolation")
    services.add_room(authority, made, floor="EG", name="Reserve", beds=1, kind="reserve")
    stay = services.place(authority, make_person(authority), made)
    services.isolate(
        authority, stay, kind="isolation", reason="x", planned_end=timezone.localdate() + dt.timedelta(days=2)
    )
    services.place(authority, make_person(authority, "Zwei", "Z"), made)
    return made


def test_the_crisis_staff_reads_the_occupancy(client, authority, other_authority, house, django_assert_max_num_queries):
    services.save_accommodation(other_authority, Accommodation(name="Fremd", capacity=9))
    _a, _t, key = make_integration(authority, {"accommodation": "read"}, acts_as="accommodation", name="Krisenstab")
    response = client.get(URL, **bearer(key))
    assert response.status_code == 200
    assert response.json() == [
        {
            "id": house.pk,
            "name": "GU Nord",
            "address": "Nordweg 1",
            "active": True,
            "beds": 6,
            "occupied": 2,
            "normal_free": 2,
            "reserve_free": 1,
            "isolation_free": 1,
            "blocked": 0,
        }
    ]
    detail = client.get(f"{URL}{house.pk}/", **bearer(key))
    assert detail.status_code == 200 and detail.json()["isolation_free"] == 1
    foreign = Accommodation.objects.get(name="Fremd")
    assert client.get(f"{URL}{foreign.pk}/", **bearer(key)).status_code == 404
    assert client.get(f"{URL}99999999999999999999/", **bearer(key)).status_code == 404
    assert client.post(URL, {}, content_type="application/json", **bearer(key)).status_code in (403, 405)
    for i in range(4):
        services.save_accommodation(authority, Accommodation(name=f"Mehr {i}", capacity=2))
    with django_assert_max_num_queries(6):  # token, its audit entry, the occupancy: not one per house
        assert len(client.get(URL, **bearer(key)).json()) == 5


@pytest.mark.parametrize(
    "scopes,acts_as",
    [({"clients": "read"}, "accommodation"), ({"accommodation": "read"}, "caseworker")],
)
def test_other_scopes_and_roles_are_refused(client, authority, house, scopes, acts_as):
    _a, _t, key = make_integration(authority, scopes, acts_as=acts_as)
    assert client.get(URL, **bearer(key)).status_code == 403
    assert client.get(URL).status_code in (401, 403)


def test_a_verified_session_of_the_accommodation_role_reads_it(acc_client, house):
    assert acc_client.get(URL).status_code == 200


def test_the_schema_documents_the_operations(client):
    schema = client.get("/api/schema/?format=json").json()
    assert "/api/v1/accommodation/occupancy/" in schema["paths"]
    assert set(schema["paths"]["/api/v1/accommodation/occupancy/{id}/"]) == {"get"}
