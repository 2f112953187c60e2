"""Staff accounts in the admin: an authority's administrator manages its own staff only and can never
grant platform rights (superuser, permissions) or move anybody to another authority."""

import pytest

from willkommen.accounts.models import User
from willkommen.core.testing import make_staff, verified_login


@pytest.fixture
def admin_client(client, authority):
    return verified_login(client, make_staff(authority, "admin-a", role="administrator", is_staff=True))


def test_administrator_cannot_make_a_superuser_or_move_staff(admin_client, caseworker, other_authority):
    url = f"/admin/accounts/user/{caseworker.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="is_superuser"' not in html and 'name="user_permissions"' not in html
    assert 'name="authority"' not in html
    response = admin_client.post(
        url,
        {
            "username": caseworker.username,
            "first_name": "Clara",
            "last_name": "Neu",
            "email": "clara@example.org",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "authority": other_authority.pk,
            "role": "caseworker",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    caseworker.refresh_from_db()
    assert caseworker.last_name == "Neu"
    assert not caseworker.is_superuser and caseworker.authority_id != other_authority.pk


def test_administrator_sees_only_own_staff(admin_client, caseworker, other_authority):
    foreign = make_staff(other_authority, "bert")
    listing = admin_client.get("/admin/accounts/user/").content.decode()
    assert "clara" in listing and "bert" not in listing
    # Django's admin answers an object outside its queryset like a missing one: back to the admin home
    response = admin_client.get(f"/admin/accounts/user/{foreign.pk}/change/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert User.objects.get(pk=foreign.pk).authority_id == other_authority.pk


def test_caseworker_has_no_staff_admin(client, authority):
    user = make_staff(authority, "cw-staff", role="caseworker", is_staff=True)
    verified_login(client, user)
    assert client.get("/admin/accounts/user/").status_code == 403
