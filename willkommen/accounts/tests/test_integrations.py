"""API tokens belong to named integration accounts (issue 10, item 10): scopes (rooms, read or write),
expiry, rotation, revocation, a desk page for the authority's administrator, every use audited. Staff
sessions in the API still need the second factor; DRF's own tokens are gone."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from willkommen.accounts import integrations
from willkommen.accounts.models import ApiToken, IntegrationAccount, User
from willkommen.audit.models import AuditEntry
from willkommen.clients.models import Person
from willkommen.core.testing import PASSWORD, make_integration, make_staff, token_client, verified_login

PERSONS = "/api/v1/clients/persons/"


@pytest.fixture
def person(authority):
    return Person.objects.create(authority=authority, family_name="Haddad", date_of_birth="1990-01-01")


@pytest.fixture
def reader(authority, team):
    return make_integration(authority, {"clients": "read"}, acts_as="caseworker", teams=[team])


# --- the token -----------------------------------------------------------------------------------------


def test_only_a_hash_of_the_token_is_stored(reader):
    account, token, key = reader
    assert key.startswith("wk_") and len(key) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert key not in {stored.key_hash, stored.prefix} and stored.key_hash == integrations.hash_key(key)
    assert key.startswith(stored.prefix)


def test_a_valid_token_reads_within_its_scope_and_every_use_is_audited(reader, person):
    account, token, key = reader
    api = token_client(key)
    assert api.get(PERSONS).status_code == 200
    assert api.get(f"{PERSONS}{person.pk}/").status_code == 200
    uses = AuditEntry.objects.filter(actor=account.user, purpose="API (integration account)")
    assert uses.count() == 2 and all(token.prefix in entry.detail for entry in uses)
    token.refresh_from_db()
    assert token.last_used_at is not None
    # the view's own audit of the person read names the integration account as the reader
    assert AuditEntry.objects.filter(action="read", person_id=person.pk, actor=account.user).exists()


def test_the_bearer_and_the_token_keyword_both_work(reader):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {reader[2]}")
    assert client.get(PERSONS).status_code == 200


@pytest.mark.parametrize("header", ["Bearer wk_nonsense", "Bearer", "Bearer a b", "Token \xff"])
def test_unknown_or_malformed_tokens_are_401(client, authority, header):
    response = client.get(PERSONS, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_token_outside_its_rooms_is_403(authority, team, reader):
    assert token_client(reader[2]).get("/api/v1/cases/").status_code == 403


def test_read_scope_cannot_write_and_write_scope_can(authority, team, monkeypatch):
    monkeypatch.setattr("willkommen.servicepoint.opening.public_holidays", lambda authority, start, end: {})
    from willkommen.core.testing import make_location
    from willkommen.servicepoint.tests.conftest import open_always

    location = open_always(make_location(authority))
    url = f"/api/v1/servicepoint/locations/{location.pk}/tickets/"
    _a, _t, read_key = make_integration(authority, {"servicepoint": "read"}, acts_as="servicepoint", name="Anzeige")
    _a, _t, write_key = make_integration(authority, {"servicepoint": "write"}, acts_as="servicepoint", name="Kiosk")
    assert token_client(read_key).get(url).status_code == 200
    assert token_client(read_key).post(url, {"category": "forms"}, format="json").status_code == 403
    assert token_client(write_key).post(url, {"category": "forms"}, format="json").status_code == 201


def test_the_account_has_its_roles_capabilities_less_the_human_only_ones(authority, team):
    lead, _token, _key = make_integration(authority, {"cases": "write"}, acts_as="team_lead", teams=[team])
    assert lead.user.can("cases.work") and lead.user.can("cases.assign")
    assert not lead.user.can("cases.approve")  # the second pair of eyes is a person
    assert not lead.user.can("admin") and not lead.user.can("audit.view")
    assert lead.user.role == "integration"


def test_an_expired_token_is_401(authority, reader):
    _account, token, key = reader
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert token_client(key).get(PERSONS).status_code == 401
    assert AuditEntry.objects.filter(detail__endswith="refused").count() == 1


def test_a_revoked_token_and_a_switched_off_account_are_401(authority, reader):
    account, token, key = reader
    integrations.revoke_token(token)
    assert token_client(key).get(PERSONS).status_code == 401
    _t, other_key = integrations.issue_token(
        account, scopes={"clients": "read"}, expires_at=timezone.now() + dt.timedelta(days=1)
    )
    assert token_client(other_key).get(PERSONS).status_code == 200
    integrations.set_active(account, False)
    assert token_client(other_key).get(PERSONS).status_code == 401


def test_a_token_never_outlives_the_maximum(authority, reader):
    account, _token, _key = reader
    token, _ = integrations.issue_token(
        account, scopes={"clients": "read"}, expires_at=timezone.now() + dt.timedelta(days=10_000)
    )
    assert token.expires_at <= timezone.now() + dt.timedelta(days=settings.API_TOKEN_MAX_DAYS)
    with pytest.raises(ValueError):
        integrations.issue_token(account, scopes={}, expires_at=timezone.now() + dt.timedelta(days=1))
    with pytest.raises(ValueError):
        integrations.issue_token(account, scopes={"clients": "read"}, expires_at=timezone.now())


def test_rotation_gives_a_new_token_and_the_old_one_ends_after_the_overlap(authority, reader):
    _account, old, old_key = reader
    new, new_key = integrations.rotate_token(old)
    old.refresh_from_db()
    assert new.scopes == old.scopes and old.replaced_by == new
    assert old.expires_at <= timezone.now() + dt.timedelta(hours=settings.API_TOKEN_ROTATION_OVERLAP_HOURS)
    assert token_client(old_key).get(PERSONS).status_code == 200  # during the overlap
    assert token_client(new_key).get(PERSONS).status_code == 200
    ApiToken.objects.filter(pk=old.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert token_client(old_key).get(PERSONS).status_code == 401
    assert token_client(new_key).get(PERSONS).status_code == 200


def test_an_integration_account_cannot_sign_in_with_a_password(client, authority, reader):
    account = reader[0]
    account.user.set_password(PASSWORD)  # even if someone set one in the admin
    account.user.save()
    response = client.post("/desk/login/", {"username": account.user.username, "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_integration_accounts_are_never_offered_as_caseworkers(authority, team, reader):
    from willkommen.accounts.roles import roles_with

    staff = User.objects.filter(authority=authority, memberships__team=team, role__in=roles_with("cases.work"))
    assert reader[0].user not in staff


# --- staff sessions in the API ----------------------------------------------------------------------


def test_a_staff_session_needs_the_second_factor(client, caseworker, person):
    plain = Client()
    plain.force_login(caseworker)
    assert plain.get(PERSONS).status_code == 401
    verified_login(client, caseworker)
    assert client.get(PERSONS).status_code == 200


def test_drf_tokens_are_gone():
    assert "rest_framework.authtoken" not in settings.INSTALLED_APPS
    assert "rest_framework.authentication.TokenAuthentication" not in str(settings.REST_FRAMEWORK)


def test_the_schema_documents_the_bearer_token(client, authority):
    schema = client.get("/api/schema/?format=json").json()
    assert schema["components"]["securitySchemes"]["integrationToken"]["scheme"] == "bearer"


# --- the desk page -------------------------------------------------------------------------------------


@pytest.fixture
def admin(client, authority):
    client.cookies["willkommen_language"] = "en"
    return verified_login(client, make_staff(authority, "jonas", role="administrator"))


def test_the_administrator_creates_an_account_and_a_token_shown_once(admin, authority, team, person):
    created = admin.post(
        "/desk/integrations/new/",
        {"name": "Fachverfahren", "description": "Sync, Tel. 123", "acts_as": "caseworker", "teams": [team.pk]},
    )
    assert created.status_code == 302
    account = IntegrationAccount.objects.get(authority=authority)
    assert created["Location"] == f"/desk/integrations/{account.pk}/"
    assert list(account.user.teams.all()) == [team]
    page = admin.get(created["Location"])
    assert page.status_code == 200 and "Fachverfahren" in page.content.decode()
    expires = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    secret = admin.post(
        f"/desk/integrations/{account.pk}/tokens/",
        {"label": "prod", "expires_on": expires, "scope_clients": "read", "scope_cases": ""},
    )
    assert secret.status_code == 200 and {"private", "no-store"} <= {
        d.strip() for d in secret["Cache-Control"].split(",")
    }
    key = secret.context["key"]
    assert key in secret.content.decode()
    assert token_client(key).get(PERSONS).status_code == 200
    assert key not in admin.get(created["Location"]).content.decode()  # never shown again
    token = ApiToken.objects.get(account=account)
    assert token.scopes == {"clients": "read"} and timezone.localtime(token.expires_at).date().isoformat() == expires
    assert AuditEntry.objects.filter(actor__username="jonas", purpose="integration accounts").count() == 2


def test_bad_token_input_is_a_400_with_messages_and_nothing_is_made(admin, authority, reader):
    account = reader[0]
    url = f"/desk/integrations/{account.pk}/tokens/"
    too_long = (timezone.localdate() + dt.timedelta(days=settings.API_TOKEN_MAX_DAYS + 1)).isoformat()
    for data, message in [
        ({"expires_on": too_long, "scope_clients": "read"}, "at most"),
        ({"expires_on": "2000-01-01", "scope_clients": "read"}, "future"),
        ({"expires_on": too_long[:4] + "-13-45", "scope_clients": "read"}, "valid date"),
        ({"expires_on": (timezone.localdate() + dt.timedelta(days=5)).isoformat()}, "at least one room"),
        ({"expires_on": (timezone.localdate() + dt.timedelta(days=5)).isoformat(), "scope_clients": "all"}, "valid"),
    ]:
        response = admin.post(url, data)
        assert response.status_code == 400, data
        assert message in response.content.decode(), (data, message)
    assert ApiToken.objects.filter(account=account).count() == 1


def test_rotate_and_revoke_from_the_desk(admin, reader):
    account, token, key = reader
    rotated = admin.post(f"/desk/integrations/{account.pk}/tokens/{token.pk}/rotate/")
    assert rotated.status_code == 200
    new_key = rotated.context["key"]
    assert token_client(new_key).get(PERSONS).status_code == 200
    new = ApiToken.objects.get(key_hash=integrations.hash_key(new_key))
    revoked = admin.post(f"/desk/integrations/{account.pk}/tokens/{new.pk}/revoke/")
    assert revoked.status_code == 302
    assert token_client(new_key).get(PERSONS).status_code == 401


def test_switching_an_account_off_and_on(admin, reader):
    account, _token, key = reader
    assert admin.post(f"/desk/integrations/{account.pk}/active/", {"active": "0"}).status_code == 302
    assert token_client(key).get(PERSONS).status_code == 401
    admin.post(f"/desk/integrations/{account.pk}/active/", {"active": "1"})
    assert token_client(key).get(PERSONS).status_code == 200


def test_another_authoritys_accounts_are_404(admin, other_authority):
    theirs, token, _key = make_integration(other_authority, {"clients": "read"}, name="Fremd")
    assert admin.get(f"/desk/integrations/{theirs.pk}/").status_code == 404
    assert admin.post(f"/desk/integrations/{theirs.pk}/tokens/{token.pk}/revoke/").status_code == 404
    assert admin.post(f"/desk/integrations/{theirs.pk}/active/", {"active": "0"}).status_code == 404
    assert "Fremd" not in admin.get("/desk/integrations/").content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_duplicate_name_is_refused(admin, reader):
    response = admin.post("/desk/integrations/new/", {"name": "fachverfahren", "acts_as": "caseworker"})
    assert response.status_code == 400 and "exists already" in response.content.decode()


@pytest.mark.parametrize(
    "role,status",
    [
        ("administrator", 200),
        ("caseworker", 403),
        ("team_lead", 403),
        ("servicepoint", 403),
        ("accommodation", 403),
        ("head_of_office", 403),
        ("partner", 403),
    ],
)
def test_the_desk_pages_once_per_role(client, authority, reader, role, status):
    verified_login(client, make_staff(authority, f"r-{role}", role=role))
    account, token, _key = reader
    assert client.get("/desk/integrations/").status_code == status
    assert client.get(f"/desk/integrations/{account.pk}/").status_code == status
    assert client.get("/desk/integrations/new/").status_code == status
    assert client.post(f"/desk/integrations/{account.pk}/tokens/{token.pk}/revoke/").status_code == (
        302 if status == 200 else 403
    )
