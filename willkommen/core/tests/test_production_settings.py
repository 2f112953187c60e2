"""Production defaults (issue 10, item 8): with DEBUG off, HTTPS is the only way in: redirect (also
behind a reverse proxy that says X-Forwarded-Proto), HSTS, Secure cookies, a Permissions-Policy.
The local demo and the tests switch it off explicitly with HTTPS_ONLY=off, never by weakening the
default."""

import json
import re
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

from willkommen.core.testing import make_location, make_staff, verified_login

from .test_startup import fresh_env

KEYS = [
    "DEBUG",
    "HTTPS_ONLY",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "LANGUAGE_COOKIE_SECURE",
    "SECURE_PROXY_SSL_HEADER",
    "PROXY_SSL_HEADER",
]
DUMP = (
    "import django, json; django.setup(); from django.conf import settings; "
    f"print(json.dumps({{key: getattr(settings, key) for key in {KEYS!r}}}))"
)


def settings_of_a_fresh_process(tmp_path, **env):
    result = subprocess.run(
        [sys.executable, "-c", DUMP],
        cwd=django_settings.BASE_DIR,
        env=fresh_env(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    return settings_of_a_fresh_process(tmp_path_factory.mktemp("production"))


def test_production_defaults_are_the_secure_choices(production):
    assert production["DEBUG"] is False
    assert production["HTTPS_ONLY"] is True
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] == 31_536_000
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production["SECURE_HSTS_PRELOAD"] is True
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["LANGUAGE_COOKIE_SECURE"] is True
    assert production["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_debug_and_the_explicit_switch_turn_https_off(tmp_path):
    for env in ({"HTTPS_ONLY": "off"}, {"DEBUG": "on"}):
        local = settings_of_a_fresh_process(tmp_path, **env)
        assert local["SECURE_SSL_REDIRECT"] is False, env
        assert local["SECURE_HSTS_SECONDS"] == 0, env
        assert local["SESSION_COOKIE_SECURE"] is False, env
        assert local["SECURE_PROXY_SSL_HEADER"] is None, env


def test_the_local_demo_switches_https_off_explicitly():
    script = (django_settings.BASE_DIR / "scripts" / "serve.sh").read_text()
    assert re.search(r"^export HTTPS_ONLY=off$", script, re.MULTILINE)


@pytest.fixture
def as_in_production(settings, production):
    """This process's settings set to what a fresh production process has (read above)."""
    for key, value in production.items():
        setattr(settings, key, tuple(value) if isinstance(value, list) else value)
    return settings


def test_plain_http_is_redirected_to_https(as_in_production, client, authority):
    response = client.get("/checklist/?x=1")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/checklist/?x=1"


def test_https_behind_the_proxy_gets_hsts_secure_cookies_and_permissions_policy(as_in_production, client, authority):
    proxied = {"HTTP_X_FORWARDED_PROTO": "https"}
    response = client.get("/signin/", **proxied)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert response.cookies["csrftoken"]["secure"] is True
    switched = client.get("/language/en/", **proxied)
    assert switched.cookies["willkommen_language"]["secure"] is True


def test_session_cookie_is_secure_in_production(as_in_production, client, caseworker):
    verified_login(client, caseworker)
    response = client.get("/desk/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    session = client.get("/language/de/", HTTP_X_FORWARDED_PROTO="https")
    assert session.status_code == 302
    assert client.cookies["sessionid"]["secure"] is True


def test_permissions_policy_on_every_page_and_the_camera_only_where_check_in_scans(client, authority, team):
    assert "camera=()" in client.get("/")["Permissions-Policy"]
    make_location(authority)
    verified_login(client, make_staff(authority, "sp-camera", role="servicepoint"))
    desk = client.get("/desk/servicepoint/")
    assert desk.status_code == 200
    assert "camera=(self)" in desk["Permissions-Policy"]
    assert "microphone=()" in desk["Permissions-Policy"]
