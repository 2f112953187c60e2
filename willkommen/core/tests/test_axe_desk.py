"""0 axe violations on every desk page (issue 15): the demo data of one authority are loaded, a staff member
holding every staff capability walks the desk in Chromium from the menu pages along the links (GET only,
one page per URL name, as ``test_no_raw_codes`` does), and axe-core (WCAG 2.1 A/AA) runs on each page; in
German, and the first pages again in Arabic (right to left)."""

from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings as django_settings
from django.urls import Resolver404, resolve

from willkommen.core.testing import axe_violations

from .test_desk_roles import PAGES
from .test_no_raw_codes import SKIP, demo, everything  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.sweep, pytest.mark.django_db(transaction=True)]

LIMIT = 220
ARABIC = 25  # pages walked again in Arabic


def _signed_in_context(browser, client, user, base, language):
    from willkommen.core.testing import verified_login

    verified_login(client, user)
    context = browser.new_context(locale=language, viewport={"width": 1366, "height": 768}, bypass_csp=True)
    host = urlsplit(base).hostname
    context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "domain": host,
                "path": "/",
            },
            {"name": django_settings.LANGUAGE_COOKIE_NAME, "value": language, "domain": host, "path": "/"},
        ]
    )
    return context


def _walk(page, base, limit, skipped):
    """Visit desk pages breadth-first; yields (url, violations) for each HTML page; ``skipped`` collects the
    addresses that gave no HTML page, with their status."""
    queue = deque("/" + route for route, _capability in PAGES)
    seen, names = set(), set()
    while queue and len(names) < limit:
        url = queue.popleft()
        if url in seen or SKIP.search(url) or "/export" in url or url.endswith((".csv", ".xlsx", ".zip", ".json")):
            continue
        seen.add(url)
        try:
            name = resolve(urlsplit(url).path).view_name
        except Resolver404:
            continue
        if name in names:
            continue
        names.add(name)
        # Ask first (same cookies, no page): a POST-only address answers 405, and opening it in the page
        # would leave Chromium's error page to interrupt the next navigation.
        answer = page.context.request.get(base + url, max_redirects=0)
        if answer.status != 200 or "text/html" not in answer.headers.get("content-type", ""):
            skipped.append((url, answer.status))
            continue
        response = page.goto(base + url)
        if response is None or response.status != 200:
            skipped.append((url, response.status if response else None))
            continue
        for href in page.eval_on_selector_all("a[href^='/desk/']", "links => links.map(a => a.getAttribute('href'))"):
            href = urldefrag(href)[0]
            if href not in seen:
                queue.append(href)
        yield url, axe_violations(page)


def test_every_desk_page_has_no_axe_violations(browser, live_server, client, everything):  # noqa: F811
    base = live_server.url
    found, visited, skipped = {}, 0, []
    for language, limit in (("de", LIMIT), ("ar", ARABIC)):
        context = _signed_in_context(browser, client, everything, base, language)
        page = context.new_page()
        page.set_default_timeout(20000)
        try:
            for url, violations in _walk(page, base, limit, skipped):
                visited += 1
                for v in violations:
                    found.setdefault(f"{language} {url}", []).append(f"{v['id']} ({v['impact']}): {v['nodes'][:2]}")
        finally:
            context.close()
    assert visited > 40, (visited, skipped)  # the demo's desk: about 55 pages in German, 25 again in Arabic
    assert not found, "\n".join(f"{url}: {problems}" for url, problems in sorted(found.items()))
