"""Finding words of the wrong language in a client page or PDF (used by ``test_client_languages.py``).

``Sources`` knows every text the project translates, with its forms per language: the gettext catalogs of
every room (English msgid, German and the six other translations) and the texts authorities enter (the
catalogue's rows per language, the tenancy rows per language, fee notes). A visible text equal to one of
these forms is in the wrong language when the language it stands in (the nearest ``lang`` attribute: the
page's, a section's of a bilingual PDF, a marked German fallback's) has another form of it and no other
source has this text in that language. Proper names, codes and numbers are in no source and pass.
"""

import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings

LANGUAGES = [code for code, _name in settings.LANGUAGES]
ROOT = Path(settings.BASE_DIR) / "willkommen"

# Strings that were found untranslated in client pages and PDFs (issue 14): they must never stand in a
# text of another language than their own (a substring check, so also inside longer text and PDFs).
KNOWN = [
    ("extension of the permit", "en"),
    ("minors pay half", "en"),
    ("benefit recipients are exempt", "en"),
    ("Funds", "en"),
    ("Admission", "en"),
    ("Mo–Do", "de"),
    ("Mo–Fr", "de"),
    ("Offene Sprechstunde", "de"),
    ("Studium und Forschung", "de"),
    ("Familie und Aufenthalt", "de"),
    ("Minderjährige zahlen", "de"),
    ("Verlängerung der Erlaubnis", "de"),
]

# Texts that are the same word in the languages that show them, on purpose: documented exceptions.
ALLOWED = {
    "Willkommen",  # the product's name
    "ServicePoint",  # the name of the counter on the signs in the building
    "ALTCHA",  # the name of the proof-of-work widget
    "BundID",  # the federal identity service
    "Duldung",  # the German legal term, given in brackets beside its translation
    "Fiktionsbescheinigung",
}

HIDDEN = ("script", "style", "template", "code", "svg")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
LETTER = re.compile(r"[^\W\d_]")


class Sources:
    def __init__(self):
        self.groups = []  # [{language: text}]
        self.valid = defaultdict(set)  # language -> every text some source has in it
        self.index = defaultdict(list)  # text -> groups it is a form of

    def add(self, forms):
        forms = {lang: " ".join(str(text).split()) for lang, text in forms.items() if text and str(text).strip()}
        if not forms:
            return
        self.groups.append(forms)
        for lang, text in forms.items():
            self.valid[lang].add(text)
            self.index[text].append(forms)

    def wrong(self, text, language):
        """The reason ``text`` is wrong in ``language``, or ''."""
        text = " ".join(text.split())
        if not text or not LETTER.search(text) or text in ALLOWED or text in self.valid[language]:
            return ""
        for forms in self.index.get(text, ()):
            own = [lang for lang, form in forms.items() if form == text]
            expected = forms.get(language)
            return f"{'/'.join(own)} text {text!r} (in {language}: {expected!r})"
        return ""


def gettext_sources(sources):
    import polib

    for po_dir in sorted(ROOT.glob("*/locale/de/LC_MESSAGES/django.po")):
        room_locale = po_dir.parents[2]
        catalogs = {}
        for lang in LANGUAGES:
            path = room_locale / lang / "LC_MESSAGES" / "django.po"
            if path.exists():
                catalogs[lang] = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(path)) if not e.obsolete}
        for key, entry in catalogs.get("de", {}).items():
            if entry.msgid_plural or "%" in entry.msgid or "{" in entry.msgid:
                continue
            # a language without a translation has no form: the English (and German) ones are wrong there
            forms = {"en": entry.msgid}
            for lang, catalog in catalogs.items():
                other = catalog.get(key)
                if lang != "en" and other is not None and other.msgstr and "fuzzy" not in other.flags:
                    forms[lang] = other.msgstr
            sources.add(forms)


def data_sources(sources, authority):
    """The texts the authority entered, per language (catalogue rows, tenancy rows, fee notes)."""
    from willkommen.catalogue.models import AnliegenText, ChecklistItemText, QuestionText
    from willkommen.tenancy.models import Team

    for model, owner, fields in (
        (AnliegenText, "anliegen_id", ("title", "summary")),
        (ChecklistItemText, "item_id", ("title", "explanation")),
        (QuestionText, "question_id", ("text", "help_text")),
    ):
        grouped = defaultdict(dict)
        for row in model.objects.filter(authority=authority, status="public"):
            for field in fields:
                grouped[(getattr(row, owner), field)][row.language] = getattr(row, field)
        for forms in grouped.values():
            sources.add(forms)
    rows = [authority, *Team.objects.filter(authority=authority)]
    for row in rows:
        for field in row.LOCAL_FIELDS:
            texts = [row.local_text(field, lang) for lang in LANGUAGES]
            sources.add({text.language: text for text in texts})
    from willkommen.catalogue.models import Anliegen

    for anliegen in Anliegen.objects.filter(authority=authority):
        for reduction in anliegen.fee_reductions or []:
            sources.add({"de": reduction.get("note", ""), **(reduction.get("notes") or {})})


SPOKEN = ("aria-label", "title", "placeholder", "alt")  # attributes a screen reader reads or a client sees
SHOWN_VALUE = ("submit", "button", "reset")  # input types whose value is their label


class Texts(HTMLParser):
    """Visible text nodes and the texts of attributes a client sees or hears (aria-label, title, placeholder,
    alt, a button's value), with the language they stand in (the nearest ``lang`` attribute)."""

    def __init__(self, language):
        super().__init__(convert_charrefs=True)
        self.stack = [("", language, False)]
        self.found = []  # (language, text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        _tag, lang, hidden = self.stack[-1]
        lang = (attrs.get("lang") or lang).split("-")[0]
        hidden = hidden or tag in HIDDEN or "hidden" in attrs
        if not hidden:
            self._attributes(tag, attrs, lang)
        if tag not in VOID:
            self.stack.append((tag, lang, hidden))

    def handle_startendtag(self, tag, attrs):
        _tag, lang, hidden = self.stack[-1]
        attrs = dict(attrs)
        if not hidden and "hidden" not in attrs:
            self._attributes(tag, attrs, (attrs.get("lang") or lang).split("-")[0])

    def _attributes(self, tag, attrs, lang):
        texts = [attrs.get(name) for name in SPOKEN]
        if tag == "input" and (attrs.get("type") or "").lower() in SHOWN_VALUE:
            texts.append(attrs.get("value"))
        self.found += [(lang, text) for text in texts if text and text.strip()]

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        _tag, lang, hidden = self.stack[-1]
        if not hidden and data.strip():
            self.found.append((lang, data))


def html_problems(sources, html, language):
    parser = Texts(language)
    parser.feed(html)
    problems = []
    for lang, text in parser.found:
        reason = sources.wrong(text, lang)
        if reason:
            problems.append(reason)
        problems += known_in(text, lang)
    return problems


def known_in(text, language):
    flat = " ".join(text.split())
    return [
        f"known {own} string {string!r} in {language} text {flat[:80]!r}"
        for string, own in KNOWN
        if own != language and re.search(rf"(?<!\w){re.escape(string)}(?!\w)", flat)
    ]
