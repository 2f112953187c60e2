"""Browser (desktop 1280 × 800, German): from the work queue to the case, by the client's name to the person
view, to the e-file and the message thread and back by links; axe finds nothing on any of these pages."""

import pytest

from willkommen.cases.tests.test_browser import sign_in
from willkommen.core.testing import axe_violations, format_violations
from willkommen.core.tests.world import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _axe(page, where):
    violations = axe_violations(page)
    assert violations == [], f"{where}: {format_violations(violations)}"


def test_queue_case_person_efile_thread_and_back(browser, live_server, authority, other_authority, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    settings.CLAMD_SOCKET = ""
    world = build(authority, other_authority)
    own, user = world["own"], world.staff["caseworker"]
    own.case.assignee = user
    own.case.save()
    base = live_server.url
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 800}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        sign_in(page, base, user)
        _axe(page, "queue")
        page.get_by_role("link", name=own.case.number, exact=True).click()
        page.wait_for_url(f"{base}/desk/cases/{own.case.pk}/")
        _axe(page, "case")

        page.locator("#person-link").click()
        person_url = f"{base}/desk/clients/{own.person.pk}/"
        page.wait_for_url(person_url)
        assert page.locator("html").get_attribute("lang") == "de"
        assert page.locator("#person-cases").inner_text() == "Vorgänge"
        assert page.locator(f'[data-case="{own.case.number}"]').count() == 1
        assert page.locator("#person-messages .kern-badge").count() == 1  # the unread message is marked
        _axe(page, "person view")

        page.locator("#efile-link").click()
        page.wait_for_url(f"{base}/desk/efile/person/{own.person.pk}/")
        assert page.get_by_text("Akte-own Dokument").count() >= 1
        _axe(page, "e-file")
        page.locator("#person-view-link").click()
        page.wait_for_url(person_url)

        page.locator("#thread-link").click()
        page.wait_for_url(f"{base}/desk/messaging/person/{own.person.pk}/")
        assert page.get_by_text("Eingang-own").count() >= 1
        _axe(page, "thread")
        page.locator("#person-view-link").click()
        page.wait_for_url(person_url)
        assert page.locator("#person-messages .kern-badge").count() == 0  # read now that the thread was opened
    finally:
        context.close()
