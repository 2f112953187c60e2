"""The portal's news and forms pages in Arabic (right to left) in the browser: the texts in Arabic, German
with a note where a translation is missing, and no WCAG 2.1 AA violation (axe-core)."""

import pytest

from willkommen.core.testing import axe_violations, format_violations

from .conftest import make_form, make_news

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page):
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)


def test_news_and_forms_in_arabic(page, live_server, authority):
    make_news(
        authority,
        {"de": {"title": "Geschlossen", "body": "Am Freitag."}, "ar": {"title": "مغلق", "body": "يوم الجمعة."}},
    )
    make_news(authority, {"de": {"title": "Neues Formular", "body": "Text"}}, start=-1)
    make_form(
        authority,
        texts={
            "de": {"title": "Vollmacht", "description": "Vertretung"},
            "ar": {"title": "توكيل", "description": "تمثيل"},
        },
    )
    make_form(authority, texts={"de": {"title": "Verpflichtungserklärung", "description": "Unterhalt"}})
    page.context.add_cookies([{"name": "willkommen_language", "value": "ar", "url": live_server.url}])

    page.goto(live_server.url + "/news/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert "مغلق" in page.locator("main").inner_text()
    assert page.locator("[data-testid=fallback-note]").count() == 1
    check(page)

    page.goto(live_server.url + "/forms/")
    assert "توكيل" in page.locator("main").inner_text()
    assert page.locator("[data-testid=fallback-note]").count() == 1
    check(page)

    page.goto(live_server.url + "/")
    assert "مغلق" in page.locator("[data-testid=home-news]").inner_text()
    check(page)


@pytest.mark.parametrize("language,direction", [("ar", "rtl"), ("de", "ltr")])
def test_desk_pages_and_the_person_page_with_a_country_note(page, live_server, authority, language, direction):
    import datetime as dt

    from django.conf import settings
    from django.test import Client

    from willkommen.clients.models import Person
    from willkommen.core.testing import make_staff, verified_login

    from .conftest import make_note

    note = make_note(authority, "SYR", deportation_bans="Zurzeit keine Abschiebungen")
    form = make_form(authority)
    news = make_news(authority, {"de": {"title": "Geschlossen", "body": ""}})
    person = Person.objects.create(
        authority=authority,
        family_name="Haddad",
        given_names="Nour",
        date_of_birth=dt.date(1990, 1, 1),
        nationalities=["SYR"],
    )
    client = verified_login(Client(), make_staff(authority, "leitung", role="head_of_office"))
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
    for path in (
        "/desk/knowledge/forms/",
        "/desk/knowledge/forms/new/",
        f"/desk/knowledge/forms/{form.pk}/",
        "/desk/knowledge/news/",
        "/desk/knowledge/news/new/",
        f"/desk/knowledge/news/{news.pk}/",
        "/desk/knowledge/countries/",
        f"/desk/knowledge/countries/{note.pk}/",
        f"/desk/knowledge/countries/{note.pk}/edit/",
    ):
        page.goto(live_server.url + path)
        assert page.locator("html").get_attribute("dir") == direction
        check(page)
    page.goto(live_server.url + f"/desk/clients/{person.pk}/")
    panel = page.locator("[data-testid=country-note-SYR]")
    panel.locator("summary").click()
    assert "Zurzeit keine Abschiebungen" in panel.inner_text()
    check(page)
