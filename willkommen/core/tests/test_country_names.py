"""Nationalities in words (issue 14 item 8, issue 15 item 6): the stored ISO codes are shown as country names
in the reader's language; the ICAO codes for stateless people and refugees in words; unknown codes as
they are."""

import pytest
from django.utils import translation

from willkommen.core.labels import country_name, country_names


@pytest.mark.parametrize(
    ("language", "code", "name"),
    [("de", "SYR", "Syrien"), ("en", "SY", "Syria"), ("ar", "syr", "سوريا"), ("uk", "UKR", "Україна")],
)
def test_a_code_becomes_the_countrys_name_in_the_readers_language(language, code, name):
    with translation.override(language):
        assert country_name(code) == name


def test_stateless_unknown_and_empty():
    with translation.override("de"):
        assert country_names(["XXA", "ZZQ", "", None, "TUR"]) == "staatenlos, ZZQ, Türkei"
        assert country_name("") == ""


def test_the_person_view_shows_names_not_codes(client, authority, caseworker):
    from willkommen.cases.tests.conftest import make_person
    from willkommen.core.testing import verified_login

    person = make_person(authority)
    person.nationalities = ["SYR", "XXA"]
    person.save()
    verified_login(client, caseworker)
    html = client.get(f"/desk/clients/{person.pk}/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Syrien, staatenlos" in html and ">SYR<" not in html
    assert "Arabisch" in html  # the preferred language by name
