"""Words for codes: what staff see instead of a stored value (``walk_in``, ``ar``), in their language."""

from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _


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


# ICAO codes for people without a state's nationality (passports and residence documents use them)
_NO_STATE = {
    "XXA": _("stateless"),
    "XXB": _("refugee (Geneva Convention)"),
    "XXC": _("refugee (other)"),
    "XXX": _("nationality unknown"),
}


def country_name(code):
    """The country of an ISO 3166 code (alpha-3 as stored for nationalities, or alpha-2) in the reader's
    language ("Syrien", "سوريا"); the ICAO codes for stateless people and refugees in words; unknown codes as
    they are. The names come from django-countries' translations."""
    from django_countries import countries

    code = str(code or "").strip().upper()
    if not code:
        return ""
    if code in _NO_STATE:
        return str(_NO_STATE[code])
    alpha2 = countries.alpha2(code)
    return str(countries.name(alpha2)) if alpha2 else code


def country_names(codes):
    """``["SYR", "TUR"]`` -> "Syrien, Türkei"."""
    return ", ".join(country_name(code) for code in codes or [] if code)
