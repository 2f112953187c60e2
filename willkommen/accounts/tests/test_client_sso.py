"""Clients sign in with a trusted identity (BundID-style OpenID Connect, the eID card) against the local
provider: the trust level from acr, the person found by verified attributes (never a guess or a merge),
the audit log naming the provider, bad tokens refused."""

import datetime as dt
from urllib.parse import parse_qs, urlparse

import pytest
import requests

from willkommen.accounts.client_identity import SESSION_KEY
from willkommen.accounts.models import ClientIdentityProvider
from willkommen.audit.models import AuditEntry
from willkommen.clients.models import Person

from .oidc_provider import Provider

EID = "urn:bund:eid:high"


@pytest.fixture
def idp():
    with Provider() as provider:
        yield provider


@pytest.fixture
def bundid(authority, idp):
    return ClientIdentityProvider.objects.create(
        authority=authority,
        name="BundID",
        issuer=idp.issuer,
        client_id=idp.client_id,
        client_secret=idp.client_secret,
        acr_high=EID,
        acr_substantial="urn:bund:substantial",
        enabled=True,
    )


def person(authority, family="Haddad", given="Rana", born=dt.date(1998, 4, 2), place="Aleppo"):
    return Person.objects.create(
        authority=authority, family_name=family, given_names=given, date_of_birth=born, place_of_birth=place
    )


def eid_claims(acr=EID, **extra):
    return {
        "sub": "bundid-4711",
        "family_name": "Haddad",
        "given_name": "Rana",
        "birthdate": "1998-04-02",
        "place_of_birth": "Aleppo",
        "acr": acr,
        **extra,
    }


def sign_in(client, idp, provider, claims=None, tamper=None, prefix=""):
    idp.next_user = claims if claims is not None else eid_claims()
    idp.tamper = tamper
    start = client.get(f"{prefix}/signin/oidc/{provider.pk}/", {"next": "/messages/"})
    assert start.status_code == 302 and start["Location"].startswith(idp.issuer)
    back = urlparse(requests.get(start["Location"], allow_redirects=False, timeout=5).headers["Location"])
    return client.get(back.path, parse_qs(back.query))


def test_sign_in_page_offers_the_trusted_identity(client, bundid):
    page = client.get("/signin/").content.decode()
    assert f"/signin/oidc/{bundid.pk}/" in page and "BundID" in page


def test_eid_sign_in_finds_the_person_and_opens_their_messages(client, idp, bundid, authority):
    rana = person(authority)
    person(authority, given="Samira")  # another person with the same birthday: not her
    response = sign_in(client, idp, bundid)
    assert response.status_code == 302 and response["Location"] == "/messages/"
    identity = client.session[SESSION_KEY]
    assert identity["person_id"] == rana.pk and identity["assurance"] == "high" and identity["provider"] == "BundID"
    assert client.get("/messages/").status_code == 200
    entry = AuditEntry.objects.filter(person_id=rana.pk).latest("at")
    assert entry.actor_label == "client via oidc (BundID)"


def test_transliterated_names_still_match(client, idp, bundid, authority):
    mohammed = person(authority, family="Al-Hassan", given="Mohammed")
    claims = eid_claims(family_name="Al Hasan", given_name="Muhammad")
    sign_in(client, idp, bundid, claims)
    assert client.session[SESSION_KEY]["person_id"] == mohammed.pk


@pytest.mark.parametrize(
    "case",
    ["low trust", "two records", "other place of birth", "other birthday", "no birthdate"],
)
def test_no_person_unless_exactly_one_fits_at_substantial_or_high(client, idp, bundid, authority, case):
    person(authority)
    claims = eid_claims()
    if case == "low trust":
        claims["acr"] = "urn:bund:low"
    elif case == "two records":
        person(authority, place="")  # the same human entered twice: the desk's duplicate check decides
    elif case == "other place of birth":
        claims["place_of_birth"] = "Damaskus"
    elif case == "other birthday":
        claims["birthdate"] = "1998-04-03"
    elif case == "no birthdate":
        claims["birthdate"] = "unknown"
    response = sign_in(client, idp, bundid, claims)
    assert response.status_code == 302
    identity = client.session[SESSION_KEY]
    assert identity["person_id"] is None
    assert identity["assurance"] == ("low" if case == "low trust" else "high")
    assert Person.objects.filter(merged_into__isnull=False).count() == 0
    assert "access code" in client.get("/messages/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_substantial_trust_level(client, idp, bundid, authority):
    rana = person(authority)
    sign_in(client, idp, bundid, eid_claims(acr="urn:bund:substantial"))
    identity = client.session[SESSION_KEY]
    assert identity["assurance"] == "substantial" and identity["person_id"] == rana.pk


@pytest.mark.parametrize("tamper", ["forge", "audience", "expired", "nonce"])
def test_bad_token_is_refused(client, idp, bundid, authority, tamper):
    person(authority)
    response = sign_in(client, idp, bundid, tamper=tamper)
    assert response.status_code == 400
    assert SESSION_KEY not in client.session


def test_provider_of_another_authority_is_not_offered(client, idp, bundid, other_authority):
    assert client.get(f"/a/{other_authority.slug}/signin/oidc/{bundid.pk}/").status_code == 404
    bundid.enabled = False
    bundid.save()
    assert client.get(f"/signin/oidc/{bundid.pk}/").status_code == 404
