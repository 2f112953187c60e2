"""Filling ``{name}`` placeholders into a text, as plain text (messages) or HTML (letters).

The rules an administrator can rely on:

* ``{name}`` is replaced by its value; an unknown or missing value becomes empty;
* some placeholders of a text are *optional* (the catalogue names them, e.g. ``{reason}``): a line
  whose placeholders are all optional and empty is left out, and so is a paragraph (lines between
  blank lines) – so "Reason: {reason}" disappears when there is no reason, and "Please bring:" with
  an empty ``{checklist}`` below it too; a line with an empty required value stays;
* a list value standing alone on its line becomes one line per item ("- item"); inside a sentence
  its items are joined with commas;
* a line starting with "- " is a list item;
* a value may be a function of the language (e.g. an Anliegen's title): it gets the language used.

In HTML every value is isolated with ``<bdi dir=...>`` (its direction from its first letter, so dates,
numbers and Latin names inside Arabic or Persian text keep their order) and everything is escaped.
"""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe

from willkommen.core.text import one_line

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def clean_header(value, limit=200):
    """One line, no control or bidi control characters: neutralises header injection in subjects."""
    return one_line(value, limit)


def clean_text(value):
    """Message text without NUL and other control characters (line breaks and tabs stay)."""
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", str(value or ""))


def names(text):
    return PLACEHOLDER.findall(text or "")


def resolve(value, language):
    """A value as text (or a list of texts for a list)."""
    if callable(value):
        value = value(language)
    if value is None:
        return ""
    if isinstance(value, dt.date):
        # dates as the reader reads them in the text's language ("12. April 2026", "12 April 2026"), never ISO
        from django.utils import translation

        from willkommen.core import dates

        with translation.override(language or "de"):
            return dates.local_datetime(value) if isinstance(value, dt.datetime) else dates.local_date(value)
    if isinstance(value, (list, tuple)):
        # one line per item: a value with a line break cannot add lines to the message
        return [one_line(item) for item in value if str(item).strip()]
    return one_line(value)


@dataclass
class Line:
    bullet: bool
    segments: list  # [(is_value, text)]


def _paragraphs(template):
    paragraph = []
    for line in (template or "").replace("\r\n", "\n").split("\n"):
        if line.strip():
            paragraph.append(line)
        elif paragraph:
            yield paragraph
            paragraph = []
    if paragraph:
        yield paragraph


def _segments(text, resolved):
    segments, position = [], 0
    for match in PLACEHOLDER.finditer(text):
        if match.start() > position:
            segments.append((False, text[position : match.start()]))
        value = resolved.get(match.group(1), "")
        segments.append((True, ", ".join(value) if isinstance(value, list) else value))
        position = match.end()
    if position < len(text):
        segments.append((False, text[position:]))
    return segments


def _left_out(used, resolved, optional):
    return bool(used) and all(n in optional and not resolved[n] for n in used)


def _lines(paragraph, resolved, optional):
    for line in paragraph:
        used = names(line)
        if _left_out(used, resolved, optional):
            continue
        stripped = line.strip()
        value = resolved[used[0]] if used else None
        if len(used) == 1 and stripped == "{" + used[0] + "}" and isinstance(value, list):
            yield from (Line(True, [(True, item)]) for item in value)
            continue
        bullet = stripped.startswith("- ")
        segments = _segments(stripped[2:] if bullet else line.rstrip(), resolved)
        if any(part.strip() for _, part in segments):  # a line that came out blank is not shown
            yield Line(bullet, segments)


def paragraphs(template, values, language, optional=()):
    """The filled text as paragraphs of :class:`Line`, lines and paragraphs of empty optional values left out."""
    out = []
    for paragraph in _paragraphs(template):
        used = [n for line in paragraph for n in names(line)]
        resolved = {n: resolve((values or {}).get(n), language) for n in used}
        if _left_out(used, resolved, optional):
            continue
        lines = list(_lines(paragraph, resolved, optional))
        if lines:
            out.append(lines)
    return out


def text(template, values, language, optional=()):
    """Plain text: paragraphs separated by one blank line, list items as "- item"."""
    return "\n\n".join(
        "\n".join(
            (("- " if line.bullet else "") + "".join(part for _, part in line.segments)).rstrip() for line in paragraph
        )
        for paragraph in paragraphs(template, values, language, optional)
    )


def line(template, values, language):
    """One line (a subject): line breaks become spaces."""
    return " ".join(text(template, values, language).split())


def direction(value):
    """ "rtl" when the first letter with a direction is right-to-left (Arabic, Persian, ...), else "ltr"
    (dates, numbers, references and Latin names): what dir="auto" would do, which WeasyPrint lacks."""
    for char in value:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def _html_segments(segments):
    out = []
    for is_value, part in segments:
        if not part:
            continue
        if is_value:
            out.append(f'<bdi dir="{direction(part)}">' + escape(part).replace("\n", "<br>") + "</bdi>")
        else:
            out.append(escape(part))
    return "".join(out)


def html(template, values, language, optional=()):
    """HTML: <p> per paragraph (lines joined by <br>), list items in <ul>; values in <bdi>, all escaped."""
    out = []
    for paragraph in paragraphs(template, values, language, optional):
        group, bullets = [], None
        for item in paragraph:
            if bullets is not None and item.bullet != bullets:
                out.append(_wrap(group, bullets))
                group = []
            bullets = item.bullet
            group.append(_html_segments(item.segments))
        out.append(_wrap(group, bullets))
    return mark_safe("".join(out))  # noqa: S308 (every part is escaped above)


def _wrap(group, bullets):
    if bullets:
        return "<ul>" + "".join(f"<li>{item}</li>" for item in group) + "</ul>"
    return "<p>" + "<br>".join(group) + "</p>"
