"""Verifying an original in the e-file (issue 15 item 5): a confirmation message like the other desk actions,
and the page shows who verified and when; once per role, bad input changes nothing."""

import datetime as dt

import pytest

from willkommen.audit.models import AuditEntry
from willkommen.core.testing import make_staff, make_team, verified_login
from willkommen.efile import services

from .conftest import pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(authority, person):
    return services.add_document(
        authority, person, upload("pass.pdf", pdf_bytes()), document_type="passport", source="upload"
    )


def verify_url(document, prefix="/a/alpha"):
    return f"{prefix}/desk/efile/document/{document.pk}/verify/"


def test_verifying_confirms_and_shows_who_and_when(staff_client, document, caseworker):
    response = staff_client.post(verify_url(document), {"valid_until": "2031-05-01"}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0].endswith(f"/desk/efile/document/{document.pk}/")
    document.refresh_from_db()
    assert document.verified_by == caseworker
    assert "Reisepass: Das Original ist als von Ihnen geprüft vermerkt." in html  # the desk in German
    assert caseworker.display_name in html
    assert document.verified_at.astimezone().strftime("%d.%m.%Y") in html
    assert AuditEntry.objects.filter(purpose="original verified", person_id=document.person_id).count() == 1


@pytest.mark.parametrize("valid_until", ["01/05/2031", "2031-13-01", "x" * 50])
def test_bad_date_changes_nothing(staff_client, document, valid_until):
    response = staff_client.post(verify_url(document), {"valid_until": valid_until})
    assert response.status_code == 400
    document.refresh_from_db()
    assert document.verified_at is None and document.valid_until is None


ROLES = ["caseworker", "team_lead", "servicepoint", "head_of_office", "accommodation", "partner", "other_authority"]
EXPECTED = {
    "caseworker": 302,
    "team_lead": 302,
    "servicepoint": 403,
    "head_of_office": 403,
    "accommodation": 403,
    "partner": 403,
    "other_authority": 404,
}


@pytest.mark.parametrize("role", ROLES)
def test_verify_per_role(client, authority, other_authority, team, document, role):
    if role == "other_authority":
        user = make_staff(other_authority, "bert", role="caseworker", teams=[make_team(other_authority)])
        prefix = "/a/beta"
    else:
        user = make_staff(authority, f"r-{role}", role=role, teams=[team])
        prefix = "/a/alpha"
    verified_login(client, user)
    response = client.post(verify_url(document, prefix), {"valid_until": dt.date(2031, 5, 1).isoformat()})
    assert response.status_code == EXPECTED[role], (role, response.status_code)
    document.refresh_from_db()
    assert (document.verified_by == user) == (EXPECTED[role] == 302)
