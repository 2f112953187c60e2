"""0 axe violations on every client page in every language, and the client side works without JavaScript
(issue 14).

The demo data of one authority are loaded. A browser context with JavaScript switched off walks the client
side from the portal's home page and the ways in along the links (GET only, one page per URL name, never the
desk), and answers each checklist form it meets (the first choice of every question) by submitting it – so the
walk itself proves that, without JavaScript, the checklist can be answered, the result and the booking times
are reached, a time leads to the booking form. Then axe-core (WCAG 2.1 A/AA) runs on each page found, in all
eight languages, one context per language (JavaScript on).

The pages behind a secret are checked the same way in every language: a booking's own link (the booking,
moving it, cancelling it), a survey link, a ticket and the kiosk, an application in the browser's session
(its four steps and the receipt) and a signed-in client's case status, messages, phone numbers, "my matters" and
consents (the session made with Django's test client, its cookie handed to the browser)."""

from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings as django_settings
from django.urls import Resolver404, resolve

from willkommen.core.testing import axe_violations

from . import test_client_languages as behind
from .test_no_raw_codes import demo  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.sweep, pytest.mark.django_db(transaction=True)]

LIMIT = 45
STARTS = ["/", "/checklist/", "/appointments/", "/apply/", "/apply/resume/", "/status/", "/messages/", "/my/"]
STARTS += ["/consents/", "/feedback/", "/privacy/", "/news/", "/forms/", "/signin/"]
SKIP = ("/desk/", "/language/", "/api/", "/static/", "/signout/", "/challenge/", ".pdf", ".ics", ".zip", "/feed.")
LANGUAGES = [code for code, _name in django_settings.LANGUAGES]

ANSWER_FIRST = """form => {
  const names = new Set([...form.querySelectorAll("input[type=radio]")].map(r => r.name));
  for (const name of names) form.querySelector(`input[type=radio][name="${name}"]`).checked = true;
}"""


def _context(browser, base, language, javascript=True):
    context = browser.new_context(
        locale=language, viewport={"width": 390, "height": 844}, java_script_enabled=javascript, bypass_csp=True
    )
    host = urlsplit(base).hostname
    context.add_cookies(
        [{"name": django_settings.LANGUAGE_COOKIE_NAME, "value": language, "domain": host, "path": "/"}]
    )
    return context


def _answer_checklist(page):
    """Submits the page's checklist (a GET form that is not a search) with the first choice of each question;
    returns the address it leads to, or None. Works with JavaScript off: the radios are set through the
    DevTools protocol, the submit is a real click."""
    form = page.locator("main form[method=get]:not([role=search])")
    if not form.count() or not form.first.locator("input[type=radio]").count():
        return None
    for radio in form.first.locator("input[type=radio]").all():
        name = radio.get_attribute("name")
        first = form.first.locator(f"input[type=radio][name='{name}']").first
        if not first.is_checked():
            first.check()
    form.first.locator("button[type=submit], input[type=submit]").first.click()
    page.wait_for_load_state()
    return urlsplit(page.url)._replace(scheme="", netloc="").geturl()


def _walk_without_javascript(page, base):
    """{view name: address} of the client pages, walked with JavaScript off."""
    queue, seen, found = deque(STARTS), set(), {}
    while queue and len(found) < LIMIT:
        url = urldefrag(queue.popleft())[0]
        if not url.startswith("/") or url in seen or any(part in url for part in SKIP):
            continue
        seen.add(url)
        try:
            name = resolve(urlsplit(url).path).view_name
        except Resolver404:
            continue
        if name in found:
            continue
        answer = page.context.request.get(base + url, max_redirects=0)
        if answer.status != 200 or "text/html" not in answer.headers.get("content-type", ""):
            continue
        page.goto(base + url)
        found[name] = url
        queue.extend(page.eval_on_selector_all("a[href^='/']", "links => links.map(a => a.getAttribute('href'))"))
        if name != "appointments:times":
            submitted = _answer_checklist(page)
            if submitted:
                queue.appendleft(submitted)
    return found


def _secret_pages(authority, language):
    """The client pages behind a secret, and the session cookie that opens those kept in a session."""
    client = behind.Client(HTTP_ACCEPT_LANGUAGE=language)
    urls = behind._application_links(authority, language, client)
    case = behind._case_with_letters(authority)
    session = client.session
    session.update(behind._signed_in(authority, case, language).session.items())
    session.save()
    urls += ["/status/case/", "/messages/", "/messages/number/", "/my/", "/consents/"]
    return [url for url in urls if not url.endswith((".pdf", ".ics"))], session.session_key


def test_client_pages_work_without_javascript_and_have_no_axe_violations(browser, live_server, demo):  # noqa: F811
    base = live_server.url  # the demo authority is the first: no /a/<slug>/ prefix, links resolve as they are
    context = _context(browser, base, "de", javascript=False)
    page = context.new_page()
    page.set_default_timeout(20000)
    try:
        pages = _walk_without_javascript(page, base)
        # Without JavaScript the checklist was answered and led on: result, times, the booking form.
        page.goto(base + pages["appointments:times"])
        assert page.locator("main a[href*='/book/']").count() > 0, "the times page lists no times"
    finally:
        context.close()
    expected = {"catalogue:result", "appointments:times", "appointments:book", "applications:index"}
    assert expected <= pages.keys(), sorted(pages)
    assert len(pages) >= 15, sorted(pages)

    case = behind._case_with_letters(demo)
    by_link = behind._booking_links(demo) + [behind._survey_link(case.person), *behind._servicepoint_links(demo)]
    by_link = [url for url in by_link if not url.endswith((".pdf", ".ics"))]
    found, checked = {}, {}
    for language in LANGUAGES:
        secret, session_key = _secret_pages(demo, language)
        context = _context(browser, base, language)
        host = urlsplit(base).hostname
        context.add_cookies(
            [{"name": django_settings.SESSION_COOKIE_NAME, "value": session_key, "domain": host, "path": "/"}]
        )
        page = context.new_page()
        page.set_default_timeout(20000)
        try:
            for name, url in [*pages.items(), *((None, url) for url in by_link + secret)]:
                response = page.goto(base + url)
                assert response.status == 200 and page.url == base + url, (language, url, response.status, page.url)
                checked[language] = checked.get(language, 0) + 1
                for v in axe_violations(page):
                    found.setdefault(f"{language} {name or ''} {url}", []).append(f"{v['id']}: {v['nodes'][:2]}")
        finally:
            context.close()
    assert all(count >= len(pages) + 15 for count in checked.values()), checked
    assert not found, "\n".join(f"{where}: {problems}" for where, problems in sorted(found.items()))
