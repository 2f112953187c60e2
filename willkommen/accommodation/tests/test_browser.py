"""The accommodation pages in the browser, right to left (Arabic) and in German: find a client, place
them, see them among the residents, move them out; axe-core finds no WCAG 2.1 AA violation."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from willkommen.accommodation.models import Placement
from willkommen.core.testing import axe_violations, format_violations, make_staff, verified_login

from .conftest import make_accommodation, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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


def check(page):
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)


@pytest.mark.parametrize("language,direction", [("ar", "rtl"), ("de", "ltr")])
def test_place_and_move_out_in_the_browser(page, live_server, authority, language, direction):
    home = make_accommodation(authority, "GU Am Fuchsbau", capacity=2, street="Am Fuchsbau 12", city="Alpha")
    person = make_person(authority, "Haddad", "Nour", family_name_native="حداد", given_names_native="نور")
    sign_in(page, live_server, make_staff(authority, "hanna", role="accommodation"), language)
    base = live_server.url

    page.goto(base + reverse("accommodation:list"))
    assert page.locator("html").get_attribute("dir") == direction
    check(page)
    page.locator(f"a[href='{reverse('accommodation:detail', args=[home.pk])}']").first.click()
    check(page)
    page.locator(f"a[href='{reverse('accommodation:place', args=[home.pk])}']").click()
    page.locator("#id_q").fill("Haddad")
    page.locator("form[role=search] button").click()
    page.locator("[data-testid=search-results] a").first.click()
    assert "Haddad" in page.locator("[data-testid=chosen]").inner_text()
    check(page)
    page.locator("#id_unit").fill("EG-2")
    page.locator("main form[method=post] button[type=submit]").click()

    assert page.url.endswith(reverse("accommodation:detail", args=[home.pk]))
    placement = Placement.objects.get(person=person)
    row = page.locator(f"[data-testid=placement-{placement.pk}]")
    assert "EG-2" in row.inner_text()
    check(page)
    row.locator("a").click()
    check(page)
    page.locator(f"form[action='{reverse('accommodation:move_out', args=[placement.pk])}'] button").click()
    assert page.url.endswith(reverse("accommodation:detail", args=[home.pk]))
    placement.refresh_from_db()
    assert placement.moved_out is not None
    check(page)
