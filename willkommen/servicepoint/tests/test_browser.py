"""One visit end to end in the browser: a ticket in Turkish at the kiosk, the call on the waiting-room
screen, the drop-off receipt, and the visit in the figures."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from willkommen.core.testing import axe_violations, format_violations, make_staff, verified_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user):
    client = verified_login(Client(), user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_visit_from_kiosk_to_figures(page, browser, live_server, authority, location, station, person):
    base = live_server.url
    # 1. The visitor takes a ticket on the kiosk in Turkish.
    page.goto(f"{base}{reverse('servicepoint:kiosk', args=[station.kiosk_key])}")
    page.locator(".kiosk-languages a[lang=tr]").click()
    assert page.locator("html").get_attribute("lang") == "tr"
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)
    page.locator("form:has(input[name=category][value=drop_off]) button").click()
    number = page.locator("[data-testid=ticket-number]").inner_text().strip()
    assert re.fullmatch(r"B\d{3}", number)
    assert page.locator("html").get_attribute("lang") == "tr"

    # 2. The waiting-room screen (JavaScript on, htmx polling) shows the number once it is called.
    screen = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 720}, bypass_csp=True)
    display = screen.new_page()
    display.goto(f"{base}{reverse('servicepoint:display', args=[station.display_key])}")
    assert display.locator("[data-testid=called-number]").count() == 0

    staff = make_staff(authority, "sina", role="servicepoint")
    sign_in(page, live_server, staff)
    page.goto(f"{base}{reverse('servicepoint:desk')}")
    page.locator("#id_counter").fill("4")
    page.locator(f"form[action='{reverse('servicepoint:desk_call')}'] button[type=submit]").click()
    display.locator("[data-testid=called-number]", has_text=number).wait_for(timeout=15000)
    assert number in display.locator("#announce").inner_text()
    violations = axe_violations(display)
    assert violations == [], format_violations(violations)
    screen.close()

    # The same screen with JavaScript switched off: the server-rendered page shows the call and
    # refreshes itself through <noscript><meta http-equiv="refresh"> (axe ran on the same markup above).
    plain = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 720})
    still = plain.new_page()
    still.goto(f"{base}{reverse('servicepoint:display', args=[station.display_key])}")
    assert still.locator("[data-testid=called-number]", has_text=number).count() == 1
    assert number in still.locator("#announce").inner_text()
    assert still.locator("noscript").count() >= 1
    plain.close()

    # 3. The documents are scanned into the file and a receipt is produced.
    from .conftest import png_bytes

    page.locator("form[action*='/ticket/'][action$='/start/'] button").click()
    page.goto(f"{base}{reverse('servicepoint:drop_off')}")
    page.locator("#id_person").fill(str(person.pk))
    page.locator("#id_file1").set_input_files(
        files=[{"name": "passport.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    page.locator("#id_type1").select_option("passport")
    page.locator("main form[enctype] button[type=submit]").click()
    assert "passport.png" in page.locator("[data-testid=received-items]").inner_text()
    receipt = page.request.get(page.url + "receipt.pdf")
    assert receipt.ok and receipt.body().startswith(b"%PDF")

    # 4. The ticket is finished at the desk and shows in the figures.
    page.goto(f"{base}{reverse('servicepoint:desk')}")
    page.locator("select[name=outcome]").select_option("documents_received")
    page.locator("form[action$='/finish/'] button[type=submit]").click()
    head = make_staff(authority, "hugo", role="head_of_office")
    sign_in(page, live_server, head)
    page.goto(f"{base}{reverse('reports:servicepoint')}")
    assert page.locator("[data-testid=total-visits]").inner_text().strip() == "1"
    assert page.locator("svg[role=img]").count() >= 3
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)
