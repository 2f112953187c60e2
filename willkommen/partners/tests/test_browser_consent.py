"""Browser walk (issue 18): a client gives a counselling service consent in the portal in Farsi (after a
sign-in with case number and access code the page explains that giving needs the ID card, issue 22; the
client then signs in with the eID card through the local OpenID Connect provider); the
counsellor signs in and uploads a missing document for the client; the caseworker sees it on the case,
marked as received from the partner, and in the e-file; the client takes the consent back and the
counsellor's next request is refused."""

import datetime as dt

import pytest
from django.utils import timezone

from willkommen.accounts.models import ClientIdentityProvider
from willkommen.accounts.tests.oidc_provider import Provider
from willkommen.accounts.tests.test_client_sso import EID, eid_claims
from willkommen.core.testing import axe_violations, format_violations, make_staff

from .conftest import make_anliegen, make_person, pdf_upload
from .test_consents import organisation, partner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _axe(page):
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)


def test_consent_in_farsi_upload_by_the_counsellor_and_revocation(browser, live_server, authority, team, outbox):
    from willkommen.cases.services import open_case
    from willkommen.cases.tests.test_browser import sign_in
    from willkommen.efile.models import Document
    from willkommen.partners.models import PartnerDelivery

    caseworker = make_staff(authority, "clara", teams=[team])
    org = organisation(authority)
    counsellor = partner(authority, org)
    person = make_person(authority, "Rahimi", language="fa")
    case, code = open_case(authority, person=person, anliegen=make_anliegen(authority), team=team)
    case.assignee = caseworker
    case.save(update_fields=["assignee"])
    base = live_server.url

    client_ctx = browser.new_context(locale="fa", viewport={"width": 412, "height": 915}, bypass_csp=True)
    cpage = client_ctx.new_page()
    cpage.set_default_timeout(15000)
    cpage.goto(f"{base}/status/")
    cpage.locator("#id_number").fill(case.number)
    cpage.locator("#id_code").fill(code)
    cpage.locator("main form button[type=submit]").click()
    cpage.wait_for_url("**/status/case/**")
    cpage.goto(f"{base}/consents/")
    assert cpage.locator("html").get_attribute("dir") == "rtl" and cpage.locator("html").get_attribute("lang") == "fa"
    assert cpage.locator(".consent-needs-trust").is_visible() and cpage.locator("#id_organisation").count() == 0
    _axe(cpage)
    with Provider() as idp:
        bundid = ClientIdentityProvider.objects.create(
            authority=authority,
            name="BundID",
            issuer=idp.issuer,
            client_id=idp.client_id,
            client_secret=idp.client_secret,
            acr_high=EID,
            enabled=True,
        )
        idp.next_user = eid_claims(family_name="Rahimi", place_of_birth="")
        cpage.goto(f"{base}/signin/oidc/{bundid.pk}/?next=/consents/")
        cpage.wait_for_url(f"{base}/consents/")
    _axe(cpage)
    cpage.locator("#id_organisation").select_option(str(org.pk))
    cpage.locator("input[name=scopes][value=case_status]").check()
    cpage.locator("input[name=scopes][value=upload]").check()
    cpage.locator("#id_purpose").fill("مشاوره درباره اجازه اقامت")
    cpage.locator("#id_valid_until").fill((timezone.localdate() + dt.timedelta(days=60)).isoformat())
    cpage.locator("main form:not([action]) button[type=submit]").click()
    cpage.wait_for_url(f"{base}/consents/")
    assert org.name in cpage.locator("main").inner_text()
    _axe(cpage)

    staff_ctx = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = staff_ctx.new_page()
    page.set_default_timeout(15000)
    sign_in(page, base, counsellor, lands="/desk/partners/portal/")
    _axe(page)
    page.locator("main table a").first.click()
    assert case.number in page.locator("main").inner_text()
    _axe(page)
    missing = page.locator(f"#missing-{case.pk}-passport")  # the checklist's passport has not arrived
    upload = pdf_upload()
    missing.locator("input[type=file]").set_input_files(
        {"name": "pass.pdf", "mimeType": "application/pdf", "buffer": upload.read()}
    )
    missing.locator("button[type=submit]").click()
    page.wait_for_url(f"**/desk/partners/portal/clients/{person.pk}/")
    assert page.locator(f"#missing-{case.pk}-passport").count() == 0  # no longer missing
    document = Document.objects.get(person=person, uploaded_by=counsellor)
    assert document.case_id == case.pk and document.title.startswith(org.name)
    delivery = PartnerDelivery.objects.get(document=document)

    worker_ctx = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    wpage = worker_ctx.new_page()
    wpage.set_default_timeout(15000)
    sign_in(wpage, base, caseworker)
    wpage.goto(f"{base}/desk/cases/{case.pk}/")
    marked = wpage.locator(f"#delivery-{delivery.pk}").inner_text()
    assert f"eingegangen von {org.name}" in marked
    wpage.goto(f"{base}/desk/efile/person/{person.pk}/")
    assert document.title in wpage.locator("main").inner_text()

    cpage.goto(f"{base}/consents/")
    cpage.locator("form[action$='/revoke/'] button").click()
    cpage.wait_for_url(f"{base}/consents/")
    refused = page.goto(f"{base}/desk/partners/portal/clients/{person.pk}/")
    assert refused.status == 404
    for context in (client_ctx, staff_ctx, worker_ctx):
        context.close()
