"""The administrator's integration pages in the browser, in German and right to left (Farsi): create an
account, give it a token (shown once), rotate and revoke it; axe-core finds no WCAG 2.1 AA violation."""

import pytest
from django.conf import settings
from django.test import Client

from willkommen.accounts.models import ApiToken, IntegrationAccount
from willkommen.core.testing import axe_violations, format_violations, make_staff, make_team, verified_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user, language):
    client = verified_login(Client(), user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": "willkommen_language", "value": language, "url": live_server.url},
        ]
    )


def check(page):
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)


@pytest.mark.parametrize("language,direction", [("de", "ltr"), ("fa", "rtl")])
def test_account_token_rotate_revoke_in_the_browser(page, live_server, authority, language, direction):
    team = make_team(authority, "Team Studium")
    sign_in(page, live_server, make_staff(authority, "jonas", role="administrator"), language)
    page.goto(live_server.url + "/desk/integrations/")
    assert page.locator("html").get_attribute("dir") == direction
    check(page)
    page.locator("a[href='/desk/integrations/new/']").click()
    check(page)
    page.locator("#id_name").fill("Fachverfahren")
    page.locator("#id_acts_as").select_option("caseworker")
    page.locator(f"input[name=teams][value='{team.pk}']").check()
    page.locator("main form button[type=submit]").click()
    account = IntegrationAccount.objects.get(authority=authority)
    assert page.url.endswith(f"/desk/integrations/{account.pk}/")
    check(page)

    page.locator("#id_label").fill("Produktion")
    page.locator("input[name=scope_clients][value=read]").check()
    page.locator("input[name=scope_cases][value=write]").check()
    page.locator(f"form[action='/desk/integrations/{account.pk}/tokens/'] button[type=submit]").click()
    key = page.locator("[data-testid=token-secret]").input_value()
    assert key.startswith("wk_")
    check(page)
    token = ApiToken.objects.get(account=account)
    assert token.scopes == {"clients": "read", "cases": "write"}

    page.goto(live_server.url + f"/desk/integrations/{account.pk}/")
    assert key not in page.content()
    page.locator(f"form[action='/desk/integrations/{account.pk}/tokens/{token.pk}/rotate/'] button").click()
    assert page.locator("[data-testid=token-secret]").input_value() != key
    page.goto(live_server.url + f"/desk/integrations/{account.pk}/")
    check(page)
    page.locator(f"form[action='/desk/integrations/{account.pk}/tokens/{token.pk}/revoke/'] button").click()
    token.refresh_from_db()
    assert token.revoked_at is not None
    check(page)
