"""Nationality by name, not code (issue 14 item 8): the application's personal page offers every country by
its name in the client's language (a second select for a second nationality), stores the alpha-3 codes,
refuses unknown codes, and the REST API's list of codes still works; personal fields carry autocomplete."""

import pytest

from willkommen.applications.forms import PersonalForm
from willkommen.applications.models import Application

from .conftest import PERSONAL

pytestmark = pytest.mark.django_db


def _start(client, anliegen, language):
    client.cookies["willkommen_language"] = language
    client.post(f"/a/alpha/apply/start/{anliegen.slug}/")
    application = Application.objects.latest("id")
    return application, f"/a/alpha/apply/{application.public_id}/personal/"


@pytest.mark.parametrize(
    ("language", "syria", "stateless"), [("de", "Syrien", "staatenlos"), ("ar", "سوريا", "عديم الجنسية")]
)
def test_the_page_lists_countries_by_name_in_the_clients_language(client, anliegen, language, syria, stateless):
    _application, url = _start(client, anliegen, language)
    html = client.get(url).content.decode()
    assert f'<option value="SYR">{syria}</option>' in html
    assert f'<option value="XXA">{stateless}</option>' in html
    assert 'name="nationalities_0"' in html and 'name="nationalities_1"' in html
    assert 'for="id_nationalities_0"' in html  # the label belongs to the first select; the second has its own name
    for token in ("family-name", "given-name", "bday", "street-address", "postal-code", "email", "tel"):
        assert f'autocomplete="{token}"' in html


def test_two_nationalities_are_stored_as_codes(client, anliegen):
    application, url = _start(client, anliegen, "en")
    data = {k: v for k, v in PERSONAL.items() if k != "nationalities"}
    response = client.post(url, {**data, "nationalities_0": "SYR", "nationalities_1": "TUR"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.personal["nationalities"] == ["SYR", "TUR"]
    page = client.get(url).content.decode()  # back to the page: both chosen again
    assert '<option value="SYR" selected>' in page and '<option value="TUR" selected>' in page


@pytest.mark.parametrize("bad", ["QQQ", "SY", "SYR, <b>", "Syria!!"])
def test_an_unknown_code_is_refused_and_nothing_is_stored(client, anliegen, bad):
    application, url = _start(client, anliegen, "en")
    data = {k: v for k, v in PERSONAL.items() if k != "nationalities"}
    response = client.post(url, {**data, "nationalities_0": bad})
    assert response.status_code == 400 and "Please choose your nationality from the list." in response.content.decode()
    application.refresh_from_db()
    assert application.personal == {}


def test_codes_under_the_fields_own_name_still_work_for_the_api():
    form = PersonalForm({**PERSONAL, "nationalities": "ukr, UKR, syr", "preferred_language": "en"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["nationalities"] == ["UKR", "SYR"]


def test_errors_are_summed_up_at_the_top_with_links_to_the_fields(client, anliegen):
    _application, url = _start(client, anliegen, "de")
    data = {k: v for k, v in PERSONAL.items() if k != "nationalities"}
    html = client.post(url, {**data, "email": "nope", "nationalities_0": "QQQ"}).content.decode()
    summary = html[html.index('class="kern-alert kern-alert--danger error-summary"') :]
    summary = summary[: summary.index("</ul>")]
    assert 'tabindex="-1" autofocus' in summary and "Bitte prüfen Sie Ihre Angaben." in summary
    assert 'href="#id_email"' in summary and 'href="#id_nationalities_0"' in summary
    assert html.index("error-summary") < html.index('id="id_family_name"')  # above the form's fields
