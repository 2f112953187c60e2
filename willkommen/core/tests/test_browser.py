"""Browser tests of the foundation: Playwright driving Debian's Chromium, axe-core for WCAG 2.1 AA."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from willkommen.catalogue.testing import make_anliegen
from willkommen.core.testing import PASSWORD, axe_violations, format_violations, make_staff, totp_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def portal(live_server, authority):
    make_anliegen(authority)
    return live_server.url


@pytest.mark.parametrize("language,direction", [("de", "ltr"), ("ar", "rtl")])
def test_portal_home_and_checklist_are_accessible(page, portal, language, direction):
    page.goto(f"{portal}/language/{language}/?next=/")
    assert page.locator("html").get_attribute("dir") == direction
    assert page.locator("html").get_attribute("lang") == language
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)
    page.goto(f"{portal}/checklist/study/result/?married=yes")
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)


def test_checklist_flow_two_answer_sets_and_pdf(page, portal):
    page.goto(f"{portal}/language/de/?next=/")
    page.get_by_role("link", name="What do I need to bring?").or_(
        page.get_by_role("link", name="Was muss ich mitbringen?")
    ).first.click()
    page.get_by_role("link", name="Aufenthaltserlaubnis zum Studium").click()
    page.locator("#q-married-yes").check()
    page.locator("#q-blocked_account-yes").check()
    page.locator("main form button[type=submit]").click()
    first = page.locator("[data-testid=checklist] li").evaluate_all("els => els.map(e => e.dataset.key)")
    assert first == ["passport", "photo", "marriage_certificate", "blocked_account_proof"]

    with page.expect_download() as download_info:
        page.locator("a[download]").click()
    pdf = download_info.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")

    page.go_back() if page.url.endswith(".pdf") else None
    page.locator("a.kern-btn--secondary").click()
    page.locator("#q-married-no").check()
    page.locator("#q-blocked_account-no").check()
    page.locator("main form button[type=submit]").click()
    second = page.locator("[data-testid=checklist] li").evaluate_all("els => els.map(e => e.dataset.key)")
    assert second == ["passport", "photo", "scholarship"]


def test_desk_login_with_totp(page, live_server, authority, team):
    user = make_staff(authority, "dora", teams=[team])
    device = TOTPDevice.objects.get(user=user)
    page.goto(f"{live_server.url}/desk/")
    page.locator("#id_username").fill("dora")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/desk/login/verify/**")
    page.locator("#id_token").fill(totp_now(device))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/desk/")
    assert "Dora" in page.locator("h1").inner_text()
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)
