"""The identity provider in the admin: the authority's administrator edits their own provider and its
group mappings; the client secret is written once and never shown again."""

import pytest

from willkommen.accounts.models import GroupMapping, StaffIdentityProvider
from willkommen.core.testing import make_staff, make_team, verified_login


@pytest.fixture
def admin_client(client, authority):
    return verified_login(client, make_staff(authority, "admin-a", role="administrator", is_staff=True))


def form_data(team, **extra):
    return {
        "name": "Keycloak",
        "issuer": "https://login.alpha.example/realms/abh",
        "client_id": "willkommen",
        "client_secret": "",
        "scopes": "openid profile email",
        "match_claim": "preferred_username",
        "match_field": "username",
        "groups_claim": "groups",
        "accepted_acr": "",
        "accepted_amr": "mfa,otp",
        "mappings-TOTAL_FORMS": "1",
        "mappings-INITIAL_FORMS": "0",
        "mappings-0-group": "abh-sachbearbeitung",
        "mappings-0-role": "caseworker",
        "mappings-0-team": str(team.pk),
        "mappings-0-position": "0",
        **extra,
    }


def test_administrator_adds_provider_with_mapping_and_secret_is_never_shown(admin_client, authority, team):
    response = admin_client.post(
        "/admin/accounts/staffidentityprovider/add/", form_data(team, client_secret="geheim-123")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    provider = StaffIdentityProvider.objects.get()
    assert provider.authority == authority and provider.client_secret == "geheim-123"
    assert "geheim" not in provider.client_secret_sealed  # sealed with a key derived from SECRET_KEY
    mapping = GroupMapping.objects.get()
    assert (mapping.authority, mapping.team, mapping.role) == (authority, team, "caseworker")

    page = admin_client.get(f"/admin/accounts/staffidentityprovider/{provider.pk}/change/").content.decode()
    assert "geheim-123" not in page and 'name="client_secret"' in page

    # Saving without a secret keeps the stored one; a new one replaces it.
    data = form_data(team, **{"mappings-TOTAL_FORMS": "0"})
    admin_client.post(f"/admin/accounts/staffidentityprovider/{provider.pk}/change/", data)
    provider.refresh_from_db()
    assert provider.client_secret == "geheim-123"
    admin_client.post(
        f"/admin/accounts/staffidentityprovider/{provider.pk}/change/", {**data, "client_secret": "neu-456"}
    )
    provider.refresh_from_db()
    assert provider.client_secret == "neu-456"


def test_administrator_sees_only_own_providers_and_teams(admin_client, authority, other_authority, team):
    foreign = StaffIdentityProvider.objects.create(
        authority=other_authority, name="Beta-IdP", issuer="https://b.example", client_id="x"
    )
    foreign_team = make_team(other_authority, "Team Beta")
    listing = admin_client.get("/admin/accounts/staffidentityprovider/").content.decode()
    assert "Beta-IdP" not in listing
    assert admin_client.get(f"/admin/accounts/staffidentityprovider/{foreign.pk}/change/").status_code == 302
    add = admin_client.get("/admin/accounts/staffidentityprovider/add/").content.decode()
    assert "Team Beta" not in add and 'name="authority"' not in add
    response = admin_client.post(
        "/admin/accounts/staffidentityprovider/add/", form_data(team, **{"mappings-0-team": str(foreign_team.pk)})
    )
    assert response.status_code == 200  # the other authority's team is not a choice
    assert not StaffIdentityProvider.objects.filter(authority=authority).exists()


def test_caseworker_cannot_open_the_provider_admin(client, caseworker):
    verified_login(client, caseworker)
    assert client.get("/admin/accounts/staffidentityprovider/").status_code in (302, 403)


def test_sealed_secret_opens_after_key_rotation(settings, authority):
    provider = StaffIdentityProvider.objects.create(
        authority=authority, name="K", issuer="https://k.example", client_id="x", client_secret="alt-geheim"
    )
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "n" * 50, [old_key]
    provider.refresh_from_db()
    assert provider.client_secret == "alt-geheim"
    settings.SECRET_KEY_FALLBACKS = []
    assert provider.client_secret == ""  # no key opens it: never the sealed text instead


def test_demo_providers_show_in_the_admin(admin_client, authority):
    from willkommen.accounts import demo
    from willkommen.accounts.models import ClientIdentityProvider

    demo._load_identity_provider(authority, [])
    staff_idp = StaffIdentityProvider.objects.get(authority=authority)
    client_idp = ClientIdentityProvider.objects.get(authority=authority)
    assert not staff_idp.enabled and not client_idp.enabled
    for model, obj in (("staffidentityprovider", staff_idp), ("clientidentityprovider", client_idp)):
        listing = admin_client.get(f"/admin/accounts/{model}/")
        assert listing.status_code == 200 and obj.name in listing.content.decode()
        assert admin_client.get(f"/admin/accounts/{model}/{obj.pk}/change/").status_code == 200
    assert (
        "abh-sachbearbeitung"
        in admin_client.get(f"/admin/accounts/staffidentityprovider/{staff_idp.pk}/change/").content.decode()
    )


def test_administrator_sets_client_provider_secret_once(admin_client, authority):
    from willkommen.accounts.models import ClientIdentityProvider

    data = {
        "name": "BundID",
        "issuer": "https://id.example",
        "client_id": "willkommen",
        "client_secret": "bund-geheim",
        "scopes": "openid profile",
        "acr_high": "STORK-QAA-Level-4",
        "acr_substantial": "",
        "place_of_birth_claim": "place_of_birth",
        "enabled": "on",
    }
    assert admin_client.post("/admin/accounts/clientidentityprovider/add/", data).status_code == 302
    provider = ClientIdentityProvider.objects.get()
    assert provider.authority == authority and provider.client_secret == "bund-geheim"
    page = admin_client.get(f"/admin/accounts/clientidentityprovider/{provider.pk}/change/").content.decode()
    assert "bund-geheim" not in page
