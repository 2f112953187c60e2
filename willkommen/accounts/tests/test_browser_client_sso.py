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
