"""Commands for the tenancy room: routing a case to a team."""

import unicodedata

from .models import RoutingRule


def surname_initial(surname):
    """The first letter of a surname folded to A-Z (Ö -> O, Ç -> C); '' if none."""
    for char in unicodedata.normalize("NFKD", surname or ""):
        if char.isascii() and char.isalpha():
            return char.upper()
    return ""


def rule_matches(rule, *, anliegen_id=None, nationalities=(), surname="", special_task=""):
    if rule.anliegen_id and rule.anliegen_id != anliegen_id:
        return False
    if rule.nationalities and not set(rule.nationalities) & set(nationalities or ()):
        return False
    if rule.special_task and rule.special_task != special_task:
        return False
    if rule.surname_from or rule.surname_to:
        initial = surname_initial(surname)
        if not initial:
            return False
        low = (rule.surname_from or "A").upper()
        high = (rule.surname_to or "Z").upper()
        if not low <= initial <= high:
            return False
    return True


def route_to_team(authority, *, anliegen=None, nationalities=(), surname="", special_task=""):
    """The team responsible by the authority's routing rules (first matching rule by priority), or None."""
    anliegen_id = getattr(anliegen, "pk", anliegen)
    rules = RoutingRule.objects.filter(authority=authority).select_related("team").order_by("priority", "id")
    for rule in rules:
        if rule_matches(
            rule, anliegen_id=anliegen_id, nationalities=nationalities, surname=surname, special_task=special_task
        ):
            return rule.team
    return None
