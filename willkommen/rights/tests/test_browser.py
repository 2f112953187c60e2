"""The rights desk in the browser, right to left (Arabic) and in German: the team opens the candidate list,
filters by rule, opens a person with a missing fact, records it; axe-core finds no WCAG 2.1 AA violation."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from willkommen.core.testing import axe_violations, format_violations, make_staff, verified_login
from willkommen.rights import demo
from willkommen.rights.models import Fact

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
def test_the_team_works_the_candidate_list(page, live_server, authority, team, language, direction):
    persons = demo.load(authority)
    sign_in(page, live_server, make_staff(authority, "rosa", role="caseworker", teams=[team]), language)
    page.goto(live_server.url + reverse("rights:candidates"))
    assert page.locator("html").get_attribute("dir") == direction
    table = page.locator("[data-testid=candidates]")
    results = [r.get_attribute("data-result") for r in table.locator("tbody tr").all()]
    assert results[0] == "likely" and "needs_data" in results
    check(page)

    page.locator("#id_rule").select_option("25b")
    page.locator("form.filter-form button").click()
    ilir = persons["ilir"]
    row = page.locator(f"[data-testid=candidate-{ilir.pk}-25b]")
    assert row.get_attribute("data-result") == "needs_data"
    assert page.locator(f"[data-testid^=candidate-{persons['amal'].pk}-25a]").count() == 0
    row.locator("a").click()
    check(page)

    page.locator("#id_kind").select_option("german_level")
    page.locator("#id_value").fill("A2")
    page.locator("#id_source").select_option("document")
    page.locator("main form[method=post] button[type=submit]").click()
    assert page.url.endswith(reverse("rights:person", args=[ilir.pk]))
    assert Fact.objects.filter(person=ilir, kind="german_level", value="A2").exists()
    check(page)


def test_the_team_invites_by_letter_in_arabic_and_the_application_arrives_linked(page, live_server, authority, team):
    import io
    import re

    from django.core.files.storage import default_storage
    from pypdf import PdfReader

    from willkommen.cases.services import open_case
    from willkommen.catalogue import demo as catalogue_demo
    from willkommen.messaging.models import Attachment
    from willkommen.rights.models import RightsInvitation
    from willkommen.tenancy.models import RoutingRule

    catalogue_demo.load(authority)
    RoutingRule.objects.create(authority=authority, team=team, priority=1, nationalities=["SYR"])  # the team
    amal = demo.load(authority)["amal"]
    sign_in(page, live_server, make_staff(authority, "rosa", role="caseworker", teams=[team]), "de")
    page.goto(live_server.url + reverse("rights:candidates") + "?rule=25a")
    row = page.locator(f"[data-testid=candidate-{amal.pk}-25a]")
    row.locator("button[type=submit]").click()
    assert "?rule=25a" in page.url
    assert page.locator(f"[data-testid=candidate-{amal.pk}-25a] [data-testid=invited]").count() == 1
    check(page)

    invitation = RightsInvitation.objects.get(person=amal)
    assert invitation.language == "ar" and invitation.message.channel == "letter"
    letter = Attachment.objects.get(message=invitation.message, file_name="letter.pdf")
    with default_storage.open(letter.storage_name, "rb") as handle:
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
    assert re.search("[\u0600-\u06ff]", text)  # the Arabic explanation
    assert "Aufenthaltserlaubnis" in text and "25a" in text  # and the German one below

    anliegen = authority.anliegen_set.get(slug=invitation.rule.anliegen_slug)
    case, _code = open_case(authority, person=amal, anliegen=anliegen, source="online")
    invitation.refresh_from_db()
    assert invitation.case == case and case.team == team  # routed to the team that invited
    page.reload()
    assert "Antrag eingegangen" in page.locator(f"[data-testid=candidate-{amal.pk}-25a]").inner_text()
