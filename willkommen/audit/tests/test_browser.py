"""The retention page in the browser, right to left (Arabic) and in German: periods and recorded runs,
filtered by job; axe-core finds no WCAG 2.1 AA violation."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from willkommen.audit import retention
from willkommen.audit.models import RetentionRun
from willkommen.core.testing import axe_violations, format_violations, make_staff, verified_login

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


@pytest.mark.parametrize("language,direction", [("ar", "rtl"), ("de", "ltr")])
def test_retention_page(page, live_server, authority, language, direction):
    retention.run_all(now=timezone.now(), authorities=[authority])
    RetentionRun.objects.filter(room="appointments").update(deleted={"appointments.booking": 4321})
    sign_in(page, live_server, make_staff(authority, "admin", role="administrator"), language)
    page.goto(f"{live_server.url}/a/alpha/desk/audit/retention/")
    assert page.locator("html").get_attribute("dir") == direction
    assert "APPOINTMENTS_RETENTION_DAYS" in page.locator("[data-testid=retention-periods]").inner_text()
    assert "4321" in page.locator("[data-testid=retention-runs]").inner_text()
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)
    page.locator("#id_room").select_option("appointments")
    page.locator("main form button[type=submit]").click()
    rows = page.locator("[data-testid=retention-runs] tbody tr")
    assert rows.count() == 1 and "4321" in rows.inner_text()
