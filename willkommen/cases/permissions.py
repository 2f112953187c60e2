"""Who sees which cases, as SQL filters (never per object in Python).

- ``cases.view_all`` (head of office): every case of the authority;
- everyone else with ``cases.work`` or ``cases.approve``: cases of their teams and cases assigned to them;
- nobody sees a case of another authority (404, never 403).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from .models import Case

CASE_CAPABILITIES = ("cases.work", "cases.approve", "cases.view_all")


def may_see_cases(user):
    return any(user.can(c) for c in CASE_CAPABILITIES)


def visible_cases(user, authority):
    """Cases ``user`` may see at ``authority``: one SQL filter, no per-object check."""
    if user.authority_id != getattr(authority, "pk", authority) or not may_see_cases(user):
        return Case.objects.none()
    qs = Case.objects.filter(authority=authority)
    if user.can("cases.view_all"):
        return qs
    team_ids = user.memberships.filter(authority=authority).values("team_id")
    return qs.filter(Q(team_id__in=team_ids) | Q(assignee_id=user.pk))


def persons_of_my_work(user, authority):
    """The team scope of the visibility policy (``clients/visibility.py``), registered in ``CasesConfig.ready``:
    persons with a case of one of the user's teams or assigned to the user, and persons without any case yet
    (a new client belongs to no team until a case is opened)."""
    team_ids = user.memberships.filter(authority=authority).values("team_id")
    all_cases = Case.objects.filter(authority=authority)
    own_cases = all_cases.filter(Q(team_id__in=team_ids) | Q(assignee_id=user.pk))
    return Q(pk__in=own_cases.values("person_id")) | ~Q(pk__in=all_cases.values("person_id"))


def get_case_for(user, authority, pk):
    """The case if ``user`` may see it; PermissionDenied without any case capability; 404 otherwise."""
    if not may_see_cases(user):
        raise PermissionDenied
    case = (
        visible_cases(user, authority)
        .select_related("person", "anliegen", "team", "assignee", "authority")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404
    return case


def require_capability(actor, capability, case):
    """For commands: ``actor`` (None = the system) must hold ``capability`` at the case's authority."""
    if actor is None:
        return
    if actor.authority_id != case.authority_id or not actor.can(capability):
        raise PermissionDenied


def require(user, capability):
    if not user.can(capability):
        raise PermissionDenied
