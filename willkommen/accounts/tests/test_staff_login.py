import pytest
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from willkommen.core.testing import PASSWORD, make_staff, totp_now


def login(client, username, password=PASSWORD, prefix=""):
    return client.post(f"{prefix}/desk/login/", {"username": username, "password": password, "next": "/desk/"})


def test_password_then_totp_opens_the_desk(client, caseworker):
    client.cookies["willkommen_language"] = "en"
    response = login(client, "clara")
    assert response.status_code == 302 and "/desk/login/verify/" in response["Location"]
    # Password alone does not open the desk.
    assert client.get("/desk/").status_code == 302
    device = TOTPDevice.objects.get(user=caseworker)
    wrong = client.post("/desk/login/verify/", {"token": "000000", "next": "/desk/"})
    assert wrong.status_code == 400 and "not valid" in wrong.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    ok = client.post("/desk/login/verify/", {"token": totp_now(device), "next": "/desk/"})
    assert ok.status_code == 302 and ok["Location"] == "/desk/"
    assert client.get("/desk/").status_code == 200


def test_first_login_sets_up_totp_and_recovery_codes(client, authority):
    user = make_staff(authority, "neu", totp=False)
    response = login(client, "neu")
    assert "/desk/login/setup/" in response["Location"]
    page = client.get("/desk/login/setup/")
    assert page.status_code == 200 and "data:image/svg+xml" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post("/desk/login/setup/", {"token": totp_now(device), "next": "/desk/"})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/desk/").status_code == 200

    # A recovery code works exactly once.
    client.post("/desk/logout/")
    login(client, "neu")
    assert client.post("/desk/login/verify/", {"token": codes[0], "next": "/desk/"}).status_code == 302
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    client.post("/desk/logout/")
    login(client, "neu")
    again = client.post("/desk/login/verify/", {"token": codes[0], "next": "/desk/"})
    assert again.status_code == 400


def test_staff_of_another_authority_cannot_sign_in_here(client, caseworker, other_authority):
    make_staff(other_authority, "bert")
    response = login(client, "bert")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_session_does_not_cross_authorities(staff_client, other_authority):
    assert staff_client.get("/desk/").status_code == 200
    response = staff_client.get(f"/a/{other_authority.slug}/desk/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_open_redirect_is_refused(client, caseworker):
    response = client.post("/desk/login/", {"username": "clara", "password": PASSWORD, "next": "https://evil.example/"})
    assert "evil.example" not in response["Location"]


def test_logout_requires_post(staff_client):
    assert staff_client.get("/desk/logout/").status_code == 405


@pytest.mark.parametrize("role,status", [("caseworker", 403), ("head_of_office", 200), ("administrator", 200)])
def test_audit_page_by_role(client, authority, role, status):
    from willkommen.core.testing import verified_login

    verified_login(client, make_staff(authority, f"u-{role}", role=role))
    assert client.get("/desk/audit/").status_code == status
