"""The checklist result links on to booking (answers carried) and applying online (issue 14, finding 3)."""

import pytest

from willkommen.appointments.testing import make_offer
from willkommen.catalogue.models import WayIn


def test_checklist_result_links_to_booking_with_the_answers_and_to_applying(client, authority):
    offer = make_offer(authority, horizon=3)
    anliegen = offer.anliegen
    anliegen.way_in = WayIn.BOTH
    anliegen.save()
    client.cookies["willkommen_language"] = "en"
    page = client.get(f"/checklist/{anliegen.slug}/result/?married=yes").content.decode()
    assert f'href="/appointments/{anliegen.slug}/times/?married=yes">Book an appointment</a>' in page
    assert f'href="/apply/start/{anliegen.slug}/?married=yes">Apply online</a>' in page
    # the booking page takes the answers from the link: it shows the checklist, asks nothing again
    times = client.get(f"/appointments/{anliegen.slug}/times/?married=yes").content.decode()
    assert 'name="married"' not in times or 'type="hidden" name="married" value="yes"' in times


def test_no_links_where_nothing_can_be_booked_or_applied_for(client, authority):
    from willkommen.catalogue.testing import make_anliegen

    anliegen = make_anliegen(authority)
    anliegen.way_in = WayIn.APPOINTMENT
    anliegen.save()
    page = client.get(f"/checklist/{anliegen.slug}/result/?married=yes").content.decode()
    assert "/times/" not in page and "/apply/start/" not in page


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="ar", viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_arabic_checklist_result_on_a_phone_links_on(phone, live_server, authority):
    from willkommen.core.testing import axe_violations, format_violations

    anliegen = make_offer(authority, horizon=3).anliegen
    anliegen.way_in = WayIn.BOTH
    anliegen.save()
    phone.goto(f"{live_server.url}/language/ar/?next=/checklist/{anliegen.slug}/result/%3Fmarried%3Dyes")
    links = phone.locator("section.next-steps a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert len(hrefs) == 2 and any(h.endswith("/times/?married=yes") for h in hrefs), hrefs
    phone.screenshot(path="/tmp/hc/checklist-ar.png", full_page=True)
    violations = axe_violations(phone)
    assert violations == [], format_violations(violations)
