"""Browser walk: a caseworker asks another foreigners' authority on the platform from the case page; the
request arrives in that authority's incoming desk, its caseworker answers there, and the case is back in
review. Each new page is checked with axe."""

import pytest

from willkommen.core.testing import axe_violations, format_violations, make_staff, make_team

from .conftest import make_anliegen, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _axe(page):
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)


def test_a_request_to_another_authority_on_the_platform(browser, live_server, authority, other_authority, team, outbox):
    from willkommen.cases.services import open_case, transition
    from willkommen.cases.tests.test_browser import sign_in, sign_out
    from willkommen.cases.workflow import Status

    caseworker = make_staff(authority, "clara", teams=[team])
    bert = make_staff(other_authority, "bert", teams=[make_team(other_authority, "Team Beta")])
    case, _code = open_case(
        authority, person=make_person(authority, "Haddad"), anliegen=make_anliegen(authority), team=team
    )
    case.assignee = caseworker
    case.save(update_fields=["assignee"])
    transition(case, "start_review", caseworker)
    base = live_server.url

    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    sign_in(page, base, caseworker)
    page.goto(f"{base}/desk/cases/{case.pk}/")
    page.locator(f"a[href$='/desk/partners/cases/{case.pk}/request/']").click()
    _axe(page)
    page.locator("#id_recipient_type").select_option("foreigners_authority")
    page.locator("main form button[type=submit]").click()
    assert "Haddad" in page.locator("#id_question").input_value()  # the template, filled from the case
    _axe(page)
    page.locator("#id_to_authority").select_option(str(other_authority.pk))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/desk/cases/{case.pk}/")
    assert page.locator("#case-status").inner_text().strip() == "wartet auf andere Behörde"
    _axe(page)
    sign_out(page)

    beta = f"{base}/a/{other_authority.slug}"
    sign_in(page, beta, bert)
    page.goto(f"{beta}/desk/partners/incoming/")
    _axe(page)
    page.locator("main table a").first.click()
    assert "Haddad" in page.locator("main").inner_text()
    _axe(page)
    page.locator("#id_answer").fill("Aufenthaltserlaubnis bis 30.06.2027, keine offenen Verfahren.")
    page.locator("form[action$='/answer/'] button[type=submit]").click()
    page.wait_for_url("**/desk/partners/incoming/")
    assert "beantwortet" in page.locator("main table").inner_text()
    case.refresh_from_db()
    assert case.status == Status.IN_REVIEW
    context.close()
