"""The template store: every automatic text a client receives, versioned per authority and language.

Which text goes out (``render``), explicitly:

1. the client's language: the authority's newest active version, else the shipped text
   (``default_texts/<language>.toml``);
2. otherwise German (again: the authority's version, else the shipped one), preceded by the
   ``translation_note`` in the client's language where one exists (else in German).

Messages with legal weight (``german_below`` in the catalogue) carry the German text below the
translation. Nothing is cached: a change takes effect with the next message.

Editing (``save_version``) never overwrites: every change is the next version, with who and when;
a text must keep its required placeholders and may use only the placeholders of its key.
"""

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from . import placeholders, template_texts
from .models import MessageTemplate

GERMAN_BELOW_HEADING = "Deutsch (maßgeblich):"
MAX_BODY = 5000


def base_language(language):
    return (language or "de").split("-")[0].lower()


def languages():
    return [code for code, _name in settings.LANGUAGES]


@dataclass(frozen=True)
class Version:
    key: str
    language: str
    subject: str
    body: str
    version: int = 0  # 0 = the shipped text
    changed_by: str = ""
    changed_at: object = None

    @property
    def shipped(self):
        return self.version == 0


def _row(row):
    return Version(row.key, row.language, row.subject, row.body, row.version, row.changed_by, row.changed_at)


def current(authority, key, language):
    """The text in force for ``key`` in ``language`` at ``authority`` (a :class:`Version`), or None."""
    template_texts.get(key)
    row = (
        MessageTemplate.objects.filter(authority=authority, key=key, language=language, is_active=True)
        .order_by("-version")
        .first()
    )
    if row is not None:
        return _row(row)
    found = template_texts.shipped(key, language)
    return Version(key, language, found[0], found[1]) if found else None


@dataclass
class Rendered:
    """A text filled for one client: ``subject``, ``body`` (plain text) and ``html`` (for letters)."""

    definition: template_texts.Definition
    version: Version
    requested: str
    values: dict = field(default_factory=dict)
    note: Version | None = None  # the translation note, when German stands in for the client's language
    german: Version | None = None  # the German text added below a translation with legal weight

    @property
    def key(self):
        return self.definition.key

    @property
    def language(self):
        return self.version.language

    @property
    def fallback(self):
        return self.note is not None

    @cached_property
    def subject(self):
        return placeholders.clean_header(placeholders.line(self.version.subject, self.values, self.language))

    @cached_property
    def body(self):
        parts = []
        if self.note is not None:
            parts.append(placeholders.text(self.note.body, {}, self.note.language))
        optional = self.definition.optional
        parts.append(placeholders.text(self.version.body, self.values, self.language, optional))
        if self.german is not None:
            german = placeholders.text(self.german.body, self.values, "de", optional)
            parts.append(f"---\n{GERMAN_BELOW_HEADING}\n{german}")
        return "\n\n".join(p for p in parts if p)

    @cached_property
    def html(self):
        """The text as HTML for a letter section (no German below: a letter has its own German section)."""
        parts = [placeholders.html(self.version.body, self.values, self.language, self.definition.optional)]
        if self.note is not None:
            parts.insert(0, placeholders.html(self.note.body, {}, self.note.language))
        return mark_safe("".join(parts))  # noqa: S308 (each part is escaped HTML from placeholders.html)


def render(authority, key, language, values=None):
    """Fill the text of ``key`` for a client who reads ``language`` (see the module docstring)."""
    definition = template_texts.get(key)
    requested = base_language(language)
    version = current(authority, key, requested)
    note = german = None
    if version is None:
        version = current(authority, key, "de")
        if version is None:
            raise KeyError(f"no text {key!r} in German")
        note = current(authority, "translation_note", requested) or current(authority, "translation_note", "de")
    elif definition.german_below and requested != "de":
        german = current(authority, key, "de")
    return Rendered(definition, version, requested, dict(values or {}), note=note, german=german)


def fingerprint(authority, keys, language):
    """A short text that changes whenever a text :func:`render` would pick for ``keys`` in ``language`` changes:
    the authority's versions in force (client's language, German and the translation note) and the shipped
    texts. Documents kept in a cache put it into their cache key, so an edit takes effect on the next download.
    One query."""
    requested = base_language(language)
    keys = sorted({*keys, "translation_note"})
    found = (
        MessageTemplate.objects.filter(
            authority=authority, key__in=keys, language__in={requested, "de"}, is_active=True
        )
        .order_by()
        .values("key", "language")
        .annotate(newest=Max("version"))
        .values_list("key", "language", "newest")
    )
    parts = [repr(sorted(found))]
    for key in keys:
        parts.extend(repr(template_texts.shipped(key, lang)) for lang in sorted({requested, "de"}))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def sample(authority, key, language, *, subject=None, body=None):
    """A preview with sample values; ``subject``/``body`` preview an unsaved text."""
    version = current(authority, key, language) or Version(key, language, "", "")
    if subject is not None or body is not None:
        version = Version(key, language, subject or "", body or "", version.version)
    definition = template_texts.get(key)
    return Rendered(definition, version, language, dict(template_texts.SAMPLE_CONTEXT))


# --- editing -------------------------------------------------------------------------------------


class TemplateError(ValueError):
    def __init__(self, errors):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def problems_of(key, subject, body):
    """What is wrong with a text for ``key``: unknown or missing placeholders, empty text (translated)."""
    definition = template_texts.get(key)
    errors = []
    if not (body or "").strip():
        errors.append(_("The text must not be empty."))
    if len(body or "") > MAX_BODY:
        errors.append(_("The text is too long (at most 5,000 characters)."))
    if definition.subject and not (subject or "").strip():
        errors.append(_("The subject must not be empty."))
    used = set(placeholders.names(subject)) | set(placeholders.names(body))
    unknown = sorted(used - set(definition.placeholders))
    if unknown:
        errors.append(_("Unknown placeholders: %(names)s.") % {"names": ", ".join("{" + n + "}" for n in unknown)})
    missing = [p for p in definition.required if p not in used]
    if missing:
        errors.append(_("Missing placeholders: %(names)s.") % {"names": ", ".join("{" + n + "}" for n in missing)})
    return errors


def save_version(authority, key, language, *, subject, body, user=None):
    """Store a changed text as the next version (the earlier ones stay). Raises TemplateError."""
    if language not in languages():
        raise TemplateError([_("Unknown language.")])
    subject = " ".join((subject or "").split())[:200]
    body = (body or "").replace("\r\n", "\n").strip()
    errors = problems_of(key, subject, body)
    if errors:
        raise TemplateError(errors)
    with transaction.atomic():
        # Saves of one authority's texts take turns (the authority's row is the lock), so two
        # administrators saving at the same moment get consecutive versions.
        type(authority).objects.select_for_update().filter(pk=authority.pk).first()
        latest = MessageTemplate.objects.filter(authority=authority, key=key, language=language).aggregate(
            v=Max("version")
        )["v"]
        return MessageTemplate.objects.create(
            authority=authority,
            key=key,
            language=language,
            version=(latest or 0) + 1,
            subject=subject,
            body=body,
            changed_by=(user.get_username() if user is not None else "")[:150],
        )


def history(authority, key, language):
    return MessageTemplate.objects.filter(authority=authority, key=key, language=language).order_by("-version")


def problems(authority):
    """Every text in force must exist in every language with valid placeholders: a list of "key/lang: ..."."""
    found = []
    for definition in template_texts.DEFINITIONS:
        for language in languages():
            version = current(authority, definition.key, language)
            if version is None:
                found.append(f"{definition.key}/{language}: missing")
                continue
            for error in problems_of(definition.key, version.subject, version.body):
                found.append(f"{definition.key}/{language}: {error}")
    return found


def overview(authority):
    """Per key: the version in force in each language, and whether a translation is older than the German."""
    rows = {}
    for row in MessageTemplate.objects.filter(authority=authority, is_active=True).order_by(
        "key", "language", "version"
    ):
        rows[(row.key, row.language)] = row  # the newest active wins
    table = []
    for definition in template_texts.DEFINITIONS:
        german = rows.get((definition.key, "de"))
        cells = []
        for language in languages():
            row = rows.get((definition.key, language))
            stale = bool(
                german is not None and language != "de" and (row is None or row.changed_at < german.changed_at)
            )
            cells.append({"language": language, "version": row.version if row else 0, "stale": stale})
        table.append({"definition": definition, "cells": cells})
    return table
