"""Picking the text of a catalogue row in a language: newest public version, then English, then German."""

from django.conf import settings


def fallback_chain(language):
    chain = [language]
    for code in settings.TEXT_FALLBACK_LANGUAGES:
        if code not in chain:
            chain.append(code)
    return chain


def pick(texts, language):
    """From an iterable of text rows (any language/version/status) the one to show, or None."""
    best = {}
    for text in texts:
        if text.status != "public":
            continue
        current = best.get(text.language)
        if current is None or text.version > current.version:
            best[text.language] = text
    for code in fallback_chain(language):
        if code in best:
            return best[code]
    return None
