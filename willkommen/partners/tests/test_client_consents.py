"""The client's consent page in the portal: give, see who has access and who looked, take back – and the
partner's access follows at once."""

import datetime as dt
from dataclasses import asdict

from django.test import Client
from django.utils import timezone

from willkommen.accounts.client_identity import SESSION_KEY, ClientIdentity
from willkommen.core.testing import verified_login
from willkommen.partners.models import Consent

from .conftest import make_person
from .test_consents import organisation, partner

URL = "/consents/"


def signed_in(authority, person, language="fa"):
    browser = Client(HTTP_ACCEPT_LANGUAGE=language)
    session = browser.session
    session[SESSION_KEY] = asdict(ClientIdentity(method="case_code", authority_id=authority.id, person_id=person.pk))
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
