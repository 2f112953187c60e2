"""The client's link by e-mail in a real browser (Arabic, right to left): request, confirm page, sign-in,
sign-out; axe-core finds no WCAG 2.1 AA violation on the pages of the way."""

import re

import pytest
from django.core import mail

from willkommen.core.testing import axe_violations, format_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_by_link_and_sign_out_in_arabic(page, live_server, authority):
    page.goto(f"{live_server.url}/language/ar/?next=/signin/")
    page.locator("#id_email").fill("amal@example.org")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/signin/")
    link = re.search(r"https?://\S+/signin/\S+/", mail.outbox[-1].body).group(0)
    assert "amal" not in link

    page.goto(link)
    assert page.locator("html").get_attribute("dir") == "rtl"
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    sign_out = page.locator("footer form button[type=submit]")
    assert sign_out.count() == 1

    sign_out.click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("footer form button[type=submit]").count() == 0
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)

    page.goto(link)  # the link worked once
    assert page.locator("h1").count() == 1 and page.locator("main form").count() == 0
