"""Browser (German, desktop): a drop-off for a client found by name and date of birth – two clients share
them, the staff member chooses by the case number shown, and the documents land in that client's file.
Every page of the flow axe-clean."""

import datetime as dt

import pytest
from django.urls import reverse

from willkommen.clients.services import create_person
from willkommen.core.testing import axe_violations, format_violations
from willkommen.efile.models import Document
from willkommen.servicepoint.models import DropOff

from .conftest import png_bytes
from .test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _axe(page):
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)


def test_drop_off_by_name_and_date_of_birth(page, live_server, authority, person, sp_staff):
    from willkommen.cases.services import open_case
    from willkommen.catalogue.testing import make_anliegen

    namesake = create_person(authority, family_name="Yılmaz", given_names="Ayşe", date_of_birth=person.date_of_birth)
    case, _code = open_case(authority, person=namesake, anliegen=make_anliegen(authority))
    page.set_viewport_size({"width": 1366, "height": 768})
    page.context.set_extra_http_headers({"Accept-Language": "de-DE,de"})
    base = live_server.url
    sign_in(page, live_server, sp_staff)

    page.goto(f"{base}{reverse('servicepoint:drop_off')}")
    assert page.locator("html").get_attribute("lang") == "de"
    _axe(page)
    # a name nobody has: the page says so, and offers the search again
    page.locator("#id_name").fill("Nobody")
    page.locator("#id_date_of_birth").fill(dt.date(1990, 1, 2).isoformat())
    page.locator("[data-testid=find-client] button[type=submit]").click()
    assert "Keine Person mit diesem Namen und Geburtsdatum" in page.locator("[data-testid=no-client]").inner_text()
    _axe(page)

    page.locator("#id_name").fill("ayse yilmaz")
    page.locator("[data-testid=find-client] button[type=submit]").click()
    candidates = page.locator("[data-testid=candidates]")
    assert candidates.locator("tbody tr").count() == 2
    assert case.number in candidates.inner_text()
    _axe(page)
    candidates.locator("tr", has_text=case.number).locator("a").click()

    client = page.locator("[data-testid=drop-off-client]")
    assert "Yılmaz" in client.inner_text() and case.number in client.inner_text()
    page.locator("#id_case_number").fill(case.number)
    page.locator("#id_file1").set_input_files(
        files=[{"name": "pass.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    page.locator("#id_type1").select_option("passport")
    _axe(page)
    page.locator("main form[enctype] button[type=submit]").click()
    assert "pass.png" in page.locator("[data-testid=received-items]").inner_text()
    drop = DropOff.objects.get()
    assert drop.person == namesake and drop.case == case
    assert Document.objects.get().person == namesake
    _axe(page)
