"""Taking a transition: the one command every status change goes through (desk, API, jobs, other rooms).

:func:`take` checks the capability, the source state and the guard, locks the case, runs the
effects' checks, moves the status, writes the timeline, runs the effects named in the workflow table
and recomputes the deadlines – all in one transaction, so a refusal anywhere changes nothing.
Messages leave after commit (messaging's delivery job).
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import effects, guards, workflow
from .clock import set_deadlines
from .errors import CaseError
from .models import Case, TimelineKind
from .permissions import require_capability
from .timeline import add_entry
from .workflow import Status


@dataclass
class Taken:
    """The result of :func:`take`: the case (re-read), the transition, the effects run and what they made."""

    case: Case
    transition: workflow.Transition
    effects: list = field(default_factory=list)
    products: dict = field(default_factory=dict)


def _lock(case):
    return Case.objects.select_for_update().get(pk=case.pk, authority_id=case.authority_id)


def _move(case, t, actor, note):
    old = case.status
    case.status = t.target
    fields = ["status", "updated_at"]
    if t.target == Status.DECIDED:
        case.decided_at = timezone.now()
        fields.append("decided_at")
    case.save(update_fields=fields)
    return add_entry(case, TimelineKind.TRANSITION, actor=actor, text=note, from_status=old, to_status=t.target)


def take(case, transition, actor, *, note="", **data):
    """Take the transition named ``transition`` on ``case`` as ``actor`` (None: the system).

    ``note`` goes on the timeline (and is the comment of an approval or return, the note of a request
    for documents, the reason of a transfer); ``data`` is what the effects need (``items`` and
    ``deadline`` of a request for documents, the fields of a decision draft, ``to_authority``).
    Raises PermissionDenied without the capability and CaseError when the state, the guard or an
    effect's check refuses. ``case`` is re-read under a row lock so two people cannot move it at once.
    """
    t = workflow.get(transition)
    if t is None:
        raise CaseError(_("Unknown action."))
    require_capability(actor, t.capability, case)
    with transaction.atomic():
        locked = _lock(case)
        if locked.status not in t.sources:
            raise CaseError(
                _("This is not possible while the case is “%(status)s”.") % {"status": locked.get_status_display()}
            )
        guards.check(locked, t, actor)
        ctx = effects.EffectContext(locked, t, actor, note=note or "", data=data)
        effects.check_all(ctx)
        entry = _move(locked, t, actor, ctx.note)
        effects.run_all(ctx)
        if ctx.entry_data:
            entry.data = {**entry.data, **ctx.entry_data}
            entry.save(update_fields=["data"])
        set_deadlines(locked)
    case.refresh_from_db()
    return Taken(case, t, ctx.ran, ctx.products)


# Guards that depend on the case alone (not on who acts): a button is offered only when they hold, so
# "Submit for approval" shows only when approval is needed and "Finalise" only when it is not.
CASE_GUARDS = frozenset({"needs_approval", "no_approval_needed"})


def _guard_holds(case, t, user):
    if t.guard not in CASE_GUARDS:
        return True
    try:
        guards.check(case, t, user)
    except CaseError:
        return False
    return True


def available_transitions(case, user):
    """Transitions the user could take now (capability, source state and the case's guards), for buttons
    and the API."""
    return [t for t in workflow.transitions_from(case.status) if user.can(t.capability) and _guard_holds(case, t, user)]
