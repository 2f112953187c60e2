"""Who sees which cases, as SQL filters (never per object in Python).

- ``cases.view_all`` (head of office): every case of the authority;
- everyone else with ``cases.work`` or ``cases.approve``: cases of their teams and cases assigned to them;
- nobody sees a case of another authority (404, never 403);
- four eyes: everyone with ``cases.approve`` (a team lead of *any* team, the head of office) also sees the
  authority's cases awaiting approval (``reviewable_cases``) – read-only, to review the decision: the
  approvers are everyone with the right who is not the drafter.
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


def reviewable_cases(user, authority):
    """Cases ``user`` may open to review a decision: the visible ones and, with ``cases.approve``, every case
    of the authority awaiting approval. One SQL filter."""
    from .workflow import Status

    if user.authority_id != getattr(authority, "pk", authority) or not may_see_cases(user):
        return Case.objects.none()
    if user.can("cases.view_all") or not user.can("cases.approve"):
        return visible_cases(user, authority)
    team_ids = user.memberships.filter(authority=authority).values("team_id")
    return Case.objects.filter(authority=authority).filter(
        Q(team_id__in=team_ids) | Q(assignee_id=user.pk) | Q(status=Status.AWAITING_APPROVAL)
    )


def get_case_to_review(user, authority, pk):
    """The case if ``user`` may see it or review its decision; ``case.review_only`` is True when the user
    sees it only as an approver (no casework on it). 403 without any case capability, 404 otherwise."""
    if not may_see_cases(user):
        raise PermissionDenied
    case = _one_case(reviewable_cases(user, authority), pk)
    case.review_only = (
        user.can("cases.approve")
        and not user.can("cases.view_all")
        and not visible_cases(user, authority).filter(pk=case.pk).exists()
    )
    return case


def persons_of_my_work(user, authority):
    """The team scope of the visibility policy (``clients/visibility.py``), registered in ``CasesConfig.ready``:
    persons with a case of one of the user's teams or assigned to the user, and persons without any case yet
    (a new client belongs to no team until a case is opened)."""
    from .workflow import Status

    team_ids = user.memberships.filter(authority=authority).values("team_id")
    all_cases = Case.objects.filter(authority=authority)
    mine = Q(team_id__in=team_ids) | Q(assignee_id=user.pk)
    if user.can("cases.approve"):  # an approver reads the file of a decision awaiting approval (four eyes)
        mine |= Q(status=Status.AWAITING_APPROVAL)
    own_cases = all_cases.filter(mine)
    return Q(pk__in=own_cases.values("person_id")) | ~Q(pk__in=all_cases.values("person_id"))


def persons_with_my_cases(user, authority):
    """The cases scope of the visibility policy, registered in ``CasesConfig.ready``: persons with a case of
    one of the user's teams or assigned to the user – the persons the user's team handles (drop-offs)."""
    team_ids = user.memberships.filter(authority=authority).values("team_id")
    own_cases = Case.objects.filter(authority=authority).filter(Q(team_id__in=team_ids) | Q(assignee_id=user.pk))
    return Q(pk__in=own_cases.values("person_id"))


def get_case_for(user, authority, pk):
    """The case if ``user`` may see it; PermissionDenied without any case capability; 404 otherwise."""
    if not may_see_cases(user):
        raise PermissionDenied
    return _one_case(visible_cases(user, authority), pk)


def _one_case(cases, pk):
    """Case ``pk`` among ``cases`` with what its pages show, or 404."""
    case = cases.select_related("person", "anliegen", "team", "assignee", "authority").filter(pk=pk).first()
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
