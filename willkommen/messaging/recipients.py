"""Recipient groups of group notices: who gets a notice sent "to all residents of an accommodation".

The messaging room knows one group itself (``all``: every person of the authority). The others belong to
higher rooms, which register them in their ``AppConfig.ready()``: the cases room ``in_progress`` (persons
with an open case) and ``team`` (persons with a case of the chosen team), the accommodation room
``accommodation`` (its current residents). A group nobody registered has no members.
"""

from willkommen.clients.selectors import persons

_groups = {}


def register(group, members, *, choices=None):
    """Hook: ``members(authority, *, team=None, accommodation=None)`` returns the group's persons (a Person
    queryset); ``choices(authority)`` the objects the desk form offers for the group (e.g. accommodations)."""
    _groups[group] = {"members": members, "choices": choices}


def _all(authority, *, team=None, accommodation=None):
    return persons(authority)


register("all", _all)


def members(authority, group, *, team=None, accommodation=None):
    """The distinct persons of ``group`` at ``authority``."""
    entry = _groups.get(group)
    if entry is None:
        return persons(authority).none()
    return entry["members"](authority, team=team, accommodation=accommodation).distinct()


def choices(authority, group, empty):
    """What the desk form offers for ``group`` (``empty``, a queryset of nothing, when nobody registered)."""
    entry = _groups.get(group)
    if entry is None or entry["choices"] is None:
        return empty
    return entry["choices"](authority)
