"""What a text typed by a person may contain, for every form and API serializer of the project.

One-line fields (names, subjects, titles, references, addresses...) refuse every control character
(line breaks and tabs included: a line break in a name became extra lines in the body of an e-mail the
authority sent), the line and paragraph separators, and the bidi embedding, override and isolate
controls (U+202E turned desk titles around). Multi-line fields (a textarea; a message, a note) keep
line breaks and tabs and refuse the other control characters and the two overrides (U+202D, U+202E).
The bidi *marks* (U+200E, U+200F, U+061C) and the zero-width joiners that Persian and Arabic need
stay allowed everywhere.

``TextRulesFormMixin`` and ``TextRulesSerializerMixin`` apply the rules to every character field of a
form or serializer; the rooms get them through ``willkommen.core.forms`` and
``willkommen.core.serializers`` (a test checks that every form and serializer of the project has them).
A refused value gives the field a clear error in the user's language (a 400) and nothing changes.

For output, ``one_line`` makes any stored value safe to put into one line of an e-mail (or a header)
and ``isolate`` wraps it in FSI…PDI for plain text that has no ``<bdi>``.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
BIDI_OVERRIDES = "\u202d\u202e"
LINE_SEPARATORS = "\u2028\u2029"
DEPRECATED_FORMAT = "\u206a\u206b\u206c\u206d\u206e\u206f"
MULTI_LINE_ALLOWED = "\t\n\r"

ONE_LINE_MESSAGE = _(
    "Please remove the line break or the invisible control character (for example one that turns the "
    "writing direction around): this field takes one line of text."
)
MULTI_LINE_MESSAGE = _(
    "Please remove the invisible control character (for example one that turns the writing direction "
    "around) from this text."
)


def _is_control(char):
    return unicodedata.category(char) == "Cc"


def one_line_problem(value):
    """The first character a one-line field refuses, or None."""
    for char in str(value):
        if _is_control(char) or char in LINE_SEPARATORS or char in BIDI_CONTROLS or char in DEPRECATED_FORMAT:
            return char
    return None


def multi_line_problem(value):
    """The first character a multi-line field refuses, or None."""
    for char in str(value):
        if (_is_control(char) and char not in MULTI_LINE_ALLOWED) or char in BIDI_OVERRIDES:
            return char
        if char in DEPRECATED_FORMAT:
            return char
    return None


def validate_one_line(value):
    if isinstance(value, str) and one_line_problem(value) is not None:
        raise ValidationError(ONE_LINE_MESSAGE, code="control_character")


def validate_multi_line(value):
    if isinstance(value, str) and multi_line_problem(value) is not None:
        raise ValidationError(MULTI_LINE_MESSAGE, code="control_character")


_UNSAFE_IN_LINE = re.compile(
    "[\x00-\x1f\x7f-\x9f" + LINE_SEPARATORS + BIDI_CONTROLS + DEPRECATED_FORMAT + "]+",
)


def one_line(value, limit=None):
    """``value`` as one line of plain text: control, separator and bidi control characters become one
    space, runs of spaces one space. For user text put into mail bodies, subjects and headers."""
    text = _UNSAFE_IN_LINE.sub(" ", str(value if value is not None else ""))
    text = re.sub(r" {2,}", " ", text).strip()
    return text[:limit] if limit else text


def isolate(value):
    """``value`` as one line between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE: in plain text
    (a page title, a PDF line) the text keeps its own direction and cannot turn around what follows."""
    text = one_line(value)
    return f"\u2068{text}\u2069" if text else ""
