"""The one Anliegen finder on the checklist, booking and apply pages (issue 14, finding 2)."""

import re

import pytest

from willkommen.appointments.testing import make_offer
from willkommen.catalogue import demo as catalogue_demo
from willkommen.catalogue.models import Anliegen

PAGES = {
    "checklist": ("/checklist/", "/checklist/studium/"),
    "appointments": ("/appointments/", "/appointments/studium/"),
    "apply": ("/apply/", "/apply/start/studium/"),
}


@pytest.fixture
def catalogue(authority):
    catalogue_demo.load(authority)
    make_offer(authority, anliegen=Anliegen.objects.get(authority=authority, slug="studium"), horizon=3)
    return authority


def results(page):
    """The part of the page with the search results (before the situations)."""
    match = re.search(r'id="finder-results">(.*?)id="finder-situations"', page, re.S)
    assert match, "no results block"
    return match.group(1)


def get(client, url, language, **params):
    client.cookies["willkommen_language"] = language
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("query,language", [("verlängern", "de"), ("extend", "en"), ("تمديد", "ar")])
def test_extension_words_list_the_extension_anliegen(client, catalogue, page, query, language):
    index, target = PAGES[page]
    found = results(get(client, index, language, q=query))
    assert f'href="{target}"' in found
    assert "/neuer-pass/" not in found


@pytest.mark.parametrize("page", PAGES)
def test_situation_links_work_without_javascript(client, catalogue, page):
    index, _target = PAGES[page]
    html = get(client, index, "en")
    assert 'role="search"' in html and '<label class="kern-label" for="finder-q">' in html
    assert 'href="?situation=passport#finder-results"' in html and "<details" in html
    found = results(get(client, index, "en", situation="passport"))
    assert "neuer-pass" in found and "studium" not in found


def test_apply_page_names_the_other_way_in_for_an_appointment_only_matter(client, catalogue):
    found = results(get(client, "/apply/", "en", q="passport"))
    assert 'href="/apply/start/neuer-pass/"' not in found
    assert "This matter cannot be applied for online." in found
    assert 'href="/checklist/neuer-pass/"' in found  # no offer to book it: the checklist is the way on


def test_booking_page_links_an_unbookable_matter_to_applying_online(client, catalogue):
    found = results(get(client, "/appointments/", "en", q="blue card"))
    assert "No appointment can be booked online for this matter." in found
    assert 'href="/apply/start/blaue-karte/"' in found


def test_nothing_found_and_overlong_queries_are_no_error(client, catalogue):
    assert "Nothing found" in get(client, "/checklist/", "en", q="zzzzqqq")
    assert get(client, "/checklist/", "en", q="x" * 5000, situation="<script>")


def test_checklist_finder_in_ukrainian_finds_the_extension(client, catalogue):
    assert 'href="/checklist/studium/"' in results(get(client, "/checklist/", "uk", q="продовжити"))
