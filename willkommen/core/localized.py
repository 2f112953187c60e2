"""A text an authority entered, in the language it was found in (``Localized``).

Texts that staff type for clients (phone and consultation hours, team names, fee notes) are
kept in German on the row itself and in the other languages as rows per language (like the catalogue's
and the knowledge room's texts; see docs/architecture.md, "Texts an authority enters, per language").
``pick_local`` chooses the client's language, else German; the value remembers which language it is in.

Rendered in a template (``{{ value }}``) a ``Localized`` in another language than the page's is marked:
``<span lang="de" dir="ltr">…</span>`` and a visible, translated hint "(in German)", so a screen reader
switches voice and the client knows why the words are German. ``{{ value|local_lines }}`` does the same
with line breaks kept.
"""

from django.conf import settings
from django.utils import translation
from django.utils.html import conditional_escape, format_html, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

SOURCE_LANGUAGE = "de"


class Localized(str):
    """A str that knows its language."""

    language = SOURCE_LANGUAGE

    def __new__(cls, text, language=SOURCE_LANGUAGE):
        value = super().__new__(cls, text or "")
        value.language = language or SOURCE_LANGUAGE
        return value

    def is_foreign(self):
        """Whether it is in another language than the one active now (and not empty)."""
        current = (translation.get_language() or SOURCE_LANGUAGE).split("-")[0]
        return bool(str(self)) and self.language != current

    def __html__(self):
        return marked(self, conditional_escape(str(self)))


def marked(value, html):
    """``html`` (already escaped) of ``value``, marked when it is in another language than the page's."""
    if not isinstance(value, Localized) or not value.is_foreign():
        return mark_safe(html)  # noqa: S308 - escaped by the caller
    from .labels import language_name

    direction = "rtl" if value.language in settings.LANGUAGES_BIDI else "ltr"
    if value.language == SOURCE_LANGUAGE:
        hint = gettext("(in German)")
    else:
        hint = gettext("(in %(language)s)") % {"language": language_name(value.language)}
    return format_html(
        '<span lang="{}" dir="{}">{}</span> <span class="text-hint">{}</span>',
        value.language,
        direction,
        mark_safe(html),  # noqa: S308 - escaped by the caller
        hint,
    )


def local_lines(value):
    """Like ``linebreaksbr`` for a Localized, keeping its language mark."""
    html = conditional_escape(str(value or "")).replace("\r\n", "\n").replace("\n", "<br>")
    return marked(value, html)


def local_paragraphs(value):
    return marked(value, linebreaks(str(value or ""), autoescape=True))


def pick_local(source_text, rows, field, language):
    """``field`` of the row in ``language`` when it is filled in, else the German ``source_text``.
    ``rows`` is an iterable of objects with ``language`` and ``field`` (the owner's text rows)."""
    language = (language or SOURCE_LANGUAGE).split("-")[0]
    if language != SOURCE_LANGUAGE:
        for row in rows:
            if row.language == language and (getattr(row, field, "") or "").strip():
                return Localized(getattr(row, field), language)
    return Localized(source_text or "", SOURCE_LANGUAGE)


def pick_from_dict(source_text, translations, language):
    """The same for a text whose translations are a dict {language: text} (inside a JSON value)."""
    language = (language or SOURCE_LANGUAGE).split("-")[0]
    text = (translations or {}).get(language) if language != SOURCE_LANGUAGE else None
    if text and str(text).strip():
        return Localized(text, language)
    return Localized(source_text or "", SOURCE_LANGUAGE)
