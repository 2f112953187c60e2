"""The office sets itself up, in the browser (German, 1366 × 768): the head of office goes from the desk to
the set-up hub, records a change in the law, sees the open draft that now needs a second pair of eyes,
and finds the change in the change history. axe: 0 violations on every page."""

import datetime as dt

import pytest

from willkommen.core.testing import axe_violations, format_violations, make_staff

from .conftest import make_anliegen, make_person
from .test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_violations(page):
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)


def test_hub_law_change_history(browser, live_server, authority, team, outbox):
    from willkommen.cases import services

    caseworker = make_staff(authority, "clara", teams=[team])
    head = make_staff(authority, "hanna", role="head_of_office")
    anliegen = make_anliegen(authority, "study")
    case, _code = services.open_case(authority, person=make_person(authority, "Haddad"), anliegen=anliegen, team=team)
    case.assignee = caseworker
    case.save()
    services.transition(case, "start_review", caseworker)
    start, end = services.proposed_validity(case)
    services.draft_decision(
        case, caseworker, outcome="grant", legal_basis="§ 16b AufenthG", reasoning="ok", valid_from=start, valid_to=end
    )
    base = live_server.url
    context = browser.new_context(locale="de-DE", viewport={"width": 1366, "height": 768}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    sign_in(page, base, head)

    page.get_by_role("link", name="Die Behörde einrichten").first.click()
    page.wait_for_url(f"{base}/desk/office/")
    _no_violations(page)
    page.locator("[data-testid=office-setup] a", has_text="Rechtsänderungen").click()
    page.wait_for_url(f"{base}/desk/cases/law-changes/")
    _no_violations(page)
    page.get_by_role("link", name="Rechtsänderung erfassen").click()
    page.locator("#id_legal_basis").fill("§ 16b AufenthG")
    page.locator("#id_changed_on").fill(dt.date.today().isoformat())
    page.locator("#id_note").fill("Neufassung durch das Fachkräfteeinwanderungsgesetz")
    _no_violations(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/desk/cases/law-changes/*/")
    assert case.number in page.locator("[data-testid=law-change-drafts]").inner_text()
    _no_violations(page)

    page.goto(f"{base}/desk/office/")
    page.get_by_role("link", name="Änderungsverlauf").click()
    page.wait_for_url(f"{base}/desk/office/history/")
    history = page.locator("[data-testid=office-history]").inner_text()
    assert "Rechtsänderung § 16b AufenthG" in history and "Neufassung" in history
    _no_violations(page)
    context.close()
