"""Induction checklists in the browser (Arabic, right to left, and German): the head of office adds an
item for caseworkers, a new caseworker marks it done on their own page, the head of office sees the
progress; no WCAG 2.1 AA violation (axe-core) on the new pages."""

import pytest
from django.conf import settings
from django.test import Client

from willkommen.core.testing import axe_violations, format_violations, make_staff, verified_login
from willkommen.knowledge import induction

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page):
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)


def sign_in(page, live_server, user, language):
    client = verified_login(Client(), user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": "willkommen_language", "value": language, "url": live_server.url},
        ]
    )


@pytest.mark.parametrize("language,direction", [("ar", "rtl"), ("de", "ltr")])
def test_induction_from_item_to_progress(page, live_server, authority, language, direction):
    head = make_staff(authority, "leitung", role="head_of_office")
    newcomer = make_staff(authority, "neu", role="caseworker")
    induction.save_item(authority, None, title="Datenschutz lesen", description="Dienstanweisung", position=1)

    sign_in(page, live_server, head, language)
    page.goto(live_server.url + "/desk/knowledge/induction/")
    assert page.locator("html").get_attribute("dir") == direction
    check(page)
    page.fill("#id_title", "Fachverfahren kennenlernen")
    page.fill("#id_position", "2")
    page.check("input[name=roles][value=caseworker]")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/desk/knowledge/induction/")
    assert "Fachverfahren kennenlernen" in page.locator("main").inner_text()
    item = induction.items(authority).get(title="Fachverfahren kennenlernen")
    page.goto(live_server.url + f"/desk/knowledge/induction/{item.pk}/")
    check(page)

    sign_in(page, live_server, newcomer, language)
    page.goto(live_server.url + "/desk/knowledge/my-induction/")
    check(page)
    page.locator(f"[data-testid=check-{item.pk}] button").click()
    page.wait_for_url("**/desk/knowledge/my-induction/")
    assert page.locator(f"[data-testid=done-{item.pk}]").count() == 1
    check(page)

    sign_in(page, live_server, head, language)
    page.goto(live_server.url + "/desk/knowledge/induction/")
    row = page.locator(f"[data-testid=progress-{newcomer.pk}]")
    assert "1" in row.inner_text() and "2" in row.inner_text()
    row.locator("a").click()
    page.wait_for_url(f"**/desk/knowledge/induction/staff/{newcomer.pk}/")
    assert page.locator(f"[data-testid=done-{item.pk}]").count() == 1
    check(page)
