"""In the browser: a client applies in Arabic, uploads two documents, submits, gets the receipt page
and the e-mail (caught by a local SMTP server), checks the status page with the code, uploads the
missing document, and the caseworker sees everything in the e-file."""

import email
import re
import socket
import time

import pytest
from django.conf import settings
from django.test import Client

from willkommen.core.testing import axe_violations, format_violations, make_staff, verified_login

from .conftest import pdf_bytes, png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    from aiosmtpd.controller import Controller

    class Collect:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
            self.messages.append(email.message_from_bytes(envelope.content))
            return "250 OK"

    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    yield handler
    controller.stop()


def test_arabic_client_applies_and_caseworker_sees_the_file(
    browser, page, live_server, authority, anliegen, routed_team, smtp_server
):
    base = f"{live_server.url}/a/{authority.slug}"
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "ar", "url": live_server.url}])
    page.goto(f"{base}/apply/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.locator(f"a[href$='/apply/start/{anliegen.slug}/']").click()
    page.locator("main form button[type=submit]").click()

    page.locator("#id_family_name").fill("Haddad")
    page.locator("#id_given_names").fill("Amira")
    page.locator("#id_family_name_native").fill("حداد")
    page.locator("#id_given_names_native").fill("أميرة")
    page.locator("#id_date_of_birth").fill("1995-04-02")
    page.locator("#id_nationalities_0").select_option("SYR")
    page.locator("#id_city").fill("Alpha")
    page.locator("#id_email").fill("amira@example.org")
    page.locator("#id_permit_valid_until").fill("2099-01-31")
    page.locator("#id_preferred_channel").select_option("email")
    page.locator("main form[novalidate] button[type=submit]").click()

    page.locator("#q-married-no").check()
    page.locator("#q-blocked_account-yes").check()
    page.locator("#q-minor-no").check()
    page.locator("main form button[type=submit]").click()

    page.locator("#file-passport").set_input_files(
        files=[{"name": "جواز.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("Reisepass N12345")}]
    )
    page.locator("#file-photo").set_input_files(files=[{"name": "photo.png", "mimeType": "image/png", "buffer": png()}])
    page.locator("main form button[name=next]").click()

    assert page.locator(".missing-list li").count() == 1  # the blocked account proof, shown before submit
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)
    page.locator("#acknowledge").check()
    page.locator("main form button[type=submit]").last.click()

    page.locator(".access-code").wait_for()
    number = page.locator(".case-number").inner_text().strip()
    code = page.locator(".access-code").inner_text().strip()
    assert re.fullmatch(r"ABH-\d{4}-\d{6}", number)
    assert page.locator(".received-list li").count() == 2
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)

    for _ in range(50):  # delivery runs after commit
        if smtp_server.messages:
            break
        time.sleep(0.1)
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == "amira@example.org" and number in str(
        email.header.make_header(email.header.decode_header(message["Subject"]))
    )
    parts = [p for p in message.walk() if p.get_content_type() == "application/pdf"]
    assert len(parts) == 1 and parts[0].get_payload(decode=True).startswith(b"%PDF")

    # a fresh browser session: the status page with number and code
    page.context.clear_cookies()
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "ar", "url": live_server.url}])
    page.goto(f"{base}/status/")
    page.locator("#id_number").fill(number)
    page.locator("#id_code").fill(code)
    page.locator("main form button[type=submit]").click()
    page.locator(".case-state").wait_for()
    assert number in page.locator(".case-number").inner_text()
    assert routed_team.name in page.locator("main").inner_text()
    page.locator("#missing-blocked_account_proof").set_input_files(
        files=[{"name": "sperrkonto.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("Sperrkonto Bank")}]
    )
    page.locator("form.missing-upload button[type=submit]").click()
    page.locator(".received-list").wait_for()
    assert page.locator(".missing-list").count() == 0
    assert page.locator(".received-list li").count() == 3

    # the caseworker opens the file
    from willkommen.cases.models import Case

    case = Case.objects.get(number=number)
    caseworker = make_staff(authority, "clara", role="caseworker", teams=[routed_team])
    staff = verified_login(Client(), caseworker)
    desk_context = browser.new_context(locale="de-DE")
    desk_context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": staff.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    desk = desk_context.new_page()
    desk.goto(f"{base}/desk/efile/person/{case.person_id}/")
    text = desk.locator("table.file-documents").inner_text()
    for expected in ["جواز.pdf", "photo.png", "sperrkonto.pdf", f"Eingangsbestaetigung-{number}.pdf"]:
        assert expected in text, expected
    desk_context.close()
