"""The client's consent page in the portal: give, see who has access and who looked, take back – and the
partner's access follows at once."""

import datetime as dt
from dataclasses import asdict

import pytest
from django.test import Client
from django.utils import timezone

from willkommen.accounts.client_identity import SESSION_KEY, ClientIdentity
from willkommen.core.testing import verified_login
from willkommen.partners.models import Consent

from .conftest import make_person
from .test_consents import organisation, partner

URL = "/consents/"


def signed_in(authority, person, language="fa", assurance="high", method="oidc"):
    browser = Client(HTTP_ACCEPT_LANGUAGE=language)
    session = browser.session
    identity = ClientIdentity(
        method=method, authority_id=authority.id, person_id=person.pk, assurance=assurance, provider="BundID"
    )
    session[SESSION_KEY] = asdict(identity)
    session.save()
    return browser


def test_a_client_gives_and_takes_back_consent_and_the_partner_follows(client, authority):
    org = organisation(authority)
    person = make_person(authority, "Rahimi", language="fa")
    portal = signed_in(authority, person)
    page = portal.get(URL)
    assert page.status_code == 200 and 'lang="fa"' in page.content.decode() and org.name in page.content.decode()
    until = (timezone.localdate() + dt.timedelta(days=90)).isoformat()
    bad = portal.post(URL, {"organisation": org.pk, "purpose": "مشاوره", "valid_until": until})
    assert bad.status_code == 400 and not Consent.objects.exists()
    done = portal.post(
        URL,
        {"organisation": org.pk, "scopes": ["case_status", "upload"], "purpose": "مشاوره اقامت", "valid_until": until},
    )
    assert done.status_code == 302
    given = Consent.objects.get()
    assert given.source == "portal" and given.scope_list == ["case_status", "upload"] and given.recorded_by is None

    user = partner(authority, org)
    verified_login(client, user)
    assert client.get(f"/desk/partners/portal/clients/{person.pk}/").status_code == 200
    looked = portal.get(URL).content.decode()
    assert org.name in looked.split("<h2", 3)[2]  # "who looked" names the organisation

    assert portal.post(f"/consents/{given.pk}/revoke/").status_code == 302
    given.refresh_from_db()
    assert given.revoked_at is not None
    assert client.get(f"/desk/partners/portal/clients/{person.pk}/").status_code == 404


def test_a_client_cannot_touch_anothers_consent_and_must_sign_in(authority):
    org = organisation(authority)
    mine, theirs = make_person(authority, "Rahimi"), make_person(authority, "Karimi")
    from willkommen.partners import consents

    other = consents.record_consent(
        theirs, org, scopes=["case_status"], purpose="x", valid_until=timezone.localdate(), source="portal"
    )
    portal = signed_in(authority, mine)
    assert portal.post(f"/consents/{other.pk}/revoke/").status_code == 404
    assert "Karimi" not in portal.get(URL).content.decode()
    other.refresh_from_db()
    assert other.revoked_at is None
    anonymous = Client().get(URL)
    assert anonymous.status_code == 302 and "next=" in anonymous["Location"]


@pytest.mark.parametrize("method,assurance", [("case_code", "low"), ("magic_link", "low"), ("oidc", "low")])
def test_giving_consent_needs_a_trusted_sign_in(authority, method, assurance):
    org = organisation(authority)
    person = make_person(authority, "Rahimi")
    portal = signed_in(authority, person, language="en", assurance=assurance, method=method)
    page = portal.get(URL).content.decode()
    assert 'name="organisation"' not in page and "ID card" in page and "on paper" in page
    until = (timezone.localdate() + dt.timedelta(days=90)).isoformat()
    data = {"organisation": org.pk, "scopes": ["case_status"], "purpose": "Beratung", "valid_until": until}
    refused = portal.post(URL, data)
    assert refused.status_code == 403 and "not recorded" in refused.content.decode()
    assert not Consent.objects.exists()


@pytest.mark.parametrize("assurance", ["substantial", "high"])
def test_substantial_or_high_trust_gives_consent(authority, assurance):
    org = organisation(authority)
    person = make_person(authority, "Rahimi")
    portal = signed_in(authority, person, language="en", assurance=assurance)
    assert 'name="organisation"' in portal.get(URL).content.decode()
    until = (timezone.localdate() + dt.timedelta(days=90)).isoformat()
    data = {"organisation": org.pk, "scopes": ["case_status"], "purpose": "Beratung", "valid_until": until}
    assert portal.post(URL, data).status_code == 302
    assert Consent.objects.get().person == person


def test_a_revocation_may_return_to_my_matters_but_not_elsewhere(authority):
    from willkommen.partners import consents

    org = organisation(authority)
    person = make_person(authority, "Rahimi")
    portal = signed_in(authority, person, language="en", assurance="low", method="case_code")
    first, second = (
        consents.record_consent(
            person, org, scopes=["case_status"], purpose="x", valid_until=timezone.localdate(), source="portal"
        )
        for _ in range(2)
    )
    back = portal.post(f"/consents/{first.pk}/revoke/", {"next": "/my/"})
    assert back.status_code == 302 and back["Location"] == "/my/"
    away = portal.post(f"/consents/{second.pk}/revoke/", {"next": "https://evil.example/"})
    assert away.status_code == 302 and away["Location"] == "/consents/"
