"""Two web server processes (gunicorn) on different ports sharing PostgreSQL and Redis, as behind a load
balancer: requests alternate between them, and the session, the rate limits, ALTCHA's replay protection and
the ServicePoint's call display hold across both.

Needs PostgreSQL (the servers use the test database; the test commits its data) and Redis
(WILLKOMMEN_TEST_WEB_REDIS_URL, default redis://127.0.0.1:6379/8)."""

import json
import os
import re
import secrets
import signal
import time
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from willkommen.core.scale.processes import Browser, django_env, free_port, redis_available, start_web, stop
from willkommen.core.testing import PASSWORD, make_location, make_staff, totp_now

REDIS_URL = os.environ.get("WILLKOMMEN_TEST_WEB_REDIS_URL", "redis://127.0.0.1:6379/8")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not redis_available(REDIS_URL), reason=f"needs Redis at {REDIS_URL}"),
]


def _database_url():
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture(scope="module")
def servers(tmp_path_factory, django_db_setup):
    tmp_path = tmp_path_factory.mktemp("web")
    prefix = f"wk-web-{uuid.uuid4().hex[:8]}"
    env = django_env(
        DATABASE_URL=_database_url(),
        REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX=prefix,
        SECRET_KEY=secrets.token_urlsafe(40),
        DEFAULT_AUTHORITY="alpha",  # the ``authority`` fixture
        HUEY_STORAGE="memory",
        EMAIL_BACKEND="locmem",
        VAR_DIR=tmp_path,
        MEDIA_ROOT=tmp_path / "media",
        LOG_LEVEL="ERROR",
        APPOINTMENTS_BOOKING_RATE_LIMIT_NO_POW=3,
        # The servers outlive each test's authority (deleted and created again between tests without a
        # signal reaching them): no per-process authority cache here.
        TENANCY_CACHE_SECONDS=0,
    )
    ports = [free_port(), free_port()]
    processes = []
    try:
        for port in ports:
            processes.append(start_web(port, env))
        yield ports
    finally:
        for process in processes:
            stop(process, sig=signal.SIGINT)  # gunicorn: quick shutdown
        import redis

        r = redis.Redis.from_url(REDIS_URL)
        for key in r.scan_iter(match=f"*{prefix}*"):
            r.delete(key)


def _staff(authority, username, role, **extra):
    """A staff member whose password the servers can check (the test settings hash with MD5)."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = make_staff(authority, username, role=role, **extra)
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "wkscale" + username, iterations=1000)
    user.save(update_fields=["password"])
    return user, TOTPDevice.objects.get(user=user)


def sign_in(browser, ports, user, device):
    """Password on the first server, second factor on the second."""
    a, b = ports
    browser.get(a, "/desk/login/")
    response = browser.post(a, "/desk/login/", {"username": user.username, "password": PASSWORD})
    assert response.status == 302, response.text[:500]
    assert "/desk/login/verify/" in response.getheader("Location")
    response = browser.post(b, "/desk/login/verify/?next=/desk/", {"token": totp_now(device)})
    assert response.status == 302, response.text[:500]


def test_session_and_csrf_across_two_servers(servers, authority):
    assert authority.slug == "alpha"
    a, b = servers
    user, device = _staff(authority, "wanda", "caseworker")
    browser = Browser()
    sign_in(browser, servers, user, device)
    for port in (a, b, a, b):
        page = browser.get(port, "/desk/")
        assert page.status == 200
        assert "wanda" in page.text.lower() or "Wanda" in page.text
    # Signing out on one server ends the session on both.
    assert browser.post(b, "/desk/logout/", {}).status in (200, 302)
    assert browser.get(a, "/desk/").status == 302


def _wait_for_fresh_minute():
    """Rate limits count per minute: do not start a sequence in the last seconds of one."""
    if time.time() % 60 > 50:
        time.sleep(61 - time.time() % 60)


def test_altcha_replay_and_rate_limits_across_two_servers(servers, authority):
    from willkommen.appointments.protection import solve

    a, b = servers
    client = Browser()
    challenge = json.loads(client.get(a, "/api/v1/appointments/challenge/").body)
    payload = solve(challenge)
    # The solved challenge is accepted once on server A (the booking itself is refused: no slot) ...
    first = client.request(a, "POST", "/api/v1/appointments/bookings/", json_body={"altcha": payload})
    assert first.status == 400 and json.loads(first.body)["code"] == "invalid"
    # ... and replayed on server B it is refused as a used proof.
    replay = client.request(b, "POST", "/api/v1/appointments/bookings/", json_body={"altcha": payload})
    assert replay.status == 400 and json.loads(replay.body)["code"] == "proof_of_work"

    # Booking attempts without proof of work: 3 a minute per address, counted across both servers.
    _wait_for_fresh_minute()
    statuses = [
        client.request(port, "POST", "/api/v1/appointments/bookings/", json_body={}).status for port in (a, b, a, b)
    ]
    assert statuses == [400, 400, 400, 429]


def test_servicepoint_call_display_across_two_servers(servers, authority):
    import datetime as dt

    from willkommen.servicepoint.services import station_for
    from willkommen.tenancy.models import OpeningHours

    a, b = servers
    location = make_location(authority, "Hauptstelle", cap=50)
    OpeningHours.objects.filter(location=location).delete()
    for weekday in range(7):
        OpeningHours.objects.create(
            authority=authority, location=location, weekday=weekday, opens=dt.time(0), closes=dt.time(23, 59, 59)
        )
    station = station_for(location)
    if timezone.localdate() in _holidays(authority):
        pytest.skip("today is a public holiday: the ServicePoint is closed")

    kiosk = Browser()
    kiosk.get(b, f"/servicepoint/kiosk/{station.kiosk_key}/")
    issued = kiosk.post(b, f"/servicepoint/kiosk/{station.kiosk_key}/ticket/", {"category": "quick_info"})
    assert issued.status == 302
    ticket_page = kiosk.get(b, issued.getheader("Location").replace(f"http://127.0.0.1:{b}", ""))
    code = re.search(r"\b([A-Z]\d{3})\b", ticket_page.text).group(1)

    user, device = _staff(authority, "paula", "servicepoint")
    desk = Browser()
    sign_in(desk, servers, user, device)
    called = desk.post(a, "/desk/servicepoint/call/", {"counter": "3", "location": str(location.pk)})
    assert called.status == 302

    display = Browser()
    for port in (b, a):
        board = display.get(port, f"/servicepoint/display/{station.display_key}/board/")
        assert board.status == 200
        assert code in board.text


def _holidays(authority):
    from willkommen.servicepoint import opening

    today = timezone.localdate()
    return opening.public_holidays(authority, today, today)
