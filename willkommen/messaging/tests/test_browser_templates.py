"""In the browser: the administrator finds a text, previews it in every language, changes the Arabic
version with a preview before saving; every page passes axe-core."""

import pytest
from django.conf import settings
from django.test import Client

from willkommen.core.testing import axe_violations, format_violations, make_staff, verified_login
from willkommen.messaging import texts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check(page):
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)


def test_administrator_changes_the_arabic_reminder(browser, live_server, authority):
    admin = make_staff(authority, "admin", role="administrator")
    cookie = verified_login(Client(), admin).cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(locale="de-DE", bypass_csp=True)  # only to inject axe-core
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page = context.new_page()
    base = f"{live_server.url}/a/{authority.slug}/desk/messaging/templates/"

    page.goto(base)
    _check(page)
    page.locator("[data-testid=template-reminder] th a").click()
    page.locator("section[aria-labelledby=preview-ar] div[dir=rtl]").wait_for()
    assert "Olena Kovalenko" in page.locator("section[aria-labelledby=preview-ar]").inner_text()
    _check(page)

    page.locator("section[aria-labelledby=preview-ar] a").click()
    page.locator("#id_body").fill("تذكير جديد: {date} الساعة {time}، {place}.")
    page.locator("button[name=preview]").click()
    assert "تذكير جديد: 15.03.2027" in page.locator("[data-testid=preview]").inner_text()
    assert texts.current(authority, "reminder", "ar").shipped  # nothing saved by the preview
    _check(page)
    page.locator("button[name=save]").click()
    page.locator("[role=status]").wait_for()
    assert texts.current(authority, "reminder", "ar").body.startswith("تذكير جديد")
    context.close()
