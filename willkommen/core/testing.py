"""Shared test helpers: tenants, staff with a verified second factor, browser helpers."""

import datetime as dt
import json
from pathlib import Path

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from willkommen.tenancy.models import Authority, Location, OpeningHours, Team

PASSWORD = "correct horse battery staple"  # noqa: S105 (test password)
AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"


def make_authority(slug="alpha", name="Stadt Alpha", state="BY", **extra):
    authority, _ = Authority.objects.get_or_create(
        slug=slug,
        defaults={
            "name": name,
            "federal_state": state,
            "street": "Marktplatz 1",
            "postal_code": "80331",
            "city": name.split()[-1],
            "phone": "+49 89 1234-0",
            "email": f"abh@{slug}.example",
            "phone_hours": "Mo–Fr 9–12",
            "consultation_hours": "Di 8–12",
            "languages": [code for code, _ in settings.LANGUAGES],
            **extra,
        },
    )
    return authority


def make_location(authority, name="Hauptstelle", cap=40):
    location = Location.objects.create(authority=authority, name=name, city=authority.city, waiting_room_cap=cap)
    for weekday in range(5):
        OpeningHours.objects.create(
            authority=authority, location=location, weekday=weekday, opens=dt.time(8), closes=dt.time(16)
        )
    return location


def make_team(authority, name="Team A–K"):
    return Team.objects.create(authority=authority, name=name)


def make_staff(authority, username, role="caseworker", teams=(), totp=True, **extra):
    from willkommen.accounts.models import Membership, User

    user = User.objects.create_user(
        username=username, password=PASSWORD, authority=authority, role=role, first_name=username.title(), **extra
    )
    for team in teams:
        Membership.objects.create(authority=authority, user=user, team=team, is_lead=role == "team_lead")
    if totp:
        TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return user


def verified_login(client, user):
    """Sign a Django test client in as ``user`` with the second factor passed."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="authenticator", confirmed=True
    )
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def make_integration(authority, scopes, acts_as="caseworker", teams=(), name="Fachverfahren", days=30):
    """An integration account acting as ``acts_as`` (in ``teams``) with one token of ``scopes``
    ({room: "read" | "write"}). Returns ``(account, token, key)``."""
    import datetime as dt

    from django.utils import timezone

    from willkommen.accounts import integrations

    account = integrations.create_account(authority, name=name, acts_as=acts_as, teams=teams)
    token, key = integrations.issue_token(account, scopes=scopes, expires_at=timezone.now() + dt.timedelta(days=days))
    return account, token, key


def token_client(key):
    """A DRF test client that sends ``key`` as its bearer token."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def totp_now(device):
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def axe_violations(page):
    """Run axe-core in the page; returns the list of violations (WCAG 2.1 A/AA rules)."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa']}})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def format_violations(violations):
    return json.dumps(violations, indent=1, ensure_ascii=False)
