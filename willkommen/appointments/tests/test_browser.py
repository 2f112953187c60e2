"""In the browser: a client books, confirms through the link in the real e-mail (caught by a local
SMTP server), downloads the ICS and the PDF, and cancels. Accessibility checked with axe-core."""

import email
import re
import socket
import time

import pytest

from willkommen.appointments.models import Booking, Status
from willkommen.appointments.testing import make_offer
from willkommen.core.testing import axe_violations, format_violations

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


def _text(message):
    for part in message.walk():
        if part.get_content_type() == "text/plain" and not part.get_filename():
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    return ""


def _wait_for(smtp_server, count, timeout=20):
    deadline = time.time() + timeout
    while len(smtp_server.messages) < count and time.time() < deadline:
        time.sleep(0.1)
    assert len(smtp_server.messages) >= count, "no e-mail arrived"
    return smtp_server.messages[count - 1]


def test_client_books_confirms_downloads_and_cancels(page, live_server, authority, smtp_server):
    offer = make_offer(authority, horizon=14)
    base = f"{live_server.url}/a/{authority.slug}"
    page.goto(f"{base}/appointments/")
    page.locator(f"main a[href$='/appointments/{offer.anliegen.slug}/']").click()
    page.locator("#q-married-yes").check()
    page.locator("main form button[type=submit]").click()
    assert page.locator(".checklist-card").count() == 1
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)
    page.locator(".slot-list a").first.click()

    page.locator("#id_family_name").fill("Haddad")
    page.locator("#id_given_names").fill("Amira")
    page.locator("#id_date_of_birth").fill("1995-04-02")
    page.locator("#id_email").fill("amira@example.org")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/appointments/held/.*"))
    booking = Booking.objects.get()
    assert booking.status == Status.HELD and booking.answers == {"married": True}

    request_mail = _text(_wait_for(smtp_server, 1))
    confirm_link = re.search(r"https?://\S+/confirm/", request_mail).group(0)
    page.goto(confirm_link)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/appointments/booking/[^/]+/[^/]+/$"))
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED
    confirmation = _wait_for(smtp_server, 2)
    attachments = [part.get_filename() for part in confirmation.walk() if part.get_filename()]
    assert f"{booking.reference}.ics" in attachments and f"{booking.reference}.pdf" in attachments
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)

    with page.expect_download() as ics:
        page.locator("a[href$='appointment.ics']").click()
    assert b"BEGIN:VEVENT" in open(ics.value.path(), "rb").read()
    with page.expect_download() as pdf:
        page.locator("a[href$='appointment.pdf']").click()
    assert open(pdf.value.path(), "rb").read().startswith(b"%PDF")

    page.locator("a[href$='/cancel/']").click()
    page.locator("main form button[type=submit]").click()
    page.locator("h1").wait_for()
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED
    booking.slot.refresh_from_db()
    assert booking.slot.public_taken == 0
