"""In the browser: a client books, confirms through the link in the real e-mail (caught by a local
SMTP server), downloads the ICS and the PDF, and cancels; a caseworker sends an invitation at the desk
and the client books an invitation-only place through the link in that e-mail. Accessibility checked
with axe-core on every page."""

import datetime as dt
import email
import re
import socket
import time

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from willkommen.appointments.models import Booking, Channel, Invitation, Status
from willkommen.appointments.testing import make_offer
from willkommen.core.testing import PASSWORD, axe_violations, format_violations, totp_now

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
    # Mail first: the confirmation links to the booking's page; the calendar file and the PDF are rendered
    # when downloaded there (below), not ahead of the mail.
    confirmation = _wait_for(smtp_server, 2)
    assert not [part.get_filename() for part in confirmation.walk() if part.get_filename()]
    assert f"/appointments/booking/{booking.reference}/" in _text(confirmation)
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


def _assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)


def _sign_in(page, base, user):
    page.goto(f"{base}/desk/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/desk/login/verify/**")
    page.locator("#id_token").fill(totp_now(TOTPDevice.objects.get(user=user)))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/desk/")


def test_caseworker_invites_and_the_client_books_through_the_link(
    browser, page, live_server, authority, caseworker, smtp_server
):
    offer = make_offer(authority, workstations=2, invitation=1, horizon=14)
    base = f"{live_server.url}/a/{authority.slug}"
    deadline = timezone.localdate() + dt.timedelta(days=10)

    # The caseworker at the desk (a desktop-sized window) sends a personal booking link.
    desk = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    staff = desk.new_page()
    staff.set_default_timeout(15000)
    _sign_in(staff, base, caseworker)
    staff.goto(f"{base}/desk/appointments/invite/?location={offer.location_id}")
    _assert_accessible(staff)
    staff.locator("#id_anliegen").select_option(str(offer.anliegen_id))
    staff.locator("#id_family_name").fill("Haddad")
    staff.locator("#id_given_names").fill("Amira")
    staff.locator("#id_date_of_birth").fill("1995-04-02")
    staff.locator("#id_email").fill("amira@example.org")
    staff.locator("#id_language").select_option("en")
    staff.locator("#id_deadline").fill(deadline.isoformat())
    staff.locator("main form button[type=submit]").click()
    staff.locator(".kern-alert--success").wait_for()
    assert "amira@example.org" in staff.locator("main").inner_text()
    _assert_accessible(staff)
    desk.close()
    invitation = Invitation.objects.get()
    assert invitation.created_by == caseworker and invitation.used_at is None

    # The real e-mail, caught by the SMTP server, carries the personal link.
    mail = _wait_for(smtp_server, 1)
    assert mail["To"] == "amira@example.org"
    link = re.search(r"https?://\S+/appointments/invitation/\S+/", _text(mail)).group(0)
    assert link.startswith(base)

    # The client (a phone-sized window) opens it: invitation-only places until the deadline, name fixed.
    page.goto(link)
    assert "Amira Haddad" in page.locator("main").inner_text()
    choices = page.locator("input[name=slot]")
    assert choices.count() > 0
    _assert_accessible(page)
    chosen = int(choices.first.get_attribute("value"))
    page.locator("main form button[type=submit]").click()
    page.locator(".kern-alert--success").wait_for()
    _assert_accessible(page)

    booking = Booking.objects.get()
    assert booking.reference in page.locator("main").inner_text()
    assert booking.slot_id == chosen and booking.invitation_id == invitation.pk
    assert booking.status == Status.CONFIRMED and booking.channel == Channel.INVITATION
    assert (booking.family_name, booking.given_names, booking.email) == ("Haddad", "Amira", "amira@example.org")
    booking.slot.refresh_from_db()
    assert booking.slot.invitation_taken == 1 and booking.slot.public_taken == 0
    invitation.refresh_from_db()
    assert invitation.used_at is not None
    assert booking.slot.starts_at.date() <= deadline

    # The confirmation follows by e-mail (mail first: the calendar file and the PDF are on the booking's page).
    confirmation = _wait_for(smtp_server, 2)
    assert not [part.get_filename() for part in confirmation.walk() if part.get_filename()]
    assert booking.reference in _text(confirmation)

    # The link is personal and works once.
    response = page.goto(link)
    assert response.status == 410
    _assert_accessible(page)
    assert Booking.objects.count() == 1
