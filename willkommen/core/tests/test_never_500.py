"""Bad input never gives a 500: every route of every room, with junk in the path, the query and the
form body, as an anonymous visitor and as a verified staff member of each role that has pages.

Routes are discovered from the URL configuration, so rooms added later are covered without touching
this file. Path parameters get values that exist nowhere (404 expected) or are malformed."""

import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from willkommen.core.testing import make_staff, verified_login

JUNK = {
    "q": "\x00<script>alert(1)</script>" + "x" * 5000,
    "name": "'; DROP TABLE clients_person; --",
    "number": "ABH-0000-\u202e000",
    "code": "\U0001f600" * 50,
    "date": "2026-02-31",
    "page": "-1",
    "limit": "99999999999999999999",
    "language": "xx",
    "case": "ABH-2026-000001",
    "slot": "not-a-number",
    "email": "a@b@c",
    "next": "https://evil.example/",
}
SKIP = re.compile(r"^(admin/|api/|static/|media/|__debug__/)|logout/$")


def _routes():
    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                yield route

    routes = set()
    for route in walk(get_resolver().url_patterns):
        route = route.lstrip("^").rstrip("$")
        if SKIP.search(route) or "(?P" in route:
            continue
        route = re.sub(r"<int:\w+>", "987654", route)
        route = re.sub(r"<uuid:\w+>", str(uuid.UUID(int=7)), route)
        route = re.sub(r"<(?:slug|str|path):\w+>|<\w+>", "nix", route)
        routes.add("/" + route)
    return sorted(routes)


ROUTES = _routes()


def _probe(client, problems):
    for route in ROUTES:
        for method in ("get", "post"):
            response = getattr(client, method)(route, JUNK)
            if response.status_code >= 500:
                problems.append(f"{method.upper()} {route}: {response.status_code}")


def test_routes_are_discovered():
    assert "/desk/cases/" in ROUTES and "/apply/" in ROUTES and len(ROUTES) > 60


@pytest.mark.django_db
def test_anonymous_junk_never_500(client, authority):
    problems = []
    _probe(client, problems)
    assert not problems, problems


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["team_lead", "servicepoint", "head_of_office"])
def test_staff_junk_never_500(client, authority, team, role, settings):
    settings.PUBLIC_RATE_LIMIT = 100000
    verified_login(client, make_staff(authority, f"junk-{role}", role=role, teams=[team]))
    problems = []
    _probe(client, problems)
    assert not problems, problems
