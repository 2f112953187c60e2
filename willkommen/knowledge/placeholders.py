"""Placeholders in text blocks: a fixed set, filled by plain substitution (no template language runs on
text people type). ``{{ name }}`` with a known name is replaced; anything else stays as typed, and saving
a block with an unknown placeholder is refused."""

import re

from django.utils.translation import gettext_lazy as _

PATTERN = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
ANY = re.compile(r"\{\{(.*?)\}\}", re.S)

PLACEHOLDERS = {
    "name": _("the client's full name"),
    "family_name": _("the client's family name"),
    "given_names": _("the client's given names"),
    "date_of_birth": _("the client's date of birth"),
    "case_number": _("the case number"),
    "legal_basis": _("the legal basis"),
    "valid_from": _("the validity's start"),
    "valid_to": _("the validity's end"),
    "today": _("today's date"),
}


def unknown(text):
    return sorted({name.strip() for name in ANY.findall(text or "") if name.strip() not in PLACEHOLDERS})


def _date(value):
    return value.strftime("%d.%m.%Y") if value else ""


def values_for(case, *, legal_basis, valid_from=None, valid_to=None, today=None):
    person = case.person
    return {
        "name": f"{person.given_names} {person.family_name}".strip(),
        "family_name": person.family_name,
        "given_names": person.given_names,
        "date_of_birth": _date(person.date_of_birth),
        "case_number": case.number,
        "legal_basis": legal_basis or "",
        "valid_from": _date(valid_from),
        "valid_to": _date(valid_to),
        "today": _date(today),
    }


def fill(text, values):
    """``text`` with every known placeholder replaced by ``values[name]`` (as plain text)."""

    def replace(match):
        name = match.group(1)
        return str(values.get(name, "")) if name in PLACEHOLDERS else match.group(0)

    return PATTERN.sub(replace, text or "")
