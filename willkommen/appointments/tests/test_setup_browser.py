"""In the browser (desktop, German, 1366 × 768): the head of office gives an offer one more workstation,
sees the preview of the slots, saves, and the slots regenerate with the existing booking kept. axe-core
finds nothing on every set-up page."""

import pytest
from django.utils import timezone

from willkommen.appointments.booking import Terms, hold
from willkommen.appointments.models import Booking, Offer, Slot
from willkommen.appointments.testing import applicant, make_offer
from willkommen.core.testing import make_staff

from .test_browser import _assert_accessible, _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_head_of_office_changes_an_offer_and_the_booking_is_kept(browser, live_server, authority, team, settings):
    settings.APPOINTMENTS_HORIZON_DAYS = 14
    offer = make_offer(authority, workstations=2, horizon=14)
    slot = Slot.objects.filter(authority=authority, starts_at__gt=timezone.now() + timezone.timedelta(days=2)).first()
    booking, _token = hold(
        authority, slot_id=slot.pk, anliegen=offer.anliegen, applicant=applicant(), terms=Terms(confirmed=True)
    )
    head = make_staff(authority, "hanna", role="head_of_office", teams=[team])
    base = f"{live_server.url}/a/{authority.slug}"
    context = browser.new_context(locale="de-DE", viewport={"width": 1366, "height": 768}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    _sign_in(page, base, head)

    page.goto(f"{base}/desk/appointments/offers/")
    _assert_accessible(page)
    page.locator(f"#offers tr[data-offer='{offer.pk}'] a").click()
    page.locator("#id_workstations").wait_for()
    assert "1 zukünftiger Termin" in page.locator("#kept").inner_text()
    _assert_accessible(page)
    page.locator("#id_workstations").fill("3")
    page.locator("main form button[value=preview]").click()
    page.locator("#preview").wait_for()
    assert "3 öffentlich" in page.locator("#preview-total").inner_text()
    assert page.locator("#preview tbody tr").count() >= 5
    assert Offer.objects.get(pk=offer.pk).workstations == 2  # the preview saved nothing
    _assert_accessible(page)
    page.locator("#save").click()
    page.wait_for_url(f"{base}/desk/appointments/offers/")
    assert "Buchungen bleiben erhalten" in page.locator(".messages").inner_text()
    assert page.locator(f"#offers tr[data-offer='{offer.pk}'] td").nth(2).inner_text().startswith("3")
    _assert_accessible(page)

    booking = Booking.objects.get(pk=booking.pk)
    assert booking.status == "confirmed" and booking.slot_id == slot.pk
    slot.refresh_from_db()
    assert (slot.public_places, slot.public_taken) == (3, 1)
    free = Slot.objects.filter(authority=authority, withdrawn=False, starts_at__gt=timezone.now()).exclude(pk=slot.pk)
    assert free.exists() and not free.exclude(public_places=3).exists()

    for path in (
        "rounds/",
        "rounds/new/",
        "hours/",
        f"hours/new/?location={offer.location_id}",
        "closures/",
        "closures/new/",
    ):
        page.goto(f"{base}/desk/appointments/{path}")
        page.locator("main h1").wait_for()
        _assert_accessible(page)
    context.close()
