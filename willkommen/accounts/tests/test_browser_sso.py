"""Staff single sign-on in a real browser against the local OpenID Connect provider: the caseworker
signs in through the directory, lands in the work queue and sees the cases of the team their groups
give; a refused sign-in is a clear page; both pages are axe-clean."""

import datetime as dt

import pytest

from willkommen.accounts.models import GroupMapping
from willkommen.cases.services import open_case
from willkommen.catalogue.models import Anliegen
from willkommen.clients.models import Person
from willkommen.core.testing import axe_violations, format_violations, make_team

from .oidc_provider import Provider
from .test_sso import make_provider, user_claims

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def case_of(authority, team, family_name):
    anliegen, _ = Anliegen.objects.get_or_create(
        authority=authority,
        slug="aufenthalt",
        defaults={"legal_basis": "§ 7 AufenthG", "fee_eur": 100, "complexity": "simple"},
    )
    person = Person.objects.create(
        authority=authority, family_name=family_name, given_names="Rana", date_of_birth=dt.date(1998, 4, 2)
    )
    case, _ = open_case(authority, person=person, anliegen=anliegen, team=team)
    return case


def test_caseworker_signs_in_through_the_directory_and_sees_their_team(page, live_server, authority):
    mine, other = make_team(authority, "Team Studium"), make_team(authority, "Team Familie")
    case_of(authority, mine, "Haddad")
    case_of(authority, other, "Okafor")
    with Provider() as idp:
        provider = make_provider(authority, idp)
        GroupMapping.objects.create(
            authority=authority, provider=provider, group="abh-studium", role="caseworker", team=mine
        )
        idp.next_user = user_claims(groups=["abh-studium"])

        page.goto(f"{live_server.url}/language/en/?next=/desk/login/")
        violations = axe_violations(page)
        assert violations == [], format_violations(violations)
        page.get_by_role("link", name="Sign in with Verzeichnis").click()
        page.wait_for_url(f"{live_server.url}/desk/")
        assert page.locator("h1, h2").filter(has_text="Work queue").count() == 1
        page.goto(f"{live_server.url}/desk/?scope=team")
        main = page.locator("main").inner_text()
        assert "Haddad" in main and "Okafor" not in main

        # Signing out ends the session at the directory too, then comes back to the sign-in page.
        page.locator("form[action='/desk/logout/'] button").first.click()
        page.wait_for_url(f"{live_server.url}/desk/login/")
        assert idp.logout_requests and idp.logout_requests[-1]["id_token_hint"] == idp.issued[-1]

        # A forged token: a clear page, not signed in.
        idp.tamper = "forge"
        page.get_by_role("link", name="Sign in with Verzeichnis").click()
        page.wait_for_selector("[data-testid=sso-refused]")
        assert "could not be verified" in page.locator("[data-testid=sso-refused]").inner_text()
        violations = axe_violations(page)
        assert violations == [], format_violations(violations)
        page.goto(f"{live_server.url}/desk/")
        assert "/desk/login/" in page.url
