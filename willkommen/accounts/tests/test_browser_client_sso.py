"""A client signs in with the eID card (BundID-style OpenID Connect, the local provider) in a real
browser: with trust level high and one fitting record they read their messages; with a lower level they
are asked for case number and access code. The sign-in page is axe-clean."""

import datetime as dt

import pytest

from willkommen.accounts.models import ClientIdentityProvider
from willkommen.clients.models import Person
from willkommen.core.testing import axe_violations, format_violations

from .oidc_provider import Provider
from .test_client_sso import EID, eid_claims

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("acr,reads_messages", [(EID, True), ("urn:bund:low", False)])
def test_client_signs_in_with_the_eid_card(page, live_server, authority, acr, reads_messages):
    Person.objects.create(
        authority=authority,
        family_name="Haddad",
        given_names="Rana",
        date_of_birth=dt.date(1998, 4, 2),
        place_of_birth="Aleppo",
    )
    with Provider() as idp:
        ClientIdentityProvider.objects.create(
            authority=authority,
            name="BundID",
            issuer=idp.issuer,
            client_id=idp.client_id,
            client_secret=idp.client_secret,
            acr_high=EID,
            enabled=True,
        )
        idp.next_user = eid_claims(acr=acr)
        page.goto(f"{live_server.url}/language/en/?next=/signin/%3Fnext%3D/messages/")
        violations = axe_violations(page)
        assert violations == [], format_violations(violations)
        page.get_by_role("link", name="Sign in with BundID").click()
        page.wait_for_url(f"{live_server.url}/messages/")
        text = page.locator("main").inner_text()
        asks_for_code = "access code" in text
        assert asks_for_code is not reads_messages
        violations = axe_violations(page)
        assert violations == [], format_violations(violations)


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="ar", viewport={"width": 390, "height": 844}, bypass_csp=True)
    phone = context.new_page()
    phone.set_default_timeout(15000)
    yield phone
    context.close()


def _matters(authority):
    from willkommen.cases.services import open_case
    from willkommen.cases.tests.conftest import make_anliegen
    from willkommen.core.testing import make_team

    rana = Person.objects.create(
        authority=authority,
        family_name="Haddad",
        given_names="Rana",
        date_of_birth=dt.date(1998, 4, 2),
        place_of_birth="Aleppo",
        preferred_language="ar",
    )
    team, anliegen = make_team(authority, "Team A–K"), make_anliegen(authority)
    return [open_case(authority, person=rana, anliegen=anliegen, team=team)[0] for _ in range(2)]


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("acr,sees_all", [(EID, True), ("urn:bund:low", False)])
def test_my_matters_on_a_phone(phone, live_server, authority, acr, sees_all, language):
    """ "My matters" on a 390-px phone, in English and in Arabic (RTL): with the eID card all the person's
    cases; with a lower level the page asks for case number and access code instead. Axe-clean."""
    from willkommen.applications.tests.test_trusted_sign_in import letter_of

    cases = _matters(authority)
    letter = letter_of(cases[0])
    with Provider() as idp:
        bundid = ClientIdentityProvider.objects.create(
            authority=authority,
            name="BundID",
            issuer=idp.issuer,
            client_id=idp.client_id,
            client_secret=idp.client_secret,
            acr_high=EID,
            enabled=True,
        )
        idp.next_user = eid_claims(acr=acr)
        phone.goto(f"{live_server.url}/language/{language}/?next=/")
        phone.goto(f"{live_server.url}/signin/oidc/{bundid.pk}/?next=/my/")
        phone.wait_for_url(f"{live_server.url}/my/")
    text = phone.locator("main").inner_text()
    assert phone.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    assert all(case.number in text for case in cases) is sees_all
    assert (phone.locator(f"a[href='/status/letter/{letter.pk}.pdf']").count() == 1) is sees_all
    assert (phone.locator("a[href='/status/']").count() == 1) is not sees_all  # asked for the access code
    if language == "en" and not sees_all:
        assert "access code" in text
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling
    violations = axe_violations(phone)
    assert violations == [], format_violations(violations)
