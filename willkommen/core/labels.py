"""Words for codes: what staff see instead of a stored value (``walk_in``, ``ar``), in their language."""

from django.utils.translation import get_language_info


def language_name(code):
    """The language's name in the reader's language ("Arabisch"); unknown or empty codes as they are."""
    if not code:
        return ""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def choice_label(choices, value):
    """The label of ``value`` in a ``TextChoices`` class (or a list of pairs); unknown values as they are."""
    if value in (None, ""):
        return ""
    pairs = choices.choices if hasattr(choices, "choices") else choices
    return str(dict(pairs).get(value, value))
