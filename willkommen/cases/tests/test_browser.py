"""One browser walk through the casework: queue → request a document → the client uploads it →
discretionary decision drafted → approved by a second person → decision notice in German and Arabic
in the e-file."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from willkommen.core.testing import PASSWORD, axe_violations, format_violations, make_staff, totp_now

from .conftest import make_anliegen, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base, user, lands="/desk/"):
    """Sign ``user`` in at the desk; ``lands``: the page the desk sends them to (a partner's is the portal)."""
    page.goto(f"{base}/desk/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/desk/login/verify/**")
    page.locator("#id_token").fill(totp_now(TOTPDevice.objects.get(user=user)))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}{lands}")


def sign_out(page):
    page.locator("form[action$='/desk/logout/'] button").click()


def test_casework_from_queue_to_approved_decision(browser, live_server, authority, team, outbox):
    from weasyprint import HTML

    from willkommen.cases.models import Case
    from willkommen.cases.services import open_case
    from willkommen.cases.workflow import Status

    caseworker = make_staff(authority, "clara", teams=[team])
    lead = make_staff(authority, "lena", role="team_lead", teams=[team])
    anliegen = make_anliegen(authority, "family", complexity="complex", discretionary=True, legal_basis="§ 30 AufenthG")
    person = make_person(authority, "Haddad", language="ar")
    case, code = open_case(authority, person=person, anliegen=anliegen, team=team)
    Case.objects.filter(pk=case.pk).update(assignee=caseworker)
    base = live_server.url

    staff = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = staff.new_page()
    page.set_default_timeout(15000)
    sign_in(page, base, caseworker)
    assert page.locator(f"a:has-text('{case.number}')").count() == 1  # the queue
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)
    page.locator(f"a:has-text('{case.number}')").click()
    page.locator("form[action$='/do/start_review/'] button").click()
    page.locator("a[href$='/request-documents/']").click()
    # the checklist by name, the documents missing from the file preticked (issue 15 item 4)
    assert page.locator("label[for=id_items_enrolment]").inner_text().startswith("Immatrikulation")
    assert (
        page.locator("input[value='enrolment']").is_checked() and page.locator("input[value='passport']").is_checked()
    )
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)
    page.locator("input[value='passport']").uncheck()  # seen at the counter
    page.locator("#id_note").fill("Bitte die aktuelle Immatrikulationsbescheinigung.")
    page.locator("main form button[type=submit]").click()
    assert page.locator("#case-status").inner_text().strip()
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)
    case.refresh_from_db()
    assert case.status == Status.DOCUMENTS_REQUESTED and outbox[-1]["language"] == "ar"

    client = browser.new_context(locale="ar", viewport={"width": 412, "height": 915}, bypass_csp=True)
    cpage = client.new_page()
    cpage.set_default_timeout(15000)
    cpage.goto(f"{base}/status/")
    cpage.locator("#id_number").fill(case.number)
    cpage.locator("#id_code").fill(code)
    cpage.locator("main form button[type=submit]").click()
    cpage.wait_for_url("**/status/case/**")
    pdf = HTML(string="<p>Immatrikulationsbescheinigung</p>").write_pdf()
    cpage.locator("#missing-enrolment").set_input_files(
        {"name": "enrolment.pdf", "mimeType": "application/pdf", "buffer": pdf}
    )
    cpage.locator("#missing-enrolment").locator("xpath=..").locator("button[type=submit]").click()
    from willkommen.efile.models import Document

    assert Document.objects.filter(case=case, document_type="enrolment").exists()
    case.refresh_from_db()
    assert case.status == Status.IN_REVIEW  # everything asked for arrived: back in review, clock running

    page.goto(f"{base}/desk/cases/{case.pk}/")
    assert page.locator("form[action$='/do/documents_received/'] button").count() == 0
    page.locator("a[href$='/decision/']").click()
    page.locator("input[name=outcome][value=grant]").check()
    page.locator("#id_reasoning").fill("Die Voraussetzungen des § 30 AufenthG liegen vor.")
    page.locator("main form button[type=submit]").click()
    page.locator("form[action$='/do/submit_for_approval/'] button").click()
    assert page.locator("button[value=approve]").count() == 0  # the drafter cannot approve
    sign_out(page)

    sign_in(page, base, lead)
    page.goto(f"{base}/desk/cases/approvals/")
    page.locator(f"a:has-text('{case.number}')").click()
    page.locator("#id_comment").fill("Einverstanden.")
    page.locator("button[value=approve]").click()
    case.refresh_from_db()
    assert case.status == Status.DECIDED
    letter = case.letters.get(kind="decision")
    assert letter.languages == "de+ar" and letter.efile_document_id
    assert Document.objects.filter(pk=letter.efile_document_id, case=case).exists()
    assert outbox[-1]["template_key"] == "decision_notice" and outbox[-1]["language"] == "ar"
    response = page.request.get(f"{base}/desk/cases/{case.pk}/letters/{letter.pk}/")
    assert response.body().startswith(b"%PDF")

    cpage.reload()
    assert cpage.locator(".case-state").inner_text().strip()
    # The decision notice is on the client's status page and downloads as the same PDF.
    link = cpage.locator(f"a[href$='/status/letter/{letter.pk}.pdf']")
    assert link.count() == 1
    download = cpage.request.get(
        link.get_attribute("href") if "://" in link.get_attribute("href") else base + link.get_attribute("href")
    )
    assert download.status == 200 and download.body() == letter.file.open("rb").read()
    violations = axe_violations(cpage)
    assert violations == [], format_violations(violations)
    staff.close()
    client.close()
