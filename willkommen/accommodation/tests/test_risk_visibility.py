"""Issue 19 item 4: a resident's need for protection is seen only by the accommodation role – on every
page and export a member of any other role may open about that resident (placement, house, person, e-file,
the Art. 15 copy, the occupancy API), in English and German."""

import io
import zipfile

import pytest
from django.test import Client

from willkommen.accommodation import services
from willkommen.accommodation.models import Accommodation, RiskFlag
from willkommen.accounts.roles import Role
from willkommen.core.testing import make_staff, make_team, verified_login

from .conftest import make_person

pytestmark = pytest.mark.django_db
NOTE = "Rollstuhl-Zimmer-7Q"
SECRETS = (NOTE, "serious illness", "schwere Erkrankung", 'data-testid="risk"')
OTHER_ROLES = [r for r in Role.values if r not in (Role.ACCOMMODATION, Role.INTEGRATION)]


@pytest.fixture
def flagged(authority):
    house = services.save_accommodation(authority, Accommodation(name="GU Nord", capacity=2))
    person = make_person(authority, "Geschützt", "R")
    stay = services.place(authority, person, house)
    RiskFlag.objects.create(authority=authority, person=person, category="health", basis="consent", note=NOTE)
    return house, person, stay


def _body(response):
    if response.get("Content-Type", "").startswith("application/zip"):
        archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
        return b"".join(archive.read(name) for name in archive.namelist()).decode("utf-8", "replace")
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("role", OTHER_ROLES)
def test_no_other_role_sees_the_need_for_protection(authority, flagged, role, language):
    house, person, stay = flagged
    user = make_staff(authority, f"u-{role}", role=role, teams=[make_team(authority, f"T {role}")])
    client = Client()
    client.cookies["willkommen_language"] = language
    verified_login(client, user)
    prefix = f"/a/{authority.slug}"
    paths = [
        f"/desk/accommodation/placement/{stay.pk}/",
        f"/desk/accommodation/{house.pk}/",
        "/desk/accommodation/arrivals/",
        f"/desk/clients/{person.pk}/",
        f"/desk/efile/person/{person.pk}/",
        f"/desk/efile/person/{person.pk}/export.zip",
        f"/api/v1/accommodation/occupancy/{house.pk}/",
    ]
    for path in paths:
        response = client.get(prefix + path)
        assert response.status_code < 500, path
        body = _body(response)
        for secret in SECRETS:
            assert secret not in body, (role, path, secret)


def test_the_accommodation_role_sees_it_on_the_placement(authority, flagged):
    """The counter-check: the same secrets are on the page of the role that may see them."""
    _house, _person, stay = flagged
    client = Client()
    client.cookies["willkommen_language"] = "en"
    verified_login(client, make_staff(authority, "hanna", role=Role.ACCOMMODATION))
    body = client.get(f"/a/{authority.slug}/desk/accommodation/placement/{stay.pk}/").content.decode()
    assert NOTE in body and "serious illness" in body
