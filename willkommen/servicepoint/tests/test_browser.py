"""One visit end to end in the browser: a ticket in Turkish at the kiosk, the call on the waiting-room
screen, the drop-off receipt, and the visit in the figures."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

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
    # The live region is filled by the display's script after the list (so screen readers hear it).
    expect(display.locator("#announce")).to_contain_text(number, timeout=15000)
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
    page.locator("[data-testid=find-client] summary").click()  # the client number still works
    page.locator("#id_person").fill(str(person.pk))
    page.locator("[data-testid=find-client] button[type=submit]").click()
    page.wait_for_selector("[data-testid=drop-off-client]")
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


FAKE_CAMERA = """
(() => {
  class FakeDetector {
    constructor(options) { this.options = options; }
    static getSupportedFormats() { return Promise.resolve(["ean_13", "qr_code"]); }
    detect(source) {
      window.__detectCalls = (window.__detectCalls || 0) + 1;
      // the code "appears" in front of the camera on the third frame
      return Promise.resolve(window.__detectCalls >= 3 ? [{ rawValue: "  K7M2XQ:signed-payload  " }] : []);
    }
  }
  window.BarcodeDetector = FakeDetector;
  const devices = navigator.mediaDevices || {};
  devices.getUserMedia = () => {
    const canvas = document.createElement("canvas");
    canvas.width = 64; canvas.height = 48;
    canvas.getContext("2d").fillRect(0, 0, 64, 48);
    const stream = canvas.captureStream(10);
    window.__stream = stream;
    return Promise.resolve(stream);
  };
  devices.enumerateDevices = () => Promise.resolve([{ kind: "videoinput", deviceId: "cam", label: "", groupId: "" }]);
  if (!navigator.mediaDevices) { Object.defineProperty(navigator, "mediaDevices", { value: devices }); }
})();
"""


def test_desk_check_in_reads_the_qr_code_with_the_camera(browser, live_server, authority, location, station):
    """With BarcodeDetector and a camera (stubbed: headless Chromium on Linux has neither) the scan
    button appears and fills the reference field; the page keeps its CSP (no bypass here)."""
    staff = make_staff(authority, "sina", role="servicepoint")
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    context.add_init_script(FAKE_CAMERA)
    page = context.new_page()
    page.set_default_timeout(15000)
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    sign_in(page, live_server, staff)
    page.goto(f"{live_server.url}{reverse('servicepoint:desk')}")
    button = page.locator("#qr-scan")
    button.wait_for(state="visible")
    button.click()
    expect(page.locator("#checkin-code")).to_have_value("K7M2XQ:signed-payload")
    assert page.locator("#qr-dialog").evaluate("d => d.open") is False
    assert page.evaluate("window.__stream.getTracks().every(t => t.readyState === 'ended')")
    assert page.evaluate("document.activeElement.id") == "checkin-code"
    assert "QR" in page.locator("#qr-scan-status").inner_text()
    assert problems == [], problems
    context.close()


def test_without_barcode_detector_the_scan_button_stays_hidden(page, live_server, authority, location, station):
    staff = make_staff(authority, "sina", role="servicepoint")
    sign_in(page, live_server, staff)
    page.goto(f"{live_server.url}{reverse('servicepoint:desk')}")
    assert page.evaluate("'BarcodeDetector' in window") is False  # Chromium on Linux
    assert page.locator("#qr-scan").is_hidden()
    page.locator("#checkin-code").fill("K7M2XQ")  # typing works as before
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)
