"""Staff single sign-on against a real OpenID Connect provider on 127.0.0.1 (tests/oidc_provider.py),
driven through Django's test client: every hop to the provider is a real HTTP request."""

import datetime as dt
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from django_otp.plugins.otp_totp.models import TOTPDevice

from willkommen.accounts.models import GroupMapping, Membership, StaffIdentityProvider, User
from willkommen.core.testing import make_staff, make_team, totp_now, verified_login

from .oidc_provider import Provider


@pytest.fixture
def idp():
    with Provider() as provider:
        yield provider


def make_provider(authority, idp, **extra):
    fields = {
        "name": "Verzeichnis",
        "issuer": idp.issuer,
        "client_id": idp.client_id,
        "client_secret": idp.client_secret,
        "provision": True,
        "enabled": True,
        "accepted_amr": "mfa,otp",
        **extra,
    }
    return StaffIdentityProvider.objects.create(authority=authority, **fields)


@pytest.fixture
def provider(authority, idp):
    return make_provider(authority, idp)


@pytest.fixture
def mappings(authority, provider, team):
    other = make_team(authority, "Team L–Z")
    GroupMapping.objects.create(
        authority=authority, provider=provider, group="abh-sb", role="caseworker", team=team, position=10
    )
    GroupMapping.objects.create(
        authority=authority, provider=provider, group="abh-lead", role="team_lead", team=other, is_lead=True, position=0
    )
    return team, other


def user_claims(sub="sub-anna", username="anna", groups=("abh-sb",), amr=("pwd", "otp"), **extra):
    return {
        "sub": sub,
        "preferred_username": username,
        "given_name": "Anna",
        "family_name": "Adler",
        "email": f"{username}@alpha.example",
        "email_verified": True,
        "groups": list(groups),
        "amr": list(amr),
        **extra,
    }


def sign_in(client, idp, provider, claims=None, tamper=None, prefix="", next_url="/desk/"):
    """Start at Willkommen, let the provider answer, come back; returns the callback's response."""
    idp.next_user = claims if claims is not None else user_claims()
    idp.tamper = tamper
    start = client.get(f"{prefix}/desk/login/sso/{provider.pk}/", {"next": next_url})
    assert start.status_code == 302, start.content
    assert start["Location"].startswith(f"{idp.issuer}/authorize?")
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302
    back = urlparse(at_provider.headers["Location"])
    return client.get(back.path, parse_qs(back.query))


def test_login_page_offers_the_enabled_provider_only(client, authority, provider, idp):
    make_provider(authority, idp, name="Alt", enabled=False)
    page = client.get("/desk/login/").content.decode()
    assert "Verzeichnis" in page and f"/desk/login/sso/{provider.pk}/" in page
    assert "Alt" not in page


def test_login_provisions_user_with_mapped_role_and_team(client, idp, provider, mappings):
    team, _other = mappings
    response = sign_in(client, idp, provider)
    assert response.status_code == 302 and response["Location"] == "/desk/"
    user = User.objects.get(username="anna")
    assert user.authority_id == provider.authority_id and user.role == "caseworker"
    assert not user.has_usable_password()
    assert list(user.teams.all()) == [team]
    assert client.get("/desk/").status_code == 200  # the provider vouched for the second factor
    assert client.get("/desk/audit/").status_code == 403  # the role matrix holds for provisioned staff
    authorize = idp.authorize_requests[-1]
    assert authorize["code_challenge_method"] == "S256" and authorize["nonce"] and authorize["state"]


def test_second_sign_in_finds_the_same_user_by_subject(client, idp, provider, mappings):
    sign_in(client, idp, provider)
    client.post("/desk/logout/")
    renamed = user_claims(username="anna.adler")
    assert sign_in(client, idp, provider, renamed).status_code == 302
    assert User.objects.filter(authority=provider.authority, username__startswith="anna").count() == 1


def test_existing_user_is_matched_by_claim(client, idp, provider, mappings, authority):
    clara = make_staff(authority, "clara")
    assert sign_in(client, idp, provider, user_claims(sub="sub-clara", username="clara")).status_code == 302
    assert int(client.session["_auth_user_id"]) == clara.pk


def test_token_without_vouching_amr_asks_for_local_totp(client, idp, provider, mappings, authority):
    clara = make_staff(authority, "clara", totp=True)
    response = sign_in(client, idp, provider, user_claims(sub="sub-clara", username="clara", amr=["pwd"]))
    assert response.status_code == 302 and response["Location"].startswith("/desk/login/verify/")
    assert client.get("/desk/").status_code == 302  # not yet
    device = TOTPDevice.objects.get(user=clara)
    ok = client.post("/desk/login/verify/", {"token": totp_now(device), "next": "/desk/"})
    assert ok.status_code == 302 and client.get("/desk/").status_code == 200


def test_new_user_without_vouching_amr_sets_up_totp(client, idp, provider, mappings):
    response = sign_in(client, idp, provider, user_claims(amr=["pwd"]))
    assert response["Location"].startswith("/desk/login/setup/")


def test_accepted_acr_vouches_too(client, idp, authority, mappings, provider):
    provider.accepted_acr = "urn:alpha:loa:mfa"
    provider.save()
    claims = user_claims(amr=["pwd"], acr="urn:alpha:loa:mfa")
    assert sign_in(client, idp, provider, claims)["Location"] == "/desk/"


@pytest.mark.parametrize("tamper", ["forge", "audience", "expired", "nonce", "issuer"])
def test_bad_id_token_is_refused(client, idp, provider, mappings, tamper):
    client.cookies["willkommen_language"] = "en"
    response = sign_in(client, idp, provider, tamper=tamper)
    assert response.status_code == 400
    body = response.content.decode()
    expected = "has expired" if tamper == "expired" else "could not be verified"
    assert expected in body
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(username="anna").exists()


def test_replayed_state_is_refused(client, idp, provider, mappings):
    client.cookies["willkommen_language"] = "en"
    idp.next_user = user_claims()
    start = client.get(f"/desk/login/sso/{provider.pk}/")
    back = urlparse(requests.get(start["Location"], allow_redirects=False, timeout=5).headers["Location"])
    assert client.get(back.path, parse_qs(back.query)).status_code == 302
    client.post("/desk/logout/")
    again = client.get(back.path, parse_qs(back.query))
    assert again.status_code == 400 and "could not be verified" in again.content.decode()
    assert "_auth_user_id" not in client.session


def test_state_of_another_browser_is_refused(client, idp, provider, mappings):
    from django.test import Client

    idp.next_user = user_claims()
    start = client.get(f"/desk/login/sso/{provider.pk}/")
    back = urlparse(requests.get(start["Location"], allow_redirects=False, timeout=5).headers["Location"])
    attacker = Client()
    response = attacker.get(back.path, parse_qs(back.query))
    assert response.status_code == 400 and "_auth_user_id" not in attacker.session
    tampered = {**parse_qs(back.query), "state": "made-up"}
    assert client.get(back.path, tampered).status_code == 400
    assert idp.token_requests == 0


def test_provider_error_is_refused(client, idp, provider):
    client.get(f"/desk/login/sso/{provider.pk}/")
    response = client.get(f"/desk/login/sso/{provider.pk}/callback/", {"error": "access_denied", "state": "x"})
    assert response.status_code == 403


def test_no_role_from_groups_is_refused(client, idp, provider, mappings):
    response = sign_in(client, idp, provider, user_claims(groups=["somebody-else"]))
    assert response.status_code == 403
    assert not User.objects.filter(username="anna").exists()


def test_user_of_authority_a_cannot_sign_in_through_b(client, idp, authority, other_authority, provider, mappings):
    make_staff(authority, "anna")
    b_provider = make_provider(other_authority, idp, name="Beta")
    GroupMapping.objects.create(authority=other_authority, provider=b_provider, group="abh-sb", role="caseworker")
    # B's provider is not offered at A's address ...
    assert client.get(f"/desk/login/sso/{b_provider.pk}/").status_code == 404
    # ... and at B's address A's staff member is not let in (the name is A's).
    response = sign_in(client, idp, b_provider, prefix=f"/a/{other_authority.slug}")
    assert response.status_code == 403 and "_auth_user_id" not in client.session
    # A link of B's provider to A's user (made by hand) is refused as well.
    from willkommen.accounts.models import StaffIdentityLink

    anna = User.objects.get(username="anna")
    StaffIdentityLink.objects.create(authority=other_authority, provider=b_provider, subject="sub-anna", user=anna)
    response = sign_in(client, idp, b_provider, prefix=f"/a/{other_authority.slug}")
    assert response.status_code == 403 and "_auth_user_id" not in client.session


def test_group_mapping_change_takes_effect_at_next_login(client, idp, provider, mappings):
    team, other = mappings
    sign_in(client, idp, provider)
    user = User.objects.get(username="anna")
    assert user.role == "caseworker"
    client.post("/desk/logout/")
    GroupMapping.objects.filter(group="abh-sb").update(role="servicepoint")
    sign_in(client, idp, provider)
    user.refresh_from_db()
    assert user.role == "servicepoint"
    client.post("/desk/logout/")
    sign_in(client, idp, provider, user_claims(groups=["abh-lead", "abh-sb"]))
    user.refresh_from_db()
    assert user.role == "team_lead"
    assert {(m.team_id, m.is_lead) for m in Membership.objects.filter(user=user)} == {
        (other.pk, True),
        (team.pk, False),
    }
    client.post("/desk/logout/")
    sign_in(client, idp, provider, user_claims(groups=["abh-lead"]))
    assert {m.team_id for m in Membership.objects.filter(user=user)} == {other.pk}
    client.post("/desk/logout/")
    GroupMapping.objects.filter(group="abh-lead").update(role="head_of_office")
    sign_in(client, idp, provider, user_claims(groups=["abh-lead"]))
    assert client.get("/desk/audit/").status_code == 200  # head of office reads the audit log


def test_logout_calls_end_session(client, idp, provider, mappings):
    sign_in(client, idp, provider)
    issued = idp.issued[-1]
    response = client.post("/desk/logout/")
    assert response.status_code == 302 and response["Location"].startswith(f"{idp.issuer}/logout?")
    assert client.get("/desk/").status_code == 302
    back = requests.get(response["Location"], allow_redirects=False, timeout=5)
    call = idp.logout_requests[-1]
    assert call["id_token_hint"] == issued and call["client_id"] == idp.client_id
    assert back.headers["Location"] == "http://testserver/desk/login/"


def test_password_logout_stays_local(staff_client, idp, provider):
    response = staff_client.post("/desk/logout/")
    assert response["Location"] == "/desk/login/" and idp.logout_requests == []


def test_unreachable_provider_is_a_clear_502(client, authority):
    provider = StaffIdentityProvider.objects.create(
        authority=authority, name="Weg", issuer="http://127.0.0.1:9", client_id="x", enabled=True
    )
    response = client.get(f"/desk/login/sso/{provider.pk}/")
    assert response.status_code == 502


@pytest.mark.parametrize("broken", ["discovery-issuer", "discovery-list"])
def test_broken_discovery_is_a_clear_502(client, idp, provider, broken):
    idp.broken = broken
    response = client.get(f"/desk/login/sso/{provider.pk}/")
    assert response.status_code == 502
    assert idp.authorize_requests == []


@pytest.mark.parametrize("broken", ["jwks-junk", "token-junk"])
def test_broken_key_set_or_token_answer_is_refused_without_500(client, idp, provider, mappings, broken):
    idp.next_user = user_claims()
    start = client.get(f"/desk/login/sso/{provider.pk}/")
    back = urlparse(requests.get(start["Location"], allow_redirects=False, timeout=5).headers["Location"])
    idp.broken = broken
    response = client.get(back.path, parse_qs(back.query))
    assert response.status_code in (400, 502), response.status_code
    assert "_auth_user_id" not in client.session


# --- the audit log names the provider (issue 22) ----------------------------------------------------


def _case_of_team(authority, team):
    from willkommen.cases.services import open_case
    from willkommen.cases.tests.conftest import make_anliegen, make_person

    case, _code = open_case(authority, person=make_person(authority), anliegen=make_anliegen(authority), team=team)
    return case


def test_audit_entries_of_an_sso_session_name_the_provider(client, idp, provider, mappings, authority):
    from willkommen.audit.models import AuditEntry
    from willkommen.partners.models import PartnerOrganisation

    team, _other = mappings
    case = _case_of_team(authority, team)
    sign_in(client, idp, provider)
    assert client.get(f"/desk/clients/{case.person_id}/").status_code == 200
    read = AuditEntry.objects.filter(person_id=case.person_id, action="read").latest("pk")
    assert read.actor_label == "anna (caseworker) via Verzeichnis"
    # An entry a service writes with ``actor=`` only, while the SSO session's request is answered.
    org = PartnerOrganisation.objects.create(authority=authority, name="Beratung", kind="counselling")
    until = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    from willkommen.partners.tests.conftest import pdf_upload

    data = {"organisation": org.pk, "scopes": ["case_status"], "purpose": "Beratung", "valid_until": until}
    data["form_scan"] = pdf_upload("zustimmung.pdf")  # a paper consent is recorded with its signed form's scan
    assert client.post(f"/desk/partners/persons/{case.person_id}/consents/", data).status_code == 302
    given = AuditEntry.objects.filter(person_id=case.person_id, purpose="partner consent given").get()
    assert given.actor_label == "anna (caseworker) via Verzeichnis"


def test_password_sessions_name_no_provider(client, idp, provider, mappings, authority):
    from willkommen.audit.models import AuditEntry

    team, _other = mappings
    case = _case_of_team(authority, team)
    clara = make_staff(authority, "clara", teams=[team])
    verified_login(client, clara)
    assert client.get(f"/desk/clients/{case.person_id}/").status_code == 200
    assert AuditEntry.objects.filter(person_id=case.person_id, action="read").latest("pk").actor_label == (
        "clara (caseworker)"
    )
