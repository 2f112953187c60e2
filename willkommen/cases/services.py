"""Commands on cases. Other rooms use the cases room through this module (and ``selectors.py``).

By topic:

* ``opening.py``: :func:`open_case` (numbers, routing, assignment, deadlines), :func:`check_access_code`;
* ``transitions.py``: :func:`take` – every status change, with the effects the workflow table names
  (``workflow.py``, ``effects.py``, ``guards.py``);
* ``decisions.py``: validity, approval reasons, drafts and the decision's states;
* ``clock.py``: the deadlines on the case and the requests for documents that stop the clock (other rooms add
  pauses through :func:`register_pauses`, e.g. the partners room's requests to other authorities);
* ``communication.py`` / ``transparency.py``: notices, letters and the automatic status messages;
* ``timeline.py``, ``assignment.py``, ``transfer.py``.

The named commands below are shortcuts for :func:`take` with the data a transition needs.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from . import decisions
from .assignment import assign, bulk_reassign
from .clock import holidays_for, pauses_of, register_pauses, set_deadlines, today
from .decisions import (
    add_months,
    approval_needed,
    approval_reasons,
    changes,
    current_decision,
    live_reasons,
    proposed_validity,
    reasons_in_words,
    returned_draft,
    settings_value,
)
from .errors import CaseError
from .guards import check as check_guard
from .opening import (
    caseworker_by_workload,
    check_access_code,
    check_no_access_code,
    next_case_number,
    open_case,
    route,
)
from .permissions import require_capability
from .timeline import add_entry, add_note, record_document
from .transitions import Taken, available_transitions, take
from .workflow import Status

__all__ = [
    "CaseError",
    "Taken",
    "add_entry",
    "add_months",
    "add_note",
    "approval_needed",
    "approval_reasons",
    "changes",
    "live_reasons",
    "reasons_in_words",
    "returned_draft",
    "set_flags",
    "approve",
    "assign",
    "available_transitions",
    "bulk_reassign",
    "caseworker_by_workload",
    "check_access_code",
    "check_no_access_code",
    "check_guard",
    "current_decision",
    "documents_received",
    "draft_decision",
    "finalise",
    "holidays_for",
    "next_case_number",
    "open_case",
    "pauses_of",
    "proposed_validity",
    "record_document",
    "register_pauses",
    "request_documents",
    "return_draft",
    "route",
    "set_deadlines",
    "settings_value",
    "submit_for_approval",
    "take",
    "today",
    "transfer_case",
    "transition",
]


def transition(case, name, actor, *, note="", **data):
    """:func:`take`, returning the case (re-read)."""
    return take(case, name, actor, note=note, **data).case


def request_documents(case, actor, *, items, note="", deadline=None):
    """Ask the client for missing or insufficient documents: the case waits, the clock stops, the
    client gets the request in their language (letter and notice). Returns the DocumentRequest."""
    return take(case, "request_documents", actor, note=note, items=items, deadline=deadline).products[
        "document_request"
    ]


def documents_received(case, actor=None, note=""):
    """The client delivered: the request is fulfilled, the clock restarts, the case is back in review."""
    return transition(case, "documents_received", actor, note=note)


def draft_decision(case, actor, **fields):
    """Record a decision draft (fields: ``decisions.DRAFT_FIELDS``). In review this takes the transition
    "draft_decision"; a case already in "decision drafted" gets a new draft replacing the open one."""
    require_capability(actor, "cases.work", case)
    if case.status == Status.IN_REVIEW:
        return take(case, "draft_decision", actor, **fields).products["decision"]
    with transaction.atomic():
        locked = type(case).objects.select_for_update().get(pk=case.pk, authority_id=case.authority_id)
        if locked.status != Status.DECISION_DRAFTED:
            raise CaseError(_("A decision can only be drafted while the case is in review."))
        decisions.check_draft(locked, fields)
        return decisions.record_draft(locked, actor, fields)


FLAGS = ("stay_at_stake", "discretionary")


def set_flags(case, actor, **flags):
    """The case's priorities (``stay_at_stake``, ``discretionary``), on the timeline. Ticking "discretionary"
    takes effect at once: the open draft's need for a second pair of eyes follows in the same transaction."""
    require_capability(actor, "cases.work", case)
    unknown = set(flags) - set(FLAGS)
    if unknown:
        raise CaseError(_("Unknown action."))
    with transaction.atomic():
        for name, value in flags.items():
            setattr(case, name, bool(value))
        case.save(update_fields=[*flags, "updated_at"])
        add_entry(case, "note", actor=actor, text=_("Priorities updated"), data={k: str(v) for k, v in flags.items()})
        decisions.sync_approval(case)
    return case


def submit_for_approval(case, actor):
    return take(case, "submit_for_approval", actor).products["decision"]


def finalise(case, actor):
    """Finalise a decision that needs no second pair of eyes: the notice goes out."""
    return take(case, "finalise", actor).products["decision"]


def approve(case, actor, comment=""):
    """A second person approves. The drafter never can (guard, and a check constraint in the database)."""
    return take(case, "approve", actor, note=comment).products["decision"]


def return_draft(case, actor, comment):
    return take(case, "return_draft", actor, note=comment).products["decision"]


def transfer_case(case, target_authority, actor, *, reason="", new_address=None):
    """Move ``case`` to ``target_authority`` (another tenant). Returns the new case there."""
    taken = take(case, "transfer", actor, note=reason, to_authority=target_authority, new_address=new_address)
    return taken.products["new_case"]
