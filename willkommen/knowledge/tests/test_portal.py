"""Portal pages and feeds: the forms library and the news in the client's language (German with a note
where a translation is missing), the Atom and JSON feeds (valid, current items only, one language, one
authority), and the news on the portal home."""

import json
import xml.etree.ElementTree as ET

import pytest

from .conftest import make_form, make_news

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"

TEXTS_AR = {
    "de": {"title": "Schließung Freitag", "body": "Geschlossen."},
    "ar": {"title": "إغلاق يوم الجمعة", "body": "مغلق."},
}


def lang(client, code):
    client.cookies["willkommen_language"] = code
    return client


@pytest.fixture
def news(authority, other_authority):
    return {
        "current": make_news(authority, TEXTS_AR, start=-1, end=3, kind="closure"),
        "german_only": make_news(authority, {"de": {"title": "Nur Deutsch", "body": "Text"}}, start=-2),
        "past": make_news(
            authority, {"de": {"title": "Vorbei", "body": ""}, "ar": {"title": "منتهٍ", "body": ""}}, -20, -1
        ),
        "future": make_news(authority, {"de": {"title": "Bald", "body": ""}, "ar": {"title": "قريباً", "body": ""}}, 2),
        "other": make_news(other_authority, {"de": {"title": "Beta", "body": ""}, "ar": {"title": "بيتا", "body": ""}}),
    }


def test_atom_feed_validates_and_shows_only_current_items_in_the_language(client, news):
    response = client.get("/news/feed.atom?lang=ar")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "ar"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None and root.find(f"{ATOM}{required}").text
    # RFC 4287 4.1.1: an atom:author with a name, on the feed or on every entry.
    assert root.find(f"{ATOM}author/{ATOM}name").text
    assert root.find(f"{ATOM}link[@rel='self']").get("href").endswith("/news/feed.atom?lang=ar")
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["إغلاق يوم الجمعة"]
    entry = entries[0]
    for required in ("id", "title", "updated"):
        assert entry.find(f"{ATOM}{required}").text
    assert entry.find(f"{ATOM}link").get("href").endswith(f"#news-{news['current'].pk}")
    german = ET.fromstring(client.get("/news/feed.atom?lang=de").content)
    assert sorted(e.find(f"{ATOM}title").text for e in german.findall(f"{ATOM}entry")) == [
        "Nur Deutsch",
        "Schließung Freitag",
    ]


def test_json_feed_is_json_feed_1_1_with_current_items_in_the_language(client, news):
    response = client.get("/news/feed.json?lang=ar")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/feed+json")
    data = json.loads(response.content)
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["title"] and data["language"] == "ar" and data["home_page_url"].startswith("http")
    assert [item["title"] for item in data["items"]] == ["إغلاق يوم الجمعة"]
    item = data["items"][0]
    assert item["id"] and item["url"].endswith(f"#news-{news['current'].pk}") and item["date_published"]
    assert item["tags"] == ["closure"]


def test_feeds_are_per_authority_and_refuse_unknown_languages(client, news):
    data = json.loads(client.get("/a/beta/news/feed.json?lang=de").content)
    assert [item["title"] for item in data["items"]] == ["Beta"]
    assert "Cookie" in client.get("/news/feed.json")["Vary"]  # the language came from the request
    assert client.get("/news/feed.json?lang=de")["Access-Control-Allow-Origin"] == "*"
    assert client.get("/news/feed.json?lang=xx").status_code == 404
    assert client.get("/news/feed.atom?lang=xx").status_code == 404


def test_news_page_in_arabic_falls_back_to_german_with_a_note(client, news):
    body = lang(client, "ar").get("/news/").content.decode()
    assert "إغلاق يوم الجمعة" in body and "Nur Deutsch" in body
    assert body.count('data-testid="fallback-note"') == 1
    assert "Vorbei" not in body and "منتهٍ" not in body and "قريباً" not in body and "بيتا" not in body


def test_portal_home_shows_current_news(client, news):
    body = lang(client, "ar").get("/").content.decode()
    assert 'data-testid="home-news"' in body and "إغلاق يوم الجمعة" in body and "قريباً" not in body


def test_portal_home_without_news_has_no_news_section(client, authority):
    assert 'data-testid="home-news"' not in client.get("/").content.decode()


def test_forms_in_arabic_show_arabic_texts_and_fall_back_to_german_with_a_note(client, authority, other_authority):
    both = make_form(
        authority,
        texts={
            "de": {"title": "Vollmacht", "description": "Vertretung"},
            "ar": {"title": "توكيل", "description": "تمثيل"},
        },
    )
    german = make_form(authority, texts={"de": {"title": "Verpflichtungserklärung", "description": "Unterhalt"}})
    make_form(authority, texts={"de": {"title": "Versteckt"}}, active=False)
    make_form(other_authority, texts={"de": {"title": "Formular Beta"}})
    response = lang(client, "ar").get("/forms/")
    assert response.status_code == 200
    shown = {f.obj.pk: (f.text.title, f.fallback) for f in response.context["forms"]}
    assert shown == {both.pk: ("توكيل", False), german.pk: ("Verpflichtungserklärung", True)}
    body = response.content.decode()
    assert "تمثيل" in body and body.count('data-testid="fallback-note"') == 1
    assert "Versteckt" not in body and "Formular Beta" not in body


def test_form_download_is_the_pdf_of_this_authority(client, authority, other_authority):
    form = make_form(authority)
    hidden = make_form(authority, active=False)
    response = client.get(f"/forms/{form.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert client.get(f"/forms/{hidden.pk}/download/").status_code == 404
    assert client.get(f"/a/beta/forms/{form.pk}/download/").status_code == 404


def test_a_form_links_its_anliegen_in_the_clients_language(client, authority):
    from willkommen.catalogue.testing import make_anliegen

    anliegen = make_anliegen(authority)
    make_form(authority, anliegen=anliegen)
    body = lang(client, "en").get("/forms/").content.decode()
    assert f'href="/checklist/{anliegen.slug}/"' in body


def test_feeds_and_pages_read_a_fixed_number_of_queries(client, authority):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(path):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    make_news(authority, TEXTS_AR)
    make_form(authority)
    count("/")  # the first request of a test warms the authority and language caches
    few = [count(p) for p in ("/news/feed.atom?lang=ar", "/news/feed.json?lang=ar", "/news/", "/forms/", "/")]
    for i in range(8):
        make_news(authority, {"de": {"title": f"N{i}", "body": ""}, "ar": {"title": f"ن{i}", "body": ""}})
        make_form(authority)
    many = [count(p) for p in ("/news/feed.atom?lang=ar", "/news/feed.json?lang=ar", "/news/", "/forms/", "/")]
    assert many == few
