"""The rights desk in the browser, right to left (Arabic) and in German: the team opens the candidate list,
filters by rule, opens a person with a missing fact, records it; axe-core finds no WCAG 2.1 AA violation."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from willkommen.applications.tests.conftest import png
from willkommen.core.testing import axe_violations, format_violations, make_staff, make_team, verified_login
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


def test_the_team_invites_by_letter_in_arabic_and_the_application_arrives_linked(
    page, live_server, authority, team, settings
):
    """The team invites Amal by letter (Arabic, German below); she follows the letter's link and applies
    through the portal; the case arrives linked to the check and with the team that invited."""
    import io
    import re

    from django.core.files.storage import default_storage
    from pypdf import PdfReader

    from willkommen.cases.models import Case
    from willkommen.catalogue import demo as catalogue_demo
    from willkommen.messaging.models import Attachment
    from willkommen.rights.models import RightsInvitation
    from willkommen.tenancy.models import RoutingRule

    settings.CLAMD_SOCKET, settings.EFILE_OCR = "", False  # the upload is not scanned here
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

    # a caseworker's team by routing rule for the Anliegen would take it; the invitation's team takes it instead
    other = make_team(authority, "Bleiberecht")
    anliegen = authority.anliegen_set.get(slug=invitation.rule.anliegen_slug)
    RoutingRule.objects.create(authority=authority, team=other, priority=0, anliegen=anliegen)

    # Amal follows the letter's link and applies through the portal, in Arabic
    link = re.search(r"https?://\S+/apply/start/[\w-]+/", invitation.message.body).group(0)
    number = apply_online(page, live_server, link, amal)
    case = Case.objects.get(number=number)
    invitation.refresh_from_db()
    assert case.person == amal and case.source == "online"
    assert invitation.case == case and case.team == team  # linked to the check, routed to the team that invited

    sign_in(page, live_server, make_staff(authority, "rosa2", role="caseworker", teams=[team]), "de")
    page.goto(live_server.url + reverse("rights:candidates") + "?rule=25a")
    assert "Antrag eingegangen" in page.locator(f"[data-testid=candidate-{amal.pk}-25a]").inner_text()


ANSWERS = {"pathway": "young", "student": "no", "employed": "no", "children": "no", "has_passport": "yes"}


def apply_online(page, live_server, link, person):
    """The client's way from the invitation's link to a submitted application (as the applications room's
    browser test walks it): start, personal data, questions, documents (the photo), review, submit."""
    page.context.clear_cookies()
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "ar", "url": live_server.url}])
    page.goto(link)
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.locator("main form button[type=submit]").click()
    page.locator("#id_family_name").fill(person.family_name)
    page.locator("#id_given_names").fill(person.given_names)
    page.locator("#id_date_of_birth").fill(person.date_of_birth.isoformat())
    page.locator("#id_nationalities_0").select_option("SYR")
    page.locator("#id_city").fill("Alpha")
    page.locator("#id_email").fill(person.email)  # the address the office knows: the same person
    if page.locator("#id_permit_valid_until").count():
        page.locator("#id_permit_valid_until").fill("2099-01-31")
    page.locator("#id_preferred_channel").select_option("email")
    page.locator("main form[novalidate] button[type=submit]").click()
    names = page.locator("main fieldset input[type=radio]").evaluate_all("els => [...new Set(els.map(e => e.name))]")
    for name in names:  # q-<key>
        page.locator(f"#{name}-{ANSWERS.get(name.removeprefix('q-'), 'no')}").check()
    page.locator("main form button[type=submit]").click()
    page.locator("#file-photo").set_input_files(files=[{"name": "photo.png", "mimeType": "image/png", "buffer": png()}])
    page.locator("main form button[name=next]").click()
    check(page)
    page.locator("#acknowledge").check()
    page.locator("main form button[type=submit]").last.click()
    page.locator(".access-code").wait_for()
    return page.locator(".case-number").inner_text().strip()


def test_the_team_lead_invites_the_selected_with_an_appointment_without_javascript(
    browser, page, live_server, authority, team
):
    """The selection form works without JavaScript: two checkboxes in the table, the appointment chosen,
    one click; the summary in German; axe finds nothing on the list with the form."""
    from willkommen.catalogue import demo as catalogue_demo
    from willkommen.rights.models import RightsInvitation

    catalogue_demo.load(authority)
    dawit = demo.load(authority)["dawit"]
    context = browser.new_context(java_script_enabled=False)
    plain = context.new_page()
    sign_in(plain, live_server, make_staff(authority, "lea", role="team_lead", teams=[team]), "de")
    plain.goto(live_server.url + reverse("rights:candidates"))
    for key in ("25b", "60d"):
        plain.locator(f"[data-testid=candidate-{dawit.pk}-{key}] input[type=checkbox]").check()
    plain.get_by_label("Termin im Amt").check()
    plain.locator("[data-testid=invite-form] button[type=submit]").click()
    assert "2 eingeladen, 0 bereits eingeladen." in plain.locator("main").inner_text()
    assert sorted(RightsInvitation.objects.filter(person=dawit).values_list("mode", flat=True)) == [
        "appointment",
        "appointment",
    ]
    context.close()
    sign_in(page, live_server, make_staff(authority, "lea2", role="team_lead", teams=[team]), "ar")
    page.goto(live_server.url + reverse("rights:candidates"))
    check(page)
