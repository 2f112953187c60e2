"""Staff see words, not codes: no desk page and no export shows a raw choice value (``in_review``,
``walk_in``) where its label belongs.

The demo data of one authority are loaded; a staff member holding every staff capability (and every
team) walks the desk from its menu pages along the links (GET only, a few pages per URL name), and
every CSV and XLSX export linked from the pages is opened. The visible text (text nodes, no attributes,
no scripts) is cut into words; a word equal to the stored value of a choice field of any model is a
raw code on the page. The values are collected from the models, so rooms added later are covered.
"""

import csv
import io
import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.apps import apps
from django.urls import Resolver404, resolve
from django.utils import translation

from willkommen.accounts import roles
from willkommen.core.testing import make_staff, verified_login

from .test_desk_roles import PAGES

# Values that are also ordinary words of the pages' German text or too short to tell (sex, direction).
NOT_CODES = {"in", "online"}
PER_NAME = 2  # pages visited per URL name (a case page and another one, ...)
LIMIT = 400  # pages in all
SKIP = re.compile(r"/(logout|login)/|\.(pdf|ics|png|jpe?g)$|/download/|/preview/|/file/")


def raw_codes():
    """{value: "app.Model.field"} of every choice value that is a code, not a word."""
    codes = {}
    with translation.override("en"):
        for model in apps.get_models():
            for field in model._meta.get_fields():
                for value, label in getattr(field, "flatchoices", None) or ():
                    if not isinstance(value, str) or len(value) < 2 or value in NOT_CODES:
                        continue
                    if value.lower() == str(label).lower():  # "open" / "Open": a word, not a code
                        continue
                    if "_" in value or re.fullmatch(r"[a-z][a-z0-9]*", value):
                        codes.setdefault(value, f"{model._meta.label}.{field.name}")
    return codes


CODES = raw_codes()


HIDDEN = ("script", "style", "template", "code")  # <code>: codes shown on purpose (placeholders like {status})


class _Text(HTMLParser):
    """The text nodes of a page, without scripts, styles, ``<code>`` and attributes."""

    def __init__(self):
        super().__init__()
        self.parts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN:
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def words(text):
    """Whitespace-separated words with surrounding punctuation taken off (``example.de`` stays one word)."""
    for word in text.split():
        word = word.strip("()[]{}<>,;:.!?\"'«»„“”‘’–—→·/|*")
        if word:
            yield word


def codes_in(texts):
    """Codes with an underscore anywhere in the text; one-word codes (``duldung``, ``ar``) when they are
    the whole text of an element or cell (inside a sentence they may be the English or French word)."""
    found = set()
    for text in texts:
        text = str(text)
        found.update(word for word in words(text) if "_" in word and word in CODES)
        if text.strip() in CODES:
            found.add(text.strip())
    return sorted(found)


def page_text(html):
    parser = _Text()
    parser.feed(html)
    return parser.parts


def export_texts(response):
    content_type = response["Content-Type"]
    if content_type.startswith("text/csv"):
        body = response.content.decode("utf-8-sig")
        dialect = csv.Sniffer().sniff(body.splitlines()[0] if body else "a;b", delimiters=";,")
        return [cell for row in csv.reader(io.StringIO(body), dialect) for cell in row]
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if isinstance(cell, str)
    ]


@pytest.fixture
def demo(settings, tmp_path):
    """The demo data of the first demo authority, as ``load_demo`` loads them."""
    from willkommen.core.management.commands.load_demo import create_authorities, demo_modules

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    settings.PUBLIC_RATE_LIMIT = 100000
    authority = create_authorities()[0]
    for _room, module in demo_modules():
        module.load(authority)
    return authority


@pytest.fixture
def everything(demo, monkeypatch):
    """A head of office who holds every staff capability and leads every team."""
    from willkommen.tenancy.models import Team

    staff = set().union(*(caps for role, caps in roles.CAPABILITIES.items() if role != roles.Role.PARTNER))
    monkeypatch.setitem(roles.CAPABILITIES, roles.Role.HEAD_OF_OFFICE, staff)
    return make_staff(demo, "alles", role="head_of_office", teams=list(Team.objects.filter(authority=demo)))


def test_the_codes_are_collected_from_the_models():
    assert {"in_review", "walk_in", "awaiting_approval", "no_show"} <= CODES.keys()
    assert "in" not in CODES and "open" not in CODES


def test_words_are_taken_from_text_not_attributes():
    html = '<p class="in_review">Status: in_review.</p><a href="/x?walk_in=1">Ohne Termin</a><script>walk_in</script>'
    assert codes_in(page_text(html)) == ["in_review"]
    assert codes_in(["mail@example.de", "received → in_review", "Bitte laden Sie die Unterlagen hoch."]) == [
        "in_review"
    ]
    assert codes_in([" duldung ", "Duldung", "We send a letter."]) == ["duldung"]


@pytest.mark.django_db
def test_no_desk_page_or_export_shows_a_raw_code(client, everything):
    verified_login(client, everything)
    client.cookies["language"] = "de"
    queue = deque("/" + route for route, _capability in PAGES)
    seen, per_name, found, visited, exports = set(), Counter(), {}, 0, 0
    while queue and visited < LIMIT:
        url = queue.popleft()
        if url in seen or SKIP.search(url):
            continue
        seen.add(url)
        try:
            name = resolve(urlsplit(url).path).view_name
        except Resolver404:
            continue
        if per_name[name] >= PER_NAME:
            continue
        per_name[name] += 1
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="de")
        visited += 1
        assert response.status_code < 500, url
        if response.status_code != 200:
            continue
        content_type = response["Content-Type"]
        if content_type.startswith("text/html"):
            html = response.content.decode()
            texts = page_text(html)
            links = _Links()
            links.feed(html)
            for href in links.links:
                href = urldefrag(href)[0]
                if href.startswith("/desk/") and href not in seen:
                    queue.append(href)
        elif content_type.startswith("text/csv") or "spreadsheetml" in content_type:
            texts = export_texts(response)
            exports += 1
        else:
            continue
        for code in codes_in(texts):
            context = next((" ".join(str(t).split())[:120] for t in texts if code in str(t)), "")
            found.setdefault(code, f"{url} ({CODES[code]}): {context}")
    assert visited > 40 and exports >= 4, (visited, exports)
    assert not found, "\n".join(f"{code}: {where}" for code, where in sorted(found.items()))
