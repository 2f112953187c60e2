"""In the browser on a 390-px phone: a client searches the checklist finder in their own words (German,
Arabic, Ukrainian), follows the extension matter to its questions; axe finds nothing on either page."""

import pytest

from willkommen.catalogue import demo as catalogue_demo
from willkommen.core.testing import axe_violations, format_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)


@pytest.mark.parametrize("language,query", [("de", "verlängern"), ("ar", "تمديد"), ("uk", "продовжити")])
def test_search_then_follow_to_the_checklist(phone, live_server, authority, language, query):
    catalogue_demo.load(authority)
    phone.goto(f"{live_server.url}/language/{language}/?next=/checklist/")
    assert phone.locator("html").get_attribute("lang") == language
    assert_accessible(phone)
    phone.get_by_role("searchbox").fill(query)
    phone.locator("form[role=search] button[type=submit]").click()
    results = phone.locator("#finder-results a[href='/checklist/studium/']")
    results.wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    assert_accessible(phone)
    results.click()
    phone.wait_for_url("**/checklist/studium/")
    assert phone.locator("main form").count() >= 1
    assert_accessible(phone)
