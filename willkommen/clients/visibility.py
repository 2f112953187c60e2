"""Who may see what of a person: one policy for every room, page and API, always an SQL filter.

Everything the office holds about a person is one of the resources below. For each, ``RULES`` says
which capabilities may read it (``accounts/roles.py`` gives them to roles) and over which persons:

- ``AUTHORITY``: every person of the user's authority (front-desk work is organised by place and time,
  not by team: the ServicePoint calls anyone, the appointment desk checks anyone in);
- ``TEAM``: the persons of the user's work, as the rooms that know teams say (the cases room registers:
  persons with a case of one of the user's teams or assigned to the user, and persons without any case
  yet); with ``cases.view_all`` (head of office) every person of the authority;
- ``CASES``: narrower, only the persons with a case of one of the user's teams or assigned to the user
  (registered by the cases room too); with ``cases.view_all`` every person of the authority.

A rule may name further grants (``also``): other capabilities reading the same resource over another
scope (drop-offs: the ServicePoint over the authority, casework over ``CASES``). A user holding several
grants sees the union, still one SQL filter.

Rows that belong to no person yet (an unassigned e-mail in the inbox, a booking made on the portal
before the person is known, a walk-in ticket) are readable with the rule's ``without_person``
capabilities. Staff of another authority see nothing: objects of another authority answer 404.

Use it so:

- ``visible_persons(user, authority, Resource.FILE)`` – the persons whose file ``user`` may read;
- ``visible(Message.objects.all(), user, authority, Resource.MESSAGES)`` – any model's rows, narrowed in
  SQL through its foreign key to the person (``person_field``, e.g. ``"message__person"``).

The rules of the team and cases scopes are hooks (this room knows no cases): a higher room registers a
function ``(user, authority) -> Q over Person`` with :func:`register_team_scope` or
:func:`register_case_scope` in its ``AppConfig.ready()``. Without any registration the team scope is the
whole authority and the cases scope is nobody.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Q

from .models import Person
from .selectors import persons


class Resource(StrEnum):
    PERSON = "person"  # the person record: names, contact, residence history
    FILE = "file"  # the e-file's documents
    LETTERS = "letters"  # letters and certificates produced for the person
    MESSAGES = "messages"  # the conversation with the person
    ATTACHMENTS = "attachments"  # files attached to messages
    BOOKINGS = "bookings"  # appointment bookings
    TICKETS = "tickets"  # ServicePoint tickets (they carry no person)
    DROP_OFFS = "drop_offs"  # documents handed in at the ServicePoint, and their receipts


AUTHORITY = "authority"
TEAM = "team"
CASES = "cases"

CASEWORK = ("cases.work", "cases.approve", "cases.view_all")
SEE_ALL = "cases.view_all"


@dataclass(frozen=True)
class Grant:
    read: tuple[str, ...]  # capabilities that may read a person's rows
    scope: str  # AUTHORITY, TEAM or CASES


@dataclass(frozen=True)
class Rule:
    read: tuple[str, ...]  # capabilities that may read a person's rows
    scope: str  # AUTHORITY, TEAM or CASES
    without_person: tuple[str, ...] = ()  # capabilities that may read rows of no person yet
    also: tuple[Grant, ...] = ()  # further capabilities reading over another scope

    @property
    def grants(self):
        return (Grant(self.read, self.scope), *self.also)


RULES = {
    Resource.PERSON: Rule(read=("clients.view", "clients.merge"), scope=AUTHORITY),
    Resource.FILE: Rule(read=CASEWORK, scope=TEAM),
    Resource.LETTERS: Rule(read=CASEWORK, scope=TEAM),
    Resource.MESSAGES: Rule(read=("messaging.send",), scope=TEAM, without_person=("clients.view",)),
    Resource.ATTACHMENTS: Rule(read=("messaging.send",), scope=TEAM, without_person=("clients.view",)),
    Resource.BOOKINGS: Rule(read=("appointments.manage",), scope=AUTHORITY, without_person=("appointments.manage",)),
    Resource.TICKETS: Rule(read=("servicepoint.work",), scope=AUTHORITY, without_person=("servicepoint.work",)),
    # the ServicePoint takes them from anyone; casework reads those of the persons its teams handle
    Resource.DROP_OFFS: Rule(read=("efile.dropoff",), scope=AUTHORITY, also=(Grant(read=CASEWORK, scope=CASES),)),
}

_team_scopes = []
_case_scopes = []


def register_team_scope(scope):
    """Hook: ``scope(user, authority)`` returns a ``Q`` over ``Person`` – the persons of the user's work.
    Called by higher rooms in ``AppConfig.ready()``; registering the same function twice is harmless."""
    if scope not in _team_scopes:
        _team_scopes.append(scope)


def register_case_scope(scope):
    """Hook: ``scope(user, authority)`` returns a ``Q`` over ``Person`` – the persons with a case of the
    user's teams or assigned to the user (no persons without a case). Registered by the cases room."""
    if scope not in _case_scopes:
        _case_scopes.append(scope)


def _holds(user, capabilities):
    return any(user.can(capability) for capability in capabilities)


def is_staff_of(user, authority):
    return (
        authority is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "authority_id", None) == authority.pk
    )


def may_read(user, resource):
    """Whether ``user`` may read ``resource`` of any person at all (the capability part of the rule)."""
    return any(_holds(user, grant.read) for grant in RULES[resource].grants)


def _combined(scopes, user, authority):
    combined = scopes[0](user, authority)
    for scope in scopes[1:]:
        combined |= scope(user, authority)
    return combined


def _grant_q(user, authority, scope):
    """A Q over Person for one scope (``Q()`` = every person of the authority)."""
    if scope == AUTHORITY or user.can(SEE_ALL):
        return Q()
    if scope == CASES:
        return _combined(_case_scopes, user, authority) if _case_scopes else Q(pk__in=[])
    return _combined(_team_scopes, user, authority) if _team_scopes else Q()


def _scope_q(user, authority, rule):
    """A Q over Person for the scopes of the rule's grants the user holds (``Q()`` = the whole authority)."""
    held = [grant.scope for grant in rule.grants if _holds(user, grant.read)]
    combined = None
    for scope in dict.fromkeys(held):
        q = _grant_q(user, authority, scope)
        if not q:
            return Q()
        combined = q if combined is None else combined | q
    return combined if combined is not None else Q(pk__in=[])


def visible_persons(user, authority, resource):
    """The persons whose ``resource`` ``user`` may read at ``authority`` (a queryset, filtered in SQL)."""
    if not is_staff_of(user, authority) or not may_read(user, resource):
        return persons(authority).none()
    return persons(authority).filter(_scope_q(user, authority, RULES[resource]))


def visible(queryset, user, authority, resource, *, person_field="person"):
    """``queryset`` narrowed to the rows of ``resource`` that ``user`` may read at ``authority``.

    ``person_field`` is the lookup from the model to its person (``None`` for rows that never have one,
    such as tickets). One SQL filter, no per-object check."""
    queryset = queryset.filter(authority=authority)
    if not is_staff_of(user, authority):
        return queryset.none()
    rule = RULES[resource]
    with_person = person_field is not None and may_read(user, resource)
    without_person = _holds(user, rule.without_person)
    if person_field is None:
        return queryset if without_person else queryset.none()
    scope = _scope_q(user, authority, rule) if with_person else None
    if with_person and not scope and without_person:
        return queryset  # every row of the authority
    allowed = []
    if with_person:
        in_scope = Person.objects.filter(scope, authority=authority) if scope else None
        allowed.append(
            Q(**{f"{person_field}__in": in_scope}) if in_scope is not None else Q(**{f"{person_field}__isnull": False})
        )
    if without_person:
        allowed.append(Q(**{f"{person_field}__isnull": True}))
    if not allowed:
        return queryset.none()
    return queryset.filter(allowed[0] | allowed[1] if len(allowed) == 2 else allowed[0])


def visible_person(user, authority, resource, pk):
    """One person whose ``resource`` ``user`` may read, or None (the caller answers 404)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return visible_persons(user, authority, resource).filter(pk=pk).first()
