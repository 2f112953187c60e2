"""In the browser: a client complains in Arabic on a phone (390 px), the head of office answers it on the
desk, and the complaint shows in the month's casework figures. axe on the form and the desk page."""

import pytest
from django.conf import settings
from django.test import Client

from willkommen.contact.models import Feedback
from willkommen.core.testing import axe_violations, format_violations, make_staff, make_team, verified_login
from willkommen.messaging.models import Message

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)


def test_complaint_in_arabic_answered_on_the_desk_and_counted(browser, live_server, authority):
    base = f"{live_server.url}/a/{authority.slug}"
    make_team(authority)
    phone = browser.new_context(locale="ar", viewport={"width": 390, "height": 844}, bypass_csp=True)
    phone.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "ar", "url": live_server.url}])
    page = phone.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{base}/feedback/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert_accessible(page)
    page.locator("button[type=submit]").click()  # nothing filled in: the messages, nothing stored
    page.locator(".kern-error").first.wait_for()
    assert Feedback.objects.count() == 0
    page.locator("input[name=kind][value=complaint]").check()
    page.locator("input[name=category][value=waiting]").check()
    page.locator("#id_text").fill("انتظرت ثلاث ساعات دون أي معلومات.")
    page.locator("#id_email").fill("amal@example.org")
    page.locator("button[type=submit]").click()
    page.locator("[data-testid=feedback-thanks]").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    item = Feedback.objects.get()
    assert (item.language, item.kind, item.category, item.case_id) == ("ar", "complaint", "waiting", None)
    phone.close()

    head = make_staff(authority, "hanna", role="head_of_office")
    staff = verified_login(Client(), head)
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900}, bypass_csp=True)
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
    desk = context.new_page()
    desk.set_default_timeout(15000)
    desk.goto(f"{base}/desk/contact/feedback/")
    entry = desk.locator(f"[data-testid=feedback-{item.pk}]")
    assert "انتظرت ثلاث ساعات" in entry.inner_text()
    assert_accessible(desk)
    entry.locator("textarea").fill("Es tut uns leid. Wir haben einen zweiten Schalter geöffnet.")
    entry.locator("button[type=submit]").click()
    desk.locator("text=Zuletzt beantwortet").wait_for()
    item.refresh_from_db()
    assert item.state == "answered" and item.answered_by == head
    reply = Message.objects.get(template_key="feedback_reply")
    assert reply.address == "amal@example.org" and reply.language == "ar"

    desk.goto(f"{base}/desk/reports/cases/")
    row = desk.locator("tr", has_text="Beschwerden: Wartezeiten")
    assert row.locator("td").inner_text().strip() == "1"
    on_time = desk.locator("tr", has_text="Rückmeldungen fristgerecht beantwortet (%)").locator("td").inner_text()
    assert on_time.strip().startswith("100")
    context.close()
