"""Moving an appointment (issue 14, finding 6): choose a day, then a time with nothing preselected, then a
confirmation step with the old and the new time; only the confirmation moves. Works without JavaScript."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from willkommen.appointments import services
from willkommen.appointments.models import Booking, Slot
from willkommen.appointments.testing import applicant, make_offer
from willkommen.core.testing import axe_violations, format_violations


def _target(future_slot):
    return (
        Slot.objects.filter(authority=future_slot.authority, location=future_slot.location)
        .filter(starts_at__gt=future_slot.starts_at + timezone.timedelta(days=1))
        .order_by("starts_at")
        .first()
    )


@pytest.fixture
def held(authority, future_slot):
    booking, token = services.hold(
        authority, slot_id=future_slot.pk, anliegen=future_slot.anliegen, applicant=applicant()
    )
    return booking, token, reverse("appointments:move", args=[booking.reference, token])


def test_three_steps_and_only_the_confirmation_moves(client, held, future_slot):
    booking, token, url = held
    target = _target(future_slot)
    day = timezone.localtime(target.starts_at).date()
    days = client.get(url).content.decode()
    assert f'href="?date={day.isoformat()}"' in days and 'name="slot"' not in days
    times = client.get(f"{url}?date={day.isoformat()}").content.decode()
    assert f'value="{target.pk}"' in times and " checked" not in times  # nothing preselected
    confirm = client.get(f"{url}?date={day.isoformat()}&step=time&slot={target.pk}")
    page = confirm.content.decode()
    assert confirm.status_code == 200 and 'class="move-old"' in page and 'class="move-new"' in page
    assert 'name="confirmed" value="yes"' in page
    booking.refresh_from_db()
    assert booking.slot_id == future_slot.pk  # looking is not moving
    response = client.post(url, {"slot": target.pk, "confirmed": "yes"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.slot_id == target.pk


def test_no_time_chosen_or_not_confirmed_is_a_clear_400(client, held, future_slot):
    client.cookies["willkommen_language"] = "en"
    booking, token, url = held
    target = _target(future_slot)
    day = timezone.localtime(target.starts_at).date().isoformat()
    response = client.get(f"{url}?date={day}&step=time")
    assert response.status_code == 400 and "Please choose a time." in response.content.decode()
    response = client.post(url, {"slot": target.pk})
    assert response.status_code == 400 and "Please confirm the new time." in response.content.decode()
    assert client.get(f"{url}?date=2001-02-30").status_code == 400
    assert client.get(f"{url}?slot=abc").status_code == 400
    assert Booking.objects.get(pk=booking.pk).slot_id == future_slot.pk


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="ar", viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "sqlite" in settings.DATABASES["default"]["ENGINE"],
    reason="the live server's threads lock SQLite's shared in-memory database on the form step; runs on PostgreSQL",
)
@pytest.mark.parametrize("language", ["ar", "de", "uk"])
def test_moving_on_a_phone(phone, live_server, authority, language):
    offer = make_offer(authority, horizon=14)
    slot = Slot.objects.filter(authority=authority, starts_at__gt=timezone.now() + timezone.timedelta(days=2))
    slot = slot.order_by("starts_at").first()
    booking, token = services.hold(authority, slot_id=slot.pk, anliegen=offer.anliegen, applicant=applicant())
    url = f"/a/{authority.slug}" + reverse("appointments:move", args=[booking.reference, token])
    phone.goto(f"{live_server.url}/a/{authority.slug}/language/{language}/?next={url}")
    assert phone.locator("html").get_attribute("lang") == language
    shots = []

    def check(name):
        violations = axe_violations(phone)
        assert violations == [], format_violations(violations)
        if language == "ar":
            path = f"/tmp/hc/move-{name}.png"
            phone.screenshot(path=path, full_page=True)
            shots.append(path)

    check("1-days")
    # days first, one link each: not every time as a radio button (that page was 14,880 px tall); the height
    # follows the number of days offered, which depends on today's date, and the language's day names
    assert phone.locator("input[name=slot]").count() == 0
    days = phone.locator("ul.move-days a").count()
    assert days > 0
    assert phone.evaluate("document.documentElement.scrollHeight") < 1000 + 100 * days  # 60–80 px a day here
    phone.locator("ul.move-days a").nth(1).click()
    assert phone.locator("input[name=slot]:checked").count() == 0
    check("2-times")
    assert phone.evaluate("document.documentElement.scrollHeight") < 3000
    # (submitting with nothing chosen is a 400 with a message: test_no_time_chosen_or_not_confirmed_is_a_clear_400)
    radio = phone.locator("input[name=slot]").nth(2)
    new_id = int(radio.get_attribute("value"))
    phone.locator(f"label[for=slot-{new_id}]").click()
    phone.locator("main form button[type=submit]").first.click()
    assert phone.locator(".move-old").count() == 1 and phone.locator(".move-new").count() == 1
    check("3-confirm")
    assert Booking.objects.get(pk=booking.pk).slot_id == slot.pk
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_url(re.compile(r".*/booking/.*/(?!move)[^/]*/?$"))
    assert Booking.objects.get(pk=booking.pk).slot_id == new_id
