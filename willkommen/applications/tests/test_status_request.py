"""After a request for documents the status page shows exactly what is asked, by when and what happens
next; the office's own letters are not "documents received"; a message without subject shows its text;
the status page links to writing a message (issue 14, findings 9, 10 and 3)."""

import datetime as dt
import re

import pytest
from django.utils import translation

from willkommen.applications import services
from willkommen.cases import services as case_services
from willkommen.core.dates import local_date
from willkommen.messaging.models import Direction, Message

from .test_status_and_casework import sign_in


@pytest.fixture(autouse=True)
def _no_delivery(monkeypatch):
    monkeypatch.setattr("willkommen.messaging.services.send_to_client", lambda *a, **k: None)


@pytest.fixture
def submitted(draft):
    result = services.submit(draft, idempotency_key="key-request")
    return result.case, result.access_code


def section(page, heading_id):
    match = re.search(rf'aria-labelledby="{heading_id}".*?</section>', page, re.S)
    return match.group(0) if match else ""


def received(page):
    return page.split("Documents received", 1)[1].split("</ul>", 1)[0]


@pytest.mark.django_db
def test_status_page_after_a_request_for_documents(client, submitted, caseworker):
    case, code = submitted
    case_services.transition(case, "start_review", caseworker)
    deadline = dt.date.today() + dt.timedelta(days=21)
    case_services.request_documents(
        case, caseworker, items=["photo"], note="Biometric, not older than 6 months.", deadline=deadline
    )
    assert case.letters.filter(kind="request_documents").exists()
    sign_in(client, case, code)
    page = client.get("/a/alpha/status/case/").content.decode()
    asked = section(page, "request-heading")
    assert "We need these documents from you" in asked
    with translation.override("en"):
        written = local_date(deadline)  # "25 December 2026"
    assert written in asked and "Biometric, not older than 6 months." in asked
    assert 'for="missing-photo"' in asked and 'for="missing-marriage_certificate"' not in asked
    assert "work on your case is paused" in asked and 'href="/a/alpha/messages/"' in asked
    # the other missing items stay in their own list, the requested one is not repeated there
    rest = page.split("Other documents still missing", 1)[1]
    assert 'for="missing-marriage_certificate"' in rest and 'for="missing-photo"' not in rest
    facts = page.split("Expected decision", 1)[1].split("</dd>", 1)[0]
    assert "paused since" in facts and "by " not in facts  # the decision date no longer holds
    # the office's own letter is no document the client handed in
    assert "request_documents" not in received(page) and "pass.pdf" in received(page)

    client.post(
        "/a/alpha/status/upload/",
        {"case": case.number, "checklist_key": "photo", "file": _pdf("foto.pdf")},
    )
    page = client.get("/a/alpha/status/case/").content.decode()
    assert "We need these documents from you" not in page and "paused since" not in page


def _pdf(name):
    from .conftest import file, pdf_bytes

    return file(name, pdf_bytes("Foto"))


@pytest.mark.django_db
def test_message_without_subject_shows_its_text_and_the_page_links_to_writing(client, submitted):
    case, code = submitted
    Message.objects.create(
        authority=case.authority,
        person=case.person,
        case=case,
        direction=Direction.IN,
        subject="",
        body="Wann kommt mein Termin?",
    )
    sign_in(client, case, code)
    page = client.get("/a/alpha/status/case/").content.decode()
    history = page.split('class="kern-list message-history"', 1)[1].split("</ul>", 1)[0]
    assert "You wrote: <strong><bdi>Wann kommt mein Termin?</bdi></strong>" in history
    assert '<a class="kern-link" href="/a/alpha/messages/">Write a message to your caseworker</a>' in page


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="ar", viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_arabic_status_page_after_a_request_on_a_phone(phone, live_server, draft, caseworker, monkeypatch):
    from willkommen.core.testing import axe_violations, format_violations

    result = services.submit(draft, idempotency_key="key-browser")
    case, code = result.case, result.access_code
    case_services.transition(case, "start_review", caseworker)
    case_services.request_documents(case, caseworker, items=["photo"], note="", deadline=dt.date(2030, 1, 15))
    phone.goto(f"{live_server.url}/language/ar/?next=/a/alpha/status/")
    phone.locator("input[name=number]").fill(case.number)
    phone.locator("input[name=code]").fill(code)
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_url("**/status/case/**")
    request = phone.locator("section.document-request")
    with translation.override("ar"):
        deadline = local_date(dt.date(2030, 1, 15))  # written out in Arabic, as the page shows it
    assert deadline in request.inner_text() and request.locator("input[type=file]").count() == 1
    assert request.locator("a[href='/a/alpha/messages/']").count() == 1
    phone.screenshot(path="/tmp/hc/status-ar.png", full_page=True)
    violations = axe_violations(phone)
    assert violations == [], format_violations(violations)
