"""Numbers in right-to-left pages: phone numbers and e-mail addresses are tel:/mailto: links isolated
left-to-right, the German address stays left-to-right (finding 5 of issue 14)."""

import pytest

from willkommen.core.testing import axe_violations, format_violations


@pytest.fixture
def contact(authority):
    authority.postal_code, authority.city = "83999", "Bergstadt"
    authority.phone, authority.email = "+49 8999 123-0", "abh@bergstadt.example"
    authority.save()
    return authority


@pytest.mark.parametrize("path", ["/", "/privacy/"])
def test_arabic_pages_link_and_isolate_phone_and_email(client, contact, path):
    client.cookies["willkommen_language"] = "ar"
    body = client.get(path).content.decode()
    assert '<html lang="ar" dir="rtl">' in body
    assert (
        '<a class="kern-link" href="mailto:abh@bergstadt.example"><bdi dir="ltr">abh@bergstadt.example</bdi></a>'
        in body
    )
    if path == "/":
        assert '<a class="kern-link" href="tel:+4989991230"><bdi dir="ltr">+49 8999 123-0</bdi></a>' in body
        assert '<bdi lang="de" dir="ltr">Stadt Alpha · ' in body and "83999&nbsp;Bergstadt</bdi>" in body


def test_tel_filter_dials_digits_only():
    from willkommen.core.templatetags.willkommen import mailto, tel

    assert 'href="tel:+4989123450"' in tel("+49 (89) 12345-0")
    assert 'href="tel:0891234"' in tel("089 1234")
    assert tel("") == "" and tel(None) == "" and mailto("") == ""
    assert "&lt;script" in tel("<script>")  # escaped, never markup


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="ar", viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_arabic_footer_phone_reads_left_to_right_on_a_phone(phone, live_server, contact):
    phone.goto(f"{live_server.url}/language/ar/?next=/")
    link = phone.locator("footer a[href^='tel:']")
    assert link.get_attribute("href") == "tel:+4989991230"
    # the number's pieces stand left to right on the screen: "+49" left of "8999" left of "123-0"
    xs = link.locator("bdi").evaluate(
        """el => { const t = el.firstChild, s = t.textContent, out = [];
        for (const part of ["+49", "8999", "123-0"]) { const r = document.createRange(), i = s.indexOf(part);
          r.setStart(t, i); r.setEnd(t, i + part.length); out.push(r.getBoundingClientRect().left); }
        return out; }"""
    )
    assert xs == sorted(xs), xs
    phone.screenshot(path="/tmp/hc/footer-ar.png", full_page=True)
    violations = axe_violations(phone)
    assert violations == [], format_violations(violations)
