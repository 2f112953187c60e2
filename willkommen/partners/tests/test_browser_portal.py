"""Browser walk (issue 18, the rest of the portal): the counsellor sees the client's missing document the
office asked for and hands it in; the caseworker sees on the request "received from <organisation>"; the
pages pass axe."""

import pytest

from willkommen.core.testing import axe_violations, format_violations, make_staff

from .conftest import make_anliegen, make_person, pdf_upload
from .test_consents import consent, organisation, partner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _axe(page):
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)


def test_the_counsellor_answers_a_missing_document(browser, live_server, authority, team, outbox):
    from willkommen.cases.services import open_case, request_documents
    from willkommen.cases.tests.test_browser import sign_in
    from willkommen.partners.models import PartnerDelivery

    caseworker = make_staff(authority, "clara", teams=[team])
    org = organisation(authority)
    counsellor = partner(authority, org)
    person = make_person(authority, "Rahimi", language="fa")
    case, _code = open_case(authority, person=person, anliegen=make_anliegen(authority), team=team)
    case.assignee = caseworker
    case.save(update_fields=["assignee"])
    request_documents(case, caseworker, items=["enrolment"], note="Bitte")
    consent(person, org, scopes=("case_status", "upload"))
    base = live_server.url

    ctx = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = ctx.new_page()
    page.set_default_timeout(15000)
    sign_in(page, base, counsellor, lands="/desk/partners/portal/")
    page.goto(f"{base}/desk/partners/portal/clients/{person.pk}/")
    item = page.locator(f"#missing-{case.pk}-enrolment")
    assert "Immatrikulation" in item.inner_text()
    _axe(page)
    upload = pdf_upload()
    item.locator("input[type=file]").set_input_files(
        {"name": "immatrikulation.pdf", "mimeType": "application/pdf", "buffer": upload.read()}
    )
    item.locator("button[type=submit]").click()
    page.wait_for_url(f"**/desk/partners/portal/clients/{person.pk}/")
    assert page.locator(f"#missing-{case.pk}-enrolment").count() == 0  # no longer missing
    delivery = PartnerDelivery.objects.get()

    wctx = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    wpage = wctx.new_page()
    wpage.set_default_timeout(15000)
    sign_in(wpage, base, caseworker)
    wpage.goto(f"{base}/desk/cases/{case.pk}/")
    marked = wpage.locator(f"#delivery-{delivery.pk}").inner_text()
    assert "eingegangen von" in marked and org.name in marked
    _axe(wpage)
    for context in (ctx, wctx):
        context.close()
