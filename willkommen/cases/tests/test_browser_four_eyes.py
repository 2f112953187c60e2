"""Four eyes with everything in sight, in the browser (German, desktop): a caseworker drafts a decision and
ticks "discretionary" – the case page then offers "Submit for approval" and no "Finalise"; a team lead of
ANOTHER team finds it in the approvals list, reads the reasoning, sees the notice preview (a PDF framed on
the review page, under the real Content Security Policy) and approves. axe: 0 violations on every page."""

import pytest

from willkommen.core.testing import AXE_JS, axe_violations, format_violations, make_staff, make_team

from .conftest import make_anliegen, make_person
from .test_browser import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASONING = (
    "Die Voraussetzungen des § 16b AufenthG liegen vor; das Ermessen wird zugunsten der Antragstellerin ausgeübt."
)


def axe_under_csp(page):
    """axe-core in a page that enforces its CSP (no injected script tag: evaluated by the browser's tooling)."""
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa']}})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def test_team_lead_of_another_team_approves_with_everything_in_sight(browser, live_server, authority, team, outbox):
    from willkommen.cases import services
    from willkommen.cases.models import Case
    from willkommen.cases.workflow import Status

    caseworker = make_staff(authority, "clara", teams=[team])
    other_lead = make_staff(authority, "olga", role="team_lead", teams=[make_team(authority, "Team L–Z")])
    anliegen = make_anliegen(authority, "study")  # not discretionary by itself: the caseworker ticks it
    case, _code = services.open_case(authority, person=make_person(authority, "Haddad"), anliegen=anliegen, team=team)
    Case.objects.filter(pk=case.pk).update(assignee=caseworker)
    services.transition(case, "start_review", caseworker)
    base = live_server.url

    staff = browser.new_context(locale="de-DE", viewport={"width": 1366, "height": 768}, bypass_csp=True)
    page = staff.new_page()
    page.set_default_timeout(15000)
    sign_in(page, base, caseworker)
    page.goto(f"{base}/desk/cases/{case.pk}/")
    page.locator("a[href$='/decision/']").click()
    page.locator("input[name=outcome][value=grant]").check()
    page.locator("#id_reasoning").fill(REASONING)
    page.locator("#id_discretionary").check()
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/desk/cases/{case.pk}/")
    # ticking "discretionary" took effect with the draft: submit, not finalise
    assert page.locator("form[action$='/do/finalise/']").count() == 0
    assert page.locator("form[action$='/do/submit_for_approval/'] button").count() == 1
    page.locator("form[action$='/do/submit_for_approval/'] button").click()
    page.wait_for_url(f"{base}/desk/cases/{case.pk}/")
    assert page.locator("a[href$='/decision/review/']").count() == 0  # the drafter cannot approve
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)
    sign_out(page)
    staff.close()

    # The approver's browser enforces the pages' Content Security Policy: the preview must frame for real.
    approver = browser.new_context(locale="de-DE", viewport={"width": 1366, "height": 768})
    apage = approver.new_page()
    apage.set_default_timeout(20000)
    sign_in(apage, base, other_lead)
    apage.goto(f"{base}/desk/cases/approvals/")
    assert apage.locator("html").get_attribute("lang") == "de"
    violations = axe_under_csp(apage)
    assert violations == [], format_violations(violations)
    with apage.expect_response(lambda r: r.url.endswith(f"/desk/cases/{case.pk}/decision/preview.pdf")) as pdf:
        apage.locator(f"a[href$='/desk/cases/{case.pk}/decision/review/']").click()
    response = pdf.value
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert "frame-ancestors 'self'" in response.headers["content-security-policy"]
    # the frame shows it (Chromium's PDF viewer, not its error page for a refused frame)
    preview_url = f"{base}/desk/cases/{case.pk}/decision/preview.pdf"
    inner = apage.locator("iframe.notice-preview").element_handle().content_frame()
    inner.wait_for_url(preview_url)
    for _ in range(100):  # Chromium's PDF viewer opens inside the frame
        if any(f.url.startswith("chrome-extension://") for f in inner.child_frames):
            break
        apage.wait_for_timeout(100)
    assert any(f.url.startswith("chrome-extension://") for f in inner.child_frames), inner.child_frames
    assert apage.request.get(preview_url).body().startswith(b"%PDF")
    frame = apage.locator("iframe.notice-preview")
    assert frame.count() == 1 and frame.get_attribute("title")
    assert apage.locator("#review-reasoning").inner_text().strip() == REASONING
    assert apage.locator("#review-outcome").inner_text().strip() == "Erteilung"
    assert apage.get_by_role("link", name="Vorschau des Bescheids öffnen (PDF)").count() == 1
    violations = axe_under_csp(apage)
    assert violations == [], format_violations(violations)

    apage.locator("#id_comment").fill("Einverstanden.")
    apage.locator("button[value=approve]").click()
    apage.wait_for_url(f"{base}/desk/cases/approvals/")
    case.refresh_from_db()
    assert case.status == Status.DECIDED
    decision = services.current_decision(case)
    assert decision.approved_by == other_lead and decision.drafted_by == caseworker
    assert case.letters.filter(kind="decision").count() == 1  # the real notice, once; the preview stored nothing
    violations = axe_under_csp(apage)
    assert violations == [], format_violations(violations)
    approver.close()
