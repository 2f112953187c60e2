"""Every staff page, once per role (as Integreat CMS does): a permission hole shows up as a failing role.

The pages are discovered from the URL configuration, so rooms added later are covered without
touching this file. Pages with path parameters are walked too, with ids that exist nowhere: a role without
the page's capability is refused before anything is looked up (403), a role with it gets "not found" –
never a server error. What each role sees of real objects is tested by the rooms' own per-role tests.
"""

import re

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
NOWHERE = {"int": "987654321", "str": "nowhere", "slug": "nowhere", "uuid": "00000000-0000-0000-0000-000000000000"}


def desk_pages_with_parameters():
    pages = []
    for route, callback in _walk(get_resolver().url_patterns):
        if not route.startswith("desk/") or "<" not in route or "(?P" in route:
            continue
        path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: NOWHERE.get(m.group(1) or "str", "nowhere"), route)
        pages.append((path, getattr(callback, "desk_capability", None)))
    return sorted(set(pages))


PARAMETER_PAGES = desk_pages_with_parameters()


@pytest.mark.parametrize("route,capability", PAGES, ids=[p[0] for p in PAGES])
def test_anonymous_never_sees_a_desk_page(client, authority, route, capability):
    response = client.get("/" + route)
    assert response.status_code == 302, response.status_code
    assert response["Location"].startswith("/desk/login/?next=")


def _problems(client, user, pages, *, refused_if_held):
    """Each page once as ``user``: no server error, 403 without the page's capability, and with it the
    status ``refused_if_held`` never (403 for real pages; 200 for ids that exist nowhere)."""
    problems = []
    for path, capability in pages:
        status = client.get("/" + path).status_code
        if status >= 500:
            problems.append(f"{path}: {status}")
        elif capability and not user.can(capability) and status != 403:
            problems.append(f"{path}: {status}, expected 403 without {capability}")
        elif capability and user.can(capability) and status == refused_if_held:
            problems.append(f"{path}: {status} although the role holds {capability}")
    return problems


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_desk_page_once_per_role(client, authority, team, role):
    user = make_staff(authority, f"r-{role}", role=role, teams=[team])
    verified_login(client, user)
    assert not (problems := _problems(client, user, PAGES, refused_if_held=403)), problems


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_desk_page_with_parameters_once_per_role(client, authority, team, role):
    user = make_staff(authority, f"p-{role}", role=role, teams=[team])
    verified_login(client, user)
    assert not (problems := _problems(client, user, PARAMETER_PAGES, refused_if_held=200)), problems


def test_desk_pages_are_discovered():
    routes = [route for route, _ in PAGES]
    assert "desk/" in routes and "desk/clients/" in routes and "desk/audit/" in routes
    assert "desk/cases/987654321/" in [path for path, _ in PARAMETER_PAGES]
