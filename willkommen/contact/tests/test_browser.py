"""In the browser: a client in Arabic sees their team's hours and asks for a callback on the status page;
the caseworker calls back and closes it with a phone note on the case; the team lead sees the warning on the
hours page; the head of office reads the casework figures on a phone-sized screen with labels of 12 px and
more. axe on every new page."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client

from willkommen.cases.models import TimelineEntry
from willkommen.cases.opening import open_case
from willkommen.catalogue.testing import make_anliegen
from willkommen.clients.testing import make_client
from willkommen.contact import services
from willkommen.contact.models import CallbackRequest
from willkommen.core.testing import axe_violations, format_violations, make_location, make_staff, verified_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def desk_page(browser, live_server, user):
    staff = verified_login(Client(), user)
    context = browser.new_context(locale="de-DE", viewport={"width": 412, "height": 915}, bypass_csp=True)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": staff.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "de", "url": live_server.url},
        ]
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)


def test_callback_from_the_status_page_to_the_phone_note(browser, page, live_server, authority, team, caseworker):
    base = f"{live_server.url}/a/{authority.slug}"
    lead = make_staff(authority, "lena", role="team_lead", teams=[team])
    services.add_hour(
        lead,
        team,
        kind="consultation",
        weekday=1,
        starts=dt.time(8),
        ends=dt.time(12),
        location=make_location(authority),
        languages=["ar", "de"],
    )
    case, code = open_case(authority, person=make_client(authority), anliegen=make_anliegen(authority), team=team)

    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "ar", "url": live_server.url}])
    page.goto(f"{base}/status/")
    page.locator("#id_number").fill(case.number)
    page.locator("#id_code").fill(code)
    page.locator("main form button[type=submit]").click()
    page.locator("[data-testid=contact-hours]").wait_for()
    assert "08:00–12:00" in page.locator("[data-testid=contact-hours]").inner_text()
    assert_accessible(page)
    # a wrong number first: a clear message, nothing stored
    page.locator("#id_topic").fill("سؤال عن الشهادة")
    page.locator("input[name=window][value=afternoon]").check()
    page.locator("#id_phone").fill("abc")
    page.locator(".callback-request button[type=submit]").click()
    page.locator(".callback-request .kern-alert--danger").wait_for()
    assert CallbackRequest.objects.count() == 0
    assert_accessible(page)
    page.locator("#id_topic").fill("سؤال عن الشهادة")
    page.locator("input[name=window][value=afternoon]").check()
    page.locator("#id_phone").fill("+49 171 5550123")
    page.locator(".callback-request button[type=submit]").click()
    page.locator(".case-state").wait_for()
    callback = CallbackRequest.objects.get()
    assert callback.language == "ar" and callback.window == "afternoon"

    context, desk = desk_page(browser, live_server, caseworker)
    desk.goto(f"{base}/desk/contact/callbacks/")
    item = desk.locator(f"[data-testid=callback-{callback.pk}]")
    assert "+49 171 5550123" in item.inner_text()
    assert_accessible(desk)
    item.locator("textarea").fill("Zurückgerufen, Frage zur Fiktionsbescheinigung beantwortet.")
    item.locator("button[type=submit]").click()
    desk.wait_for_load_state()
    assert TimelineEntry.objects.filter(case=case, data__phone_note=True).exists()
    desk.goto(f"{base}/desk/cases/{case.pk}/")
    assert "Frage zur Fiktionsbescheinigung beantwortet" in desk.locator("main").inner_text()
    context.close()

    context, desk = desk_page(browser, live_server, lead)
    desk.goto(f"{base}/desk/contact/hours/")
    desk.locator(f"[data-testid=short-{team.pk}]").wait_for()
    assert_accessible(desk)
    context.close()


def test_casework_figures_are_readable_on_a_phone(browser, live_server, authority):
    base = f"{live_server.url}/a/{authority.slug}"
    from willkommen.reports.tests.test_views import ticket

    head = make_staff(authority, "hanna", role="head_of_office")
    ticket(make_location(authority), 1, "quick_info", wait=4, service=3)  # the ServicePoint draws charts with a visit
    context, desk = desk_page(browser, live_server, head)
    for path in ("/desk/reports/cases/", "/desk/reports/servicepoint/"):
        desk.goto(f"{base}{path}")
        desk.locator("svg.report-chart__svg").first.wait_for()
        sizes = desk.evaluate(
            """() => [...document.querySelectorAll('svg.report-chart__svg text')].map(t =>
                 parseFloat(t.getAttribute('font-size')) * t.getScreenCTM().a)"""
        )
        assert sizes and min(sizes) >= 12, (path, min(sizes))
        assert_accessible(desk)
    desk.goto(f"{base}/desk/reports/appointments/")
    desk.locator("[data-testid=summary]").wait_for()
    assert_accessible(desk)
    context.close()
