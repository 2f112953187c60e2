"""On a 390-px phone in German, Arabic and Ukrainian: checklist -> booking -> application, and no question
is asked twice (issue 14, finding 3). The booking is confirmed through the link in the real e-mail (caught by
a local SMTP server); the application is started from the booking's page, shows the answers with a change
link and goes from the personal data straight to the documents. axe-core finds nothing on any page."""

import re

import pytest

from willkommen.applications.models import Application
from willkommen.appointments.models import Booking, Status
from willkommen.appointments.testing import make_offer
from willkommen.appointments.tests.test_browser import _text, _wait_for, smtp_server  # noqa: F401 (fixture)
from willkommen.catalogue.models import WayIn
from willkommen.core.testing import axe_violations, format_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20000)
    yield page
    context.close()


def _accessible(page, name, language):
    page.screenshot(path=f"/tmp/hc/answers-once-{language}-{name}.png", full_page=True)
    violations = axe_violations(page)
    assert violations == [], f"{name}: {format_violations(violations)}"


def _book(phone, language):
    phone.locator(".slot-list a").first.click()
    phone.locator("#id_family_name").fill("Haddad")
    phone.locator("#id_given_names").fill("Amira")
    phone.locator("#id_date_of_birth").fill("1995-04-02")
    phone.locator("#id_email").fill("amira@example.org")
    _accessible(phone, "book", language)
    phone.locator("main form[novalidate] button[type=submit]").last.click()
    phone.wait_for_url(re.compile(r".*/appointments/held/.*"))


def _personal(phone):
    phone.locator("#id_family_name").fill("Haddad")
    phone.locator("#id_given_names").fill("Amira")
    phone.locator("#id_date_of_birth").fill("1995-04-02")
    phone.locator("#id_nationalities_0").select_option("SYR")
    phone.locator("#id_city").fill("Alpha")
    phone.locator("#id_email").fill("amira@example.org")
    phone.locator("#id_preferred_channel").select_option("email")
    phone.locator("main form[novalidate] button[type=submit]").click()


@pytest.mark.parametrize("language", ["de", "ar", "uk"])
def test_checklist_booking_application_without_a_question_twice(phone, live_server, authority, smtp_server, language):  # noqa: F811
    anliegen = make_offer(authority, horizon=14).anliegen
    anliegen.way_in = WayIn.BOTH
    anliegen.save()
    phone.goto(f"{live_server.url}/language/{language}/?next=/checklist/{anliegen.slug}/")
    assert phone.locator("html").get_attribute("lang") == language
    phone.locator("#q-married-yes").check()
    phone.locator("#q-minor-no").check()
    phone.locator("main form button[type=submit]").click()
    _accessible(phone, "checklist", language)

    phone.locator("section.next-steps a[href*='/times/']").click()
    assert phone.locator("main input[type=radio]").count() == 0  # booking asks nothing again
    _accessible(phone, "times", language)
    _book(phone, language)
    booking = Booking.objects.get()
    assert booking.answers == {"married": True, "minor": False}

    confirm_link = re.search(r"https?://\S+/confirm/", _text(_wait_for(smtp_server, 1))).group(0)
    phone.goto(confirm_link)
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_url(re.compile(r".*/appointments/booking/[^/]+/[^/]+/$"))
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED
    _accessible(phone, "booking", language)

    phone.locator("[data-testid=apply-online]").click()
    assert phone.locator("[data-testid=given-answers] dd").count() == 2  # shown, with a change link
    assert phone.locator("main input[type=radio]").count() == 0
    _accessible(phone, "start", language)
    phone.locator("main form button[type=submit]").last.click()
    _personal(phone)
    phone.wait_for_url(re.compile(r".*/documents/$"))
    assert phone.locator("main input[type=radio]").count() == 0  # the questions are not asked again
    _accessible(phone, "documents", language)
    application = Application.objects.get()
    assert application.answers == {"married": True, "minor": False} and application.answers_given
    assert "Heiratsurkunde" in phone.locator("main").inner_text() or language != "de"
