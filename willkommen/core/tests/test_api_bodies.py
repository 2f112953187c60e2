"""Every JSON endpoint refuses bodies that are not objects with a 400 and a clear message."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

BODIES = ["[null, null]", "null", "42", '"text"', "[]", "{", "\x00"]


def _api_routes():
    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                yield route

    return sorted({r for r in walk(get_resolver().url_patterns) if r.startswith("api/v1/") and "<" not in r})


@pytest.mark.parametrize("body", BODIES)
def test_non_object_json_bodies_are_refused_everywhere(client, authority, body):
    routes = _api_routes()
    assert "api/v1/appointments/bookings/" in routes
    problems = []
    for route in routes:
        response = client.generic("POST", "/" + route, body, content_type="application/json")
        if response.status_code >= 500:
            problems.append(f"{route}: {response.status_code}")
    assert not problems, problems


def test_list_body_gets_a_clear_message(client, authority):
    client.cookies["willkommen_language"] = "en"
    response = client.generic("POST", "/api/v1/appointments/bookings/", "[null, null]", content_type="application/json")
    assert response.status_code == 400
    assert "JSON object" in response.json()["detail"]


@pytest.mark.django_db
def test_huge_limit_and_offset_are_bounded(client, authority, team):
    import datetime as dt

    from willkommen.cases.services import open_case
    from willkommen.catalogue.testing import make_anliegen
    from willkommen.clients.services import create_person
    from willkommen.core.testing import make_staff, verified_login

    person = create_person(authority, family_name="Haddad", given_names="Amira", date_of_birth=dt.date(1995, 4, 2))
    open_case(authority, person=person, anliegen=make_anliegen(authority), team=team)
    api = verified_login(client, make_staff(authority, "api-lead", role="team_lead", teams=[team]))
    for url in ("/api/v1/cases/?scope=team&", "/api/v1/clients/persons/?"):
        for query in (
            "limit=329391321460498896148082557190144",
            "offset=99999999999999999999999",
            "limit=-5&offset=-1",
        ):
            response = api.get(f"{url}{query}")
            assert response.status_code == 200, (url, query, response.status_code)
            assert response.json()["count"] == 1, (url, response.json())
    assert api.get("/api/v1/clients/persons/?limit=100000").status_code == 200


def test_the_api_answers_json_with_a_code_even_where_django_refuses(client, authority):
    """No route, a NUL character: Django's own refusals are JSON under /api/ (HTML pages elsewhere)."""
    missing = client.get("/api/v1/appointments/allocation/\ufeff/requests/")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    nul = client.get("/api/v1/catalogue/anliegen/?q=%00")
    assert nul.status_code == 400 and nul.json()["code"] == "invalid"
    assert client.get("/no-such-page/")["Content-Type"].startswith("text/html")
