"""Every staff page, once per role (as Integreat CMS does): a permission hole shows up as a failing role.

The pages are discovered from the URL configuration, so rooms added later are covered without
touching this file. Pages with path parameters are covered by their rooms' own tests.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from willkommen.accounts.roles import Role
from willkommen.core.testing import make_staff, verified_login

PUBLIC_DESK_PATHS = {"desk/login/", "desk/login/verify/", "desk/login/setup/", "desk/logout/"}


def _walk(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.callback


def desk_pages():
    pages = []
    for route, callback in _walk(get_resolver().url_patterns):
        if not route.startswith("desk/") or "<" in route or "(?P" in route or route in PUBLIC_DESK_PATHS:
            continue
        pages.append((route, getattr(callback, "desk_capability", None)))
    return sorted(set(pages))


PAGES = desk_pages()


@pytest.mark.parametrize("route,capability", PAGES, ids=[p[0] for p in PAGES])
def test_anonymous_never_sees_a_desk_page(client, authority, route, capability):
    response = client.get("/" + route)
    assert response.status_code == 302, response.status_code
    assert response["Location"].startswith("/desk/login/?next=")


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_desk_page_once_per_role(client, authority, team, role):
    user = make_staff(authority, f"r-{role}", role=role, teams=[team])
    verified_login(client, user)
    problems = []
    for route, capability in PAGES:
        response = client.get("/" + route)
        if response.status_code >= 500:
            problems.append(f"{route}: {response.status_code}")
        elif capability and not user.can(capability) and response.status_code != 403:
            problems.append(f"{route}: {response.status_code}, expected 403 without {capability}")
        elif capability and user.can(capability) and response.status_code == 403:
            problems.append(f"{route}: 403 although the role holds {capability}")
    assert not problems, problems


def test_desk_pages_are_discovered():
    routes = [route for route, _ in PAGES]
    assert "desk/" in routes and "desk/clients/" in routes and "desk/audit/" in routes
