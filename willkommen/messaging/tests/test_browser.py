"""In the browser: a client writes to the caseworker in Ukrainian with an attachment; the caseworker
answers; the client reads the answer and got an e-mail notice that carries only a link."""

from dataclasses import asdict

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.test import Client

from willkommen.accounts.client_identity import SESSION_KEY, ClientIdentity
from willkommen.core.testing import axe_violations, format_violations, make_staff, verified_login

from .conftest import make_case, make_person, png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ukrainian_client_writes_with_attachment_and_reads_the_answer(browser, page, live_server, authority, team):
    person = make_person(authority, preferred_channel="portal", preferred_language="uk")
    case = make_case(authority, person, team=team)
    base = live_server.url

    session = SessionStore()
    session[SESSION_KEY] = asdict(ClientIdentity(method="case_code", authority_id=authority.id, case_id=case.pk))
    session.create()
    page.context.add_cookies(
        [
            {"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": base},
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "uk", "url": base},
        ]
    )
    page.goto(f"{base}/a/{authority.slug}/messages/")
    assert page.locator("html").get_attribute("lang") == "uk"
    page.locator("#id_subject").fill("Довідка з роботи")
    page.locator("#id_body").fill("Добрий день! Надсилаю довідку з роботи.")
    page.locator("#id_attachment").set_input_files(
        files=[{"name": "довідка.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    page.locator("main form button[type=submit]").click()
    page.locator("text=Надсилаю довідку з роботи.").wait_for()
    assert page.locator("main a[href*='/messages/attachments/']").count() == 1
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)

    staff_context = browser.new_context(locale="de-DE")
    desk = staff_context.new_page()
    caseworker = make_staff(authority, "clara", role="caseworker", teams=[team])
    staff_client = verified_login(Client(), caseworker)
    staff_context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": staff_client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base,
            }
        ]
    )
    desk.goto(f"{base}/a/{authority.slug}/desk/messaging/person/{person.pk}/")
    assert "Надсилаю довідку з роботи." in desk.locator("main").inner_text()
    desk.locator("#id_body").fill("Дякуємо, довідку отримано. Ваш запис на 15.03.")
    desk.locator("form[action$='/reply/'] button[type=submit]").click()
    desk.locator("text=Дякуємо, довідку отримано.").first.wait_for()
    staff_context.close()

    page.goto(f"{base}/a/{authority.slug}/messages/")
    assert "Дякуємо, довідку отримано. Ваш запис на 15.03." in page.locator("main").inner_text()
    notices = [m for m in mail.outbox if m.to == [person.email]]
    assert len(notices) == 1
    assert "довідку отримано" not in notices[0].body and f"/a/{authority.slug}/messages/" in notices[0].body
