"""The case page on a laptop (issue 15 items 2 and 9): at 1366 × 768 the key facts and the actions are on
the first screen, the keyboard alone moves from the queue to the next case (access keys), and axe finds
nothing on the workspace, in German and Arabic."""

import pytest
from django.utils import timezone

from willkommen.core.testing import axe_violations, format_violations, make_staff

from .conftest import make_anliegen, make_person
from .test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def laptop(browser):
    context = browser.new_context(locale="de-DE", viewport={"width": 1366, "height": 768}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def test_facts_and_actions_fit_a_laptop_screen_and_the_keyboard_reaches_the_next_case(
    laptop, live_server, authority, team
):
    import datetime as dt

    from willkommen.cases.models import Case
    from willkommen.cases.services import open_case, transition
    from willkommen.messaging import conversation

    worker = make_staff(authority, "clara", teams=[team])
    anliegen = make_anliegen(authority)
    first, second = make_person(authority, "Haddad"), make_person(authority, "Nouri", email="n@example.org")
    case, _ = open_case(authority, person=first, anliegen=anliegen, team=team)
    later, _ = open_case(authority, person=second, anliegen=anliegen, team=team)
    Case.objects.filter(pk=case.pk).update(assignee=worker)
    Case.objects.filter(pk=later.pk).update(assignee=worker, due_on=timezone.localdate() + dt.timedelta(days=30))
    case.refresh_from_db()
    transition(case, "start_review", worker)
    conversation.client_writes(authority, first, subject="Frage", body="Wann?", case=case)
    base = live_server.url

    sign_in(laptop, base, worker)
    laptop.goto(f"{base}/desk/cases/")
    assert laptop.locator(".queue-unread").count() == 1  # the client's unread message, marked in the queue
    laptop.keyboard.press("Alt+Shift+KeyS")  # Alt+Shift+S: the search field
    assert laptop.evaluate("document.activeElement.name") == "q"
    laptop.goto(f"{base}/desk/cases/{case.pk}/")
    for selector in ("#case-status", "#person-link", ".case-actions button", "a[href$='/request-documents/']"):
        box = laptop.locator(selector).first.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 768, f"{selector} is below the first screen"
    assert laptop.locator("#case-messages").is_visible()
    violations = axe_violations(laptop)
    assert not violations, format_violations(violations)

    laptop.keyboard.press("Alt+Shift+KeyN")  # Alt+Shift+N: the next case of the queue
    laptop.wait_for_url(f"{base}/desk/cases/{later.pk}/")
    laptop.keyboard.press("Alt+Shift+KeyQ")
    laptop.wait_for_url(f"{base}/desk/cases/")

    from django.conf import settings

    laptop.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "ar", "url": base}])
    laptop.goto(f"{base}/desk/cases/{case.pk}/")
    assert laptop.locator("html").get_attribute("dir") == "rtl"
    main, aside = laptop.locator(".case-main").bounding_box(), laptop.locator(".case-aside").bounding_box()
    assert aside["x"] < main["x"]  # mirrored: the side column on the left
    violations = axe_violations(laptop)
    assert not violations, format_violations(violations)
