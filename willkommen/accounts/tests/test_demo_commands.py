"""Demo staff and the demo commands: demo_logins prints every login, totp_code gives a working code
for demo users only."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from willkommen.accounts.demo import DEMO_PASSWORD, DEMO_USERS, base32_secret, demo_key
from willkommen.accounts.models import User
from willkommen.core.testing import make_staff


def run(command, *args):
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db):
    """The demo authorities and staff only (the full load_demo is tested in catalogue/tests/test_demo.py)."""
    from willkommen.accounts import demo as accounts_demo
    from willkommen.tenancy.demo import create_authorities

    for authority in create_authorities():
        accounts_demo.load(authority)


def test_demo_staff(demo):
    assert User.objects.filter(username__in=[u["username"] for u in DEMO_USERS]).count() == len(DEMO_USERS)
    for entry in DEMO_USERS:
        user = User.objects.get(username=entry["username"])
        assert user.authority.slug == entry["authority"] and user.role == entry["role"]
        assert user.check_password(DEMO_PASSWORD)
        assert user.is_staff == (user.role == "administrator")
        device = TOTPDevice.objects.get(user=user)
        assert device.confirmed and device.key == demo_key(user.username)
    # Usernames are unique across authorities, so the keys differ too.
    assert len({demo_key(u["username"]) for u in DEMO_USERS}) == len(DEMO_USERS)
    assert User.objects.get(username="anna").teams.filter(name="Studium und Forschung").exists()


def test_demo_logins_prints_every_login(demo):
    output = run("demo_logins")
    lines = output.splitlines()
    anna = next(line for line in lines if line.split()[2:3] == ["anna"])
    assert anna.split()[:5] == ["bergstadt", "http://127.0.0.1:8000/", "anna", "caseworker", DEMO_PASSWORD]
    assert anna.split()[5] == base32_secret(demo_key("anna"))
    lea = next(line for line in lines if line.split()[2:3] == ["talheim.lea"])
    assert lea.split()[1] == "http://127.0.0.1:8000/a/talheim/"
    for entry in DEMO_USERS:
        assert f" {entry['username']} " in output
    assert "make totp USER_NAME=<username>" in output


def test_demo_logins_names_the_address_the_demo_is_served_on(demo):
    lines = run("demo_logins", "--base-url", "http://127.0.0.1:8765").splitlines()
    assert next(line for line in lines if " anna " in line).split()[1] == "http://127.0.0.1:8765/"
    assert next(line for line in lines if " talheim.lea " in line).split()[1] == "http://127.0.0.1:8765/a/talheim/"


def test_demo_logins_hides_a_user_whose_device_was_replaced(demo):
    TOTPDevice.objects.filter(user__username="ben").update(key="ab" * 20)
    output = run("demo_logins")
    assert " ben " not in output and " anna " in output


def test_totp_code_gives_a_valid_code_for_a_demo_user(demo):
    code = run("totp_code", "anna").strip()
    assert len(code) == 6 and code.isdigit()
    device = TOTPDevice.objects.get(user__username="anna")
    assert device.verify_token(code)


def test_totp_code_refuses_real_and_unknown_users(authority):
    make_staff(authority, "realperson")  # a random TOTP key, as for every real account
    with pytest.raises(CommandError):
        run("totp_code", "realperson")
    with pytest.raises(CommandError):
        run("totp_code", "nobody")
    # A real account that happens to carry a demo user name is refused too.
    make_staff(authority, "anna")
    with pytest.raises(CommandError):
        run("totp_code", "anna")


def test_demo_user_logs_in_with_printed_password_and_code(demo, client):
    """The printed login works end to end: password, then the code totp_code prints."""
    response = client.post("/desk/login/", {"username": "tom", "password": DEMO_PASSWORD, "next": "/desk/"})
    assert response.status_code == 302 and "/desk/login/verify/" in response["Location"]
    code = run("totp_code", "tom").strip()
    response = client.post("/desk/login/verify/", {"token": code, "next": "/desk/"})
    assert response.status_code == 302 and response["Location"] == "/desk/"
    assert client.get("/desk/").status_code == 200


def test_load_demo_rolls_back_a_failing_room_and_goes_on(db, monkeypatch):
    from types import SimpleNamespace

    from willkommen.accounts import demo as accounts_demo
    from willkommen.core.management.commands import load_demo
    from willkommen.tenancy.models import Team

    def broken(authority):
        Team.objects.create(authority=authority, name="half-loaded")
        raise RuntimeError("boom")

    modules = [("broken", SimpleNamespace(load=broken)), ("accounts", accounts_demo)]
    monkeypatch.setattr(load_demo, "demo_modules", lambda: modules)
    err = StringIO()
    call_command("load_demo", stdout=StringIO(), stderr=err)
    assert "room 'broken' failed for 'bergstadt'" in err.getvalue() and "boom" in err.getvalue()
    assert not Team.objects.filter(name="half-loaded").exists()
    assert User.objects.filter(username="anna").exists()  # the rooms after it still loaded
    with pytest.raises(RuntimeError):
        call_command("load_demo", "--strict", stdout=StringIO(), stderr=StringIO())
