"""The proof-of-work widget under the page's real CSP (issue 14, item 7): on a 390-pixel phone in German and
Arabic the widget solves its challenge with ALTCHA's CSP build (its stylesheet and worker files from our
origin), no style or script is blocked on the way, and afterwards it shows its styled checkbox ticked with no
spinner left turning, its label in the page's language. The widget is loaded only when the client starts on
the form (page weight on a first visit, ``altcha-lazy.js``). Screenshots go to var/shots/ for a look by eye."""

import re

import pytest
from django.conf import settings as django_settings
from django.utils import translation

from willkommen.appointments.testing import make_offer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Records every CSP violation the page reports (inline style attributes included), before any page script runs.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sample || ""));
});
"""


def _book_url(page, base, offer):
    page.goto(f"{base}/appointments/{offer.anliegen.slug}/")
    page.locator("#q-married-yes").check()
    page.locator("main form button[type=submit]").click()
    return page.locator(".slot-list a").first.get_attribute("href")


@pytest.mark.parametrize("language", ["de", "ar"])
def test_altcha_widget_is_styled_and_solves_under_the_csp(browser, live_server, authority, language):
    offer = make_offer(authority, horizon=14)
    base = f"{live_server.url}/a/{authority.slug}"
    context = browser.new_context(locale=language, viewport={"width": 390, "height": 844})  # the real CSP
    host = re.sub(r"^https?://([^:/]+).*$", r"\1", live_server.url)
    context.add_cookies(
        [{"name": django_settings.LANGUAGE_COOKIE_NAME, "value": language, "domain": host, "path": "/"}]
    )
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(20000)
    console, loaded = [], []
    page.on("console", lambda message: console.append(message.text))
    lazy = ("altcha.min.js", "altcha.css", "altcha-kern.css")  # the widget and its stylesheets
    page.on("request", lambda request: loaded.append(request.url) if request.url.endswith(lazy) else None)
    try:
        href = _book_url(page, base, offer)
        page.goto(live_server.url + href if href.startswith("/") else href)
        page.wait_for_load_state("networkidle")
        assert loaded == [] and page.evaluate("customElements.get('altcha-widget') === undefined")
        page.locator("#id_family_name").focus()  # the client starts on the form: the widget loads and solves
        widget = page.locator("altcha-widget")
        widget.locator("[data-state='verified'], .altcha[data-state='verified']").first.wait_for()
        page.wait_for_timeout(300)  # the last transition of the tick
        assert page.locator("input[name=altcha]").first.input_value(), "the widget gave no solution"
        assert sorted(url.rsplit("/", 1)[1] for url in loaded) == ["altcha-kern.css", "altcha.css", "altcha.min.js"]

        # Styled: ALTCHA's stylesheet is applied (its checkbox is drawn, the native one hidden)
        # and our KERN variables reached it (40-px checkbox).
        checkbox = widget.locator(".altcha-checkbox").first
        box = checkbox.bounding_box()
        assert box and 36 <= box["width"] <= 44, box
        tick = checkbox.locator("input").first
        drawn = tick.evaluate("e => [getComputedStyle(e).appearance, getComputedStyle(e).borderTopWidth, e.checked]")
        assert drawn == ["none", "2px", True], drawn  # ALTCHA's own box with KERN's 2-px border, ticked
        # No spinner left turning, no stray tick outside the checkbox.
        spinners = widget.locator(".altcha-spinner")
        visible = [i for i in range(spinners.count()) if spinners.nth(i).is_visible()]
        assert not visible, "a spinner still turns after solving"
        with translation.override(language):
            from willkommen.appointments import protection

            label = protection.widget_strings()["verified"]
        assert label in widget.inner_text()

        blocked = page.evaluate("window.__csp")
        csp_console = [m for m in console if "Content Security Policy" in m]
        assert blocked == [] and csp_console == [], (blocked, csp_console)
        page.screenshot(path=str(django_settings.VAR_DIR / "shots" / f"altcha-{language}.png"), full_page=True)
    finally:
        context.close()
