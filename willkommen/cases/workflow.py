"""The case workflow as ONE table: states, the allowed transitions, who may take each and what each does.

Views, the API, the services and the tests all read this table; nothing else decides whether a
status change is allowed or what it sets off. ``transitions.take`` carries a transition out:
capability, source state and ``guard`` (a condition on top of the table, ``guards.py``; e.g. a
decision that needs a second pair of eyes cannot be finalised by the drafter), then the status, the
timeline and the ``effects`` in the order named here (``effects.py`` maps each name to a function:
the clock, letters, notices to the client from the template store, decisions, transfer).

A new case event is one row here (and, where it needs one, an effect in ``effects.py`` and a text in
messaging's template store).
"""

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    RECEIVED = "received", _("received")
    IN_REVIEW = "in_review", _("in review")
    DOCUMENTS_REQUESTED = "documents_requested", _("documents requested")
    WAITING_OTHER_AUTHORITY = "waiting_other_authority", _("waiting for another authority")
    DECISION_DRAFTED = "decision_drafted", _("decision drafted")
    AWAITING_APPROVAL = "awaiting_approval", _("awaiting approval")
    DECIDED = "decided", _("decided")
    CLOSED = "closed", _("closed")
    SUSPENDED = "suspended", _("suspended")
    TRANSFERRED = "transferred", _("transferred")
    WITHDRAWN = "withdrawn", _("withdrawn")


INITIAL = Status.RECEIVED
FINAL = frozenset({Status.CLOSED, Status.TRANSFERRED, Status.WITHDRAWN})
# Open = the processing clock may run and the case belongs in a work queue.
OPEN = frozenset(set(Status.values) - FINAL - {Status.DECIDED})
# States in which the client owes something (the processing clock stands still).
CLOCK_STOPPED = frozenset({Status.DOCUMENTS_REQUESTED})

_ACTIVE = frozenset(
    {
        Status.RECEIVED,
        Status.IN_REVIEW,
        Status.DOCUMENTS_REQUESTED,
        Status.WAITING_OTHER_AUTHORITY,
        Status.SUSPENDED,
    }
)


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset
    target: str
    capability: str
    label: str
    effects: tuple = field(default=())
    guard: str = ""
    needs_form: bool = False  # taken through its own page (request documents, decision) rather than one button


TRANSITIONS = [
    Transition("start_review", frozenset({Status.RECEIVED}), Status.IN_REVIEW, "cases.work", _("Start review")),
    Transition(
        "request_documents",
        frozenset({Status.RECEIVED, Status.IN_REVIEW}),
        Status.DOCUMENTS_REQUESTED,
        "cases.work",
        _("Request documents"),
        effects=("stop_clock", "letter:request_documents", "notice:document_request"),
        needs_form=True,
    ),
    Transition(
        "documents_received",
        frozenset({Status.DOCUMENTS_REQUESTED}),
        Status.IN_REVIEW,
        "cases.work",
        _("Documents received"),
        effects=("restart_clock",),
    ),
    # Taken by the partners room's requests to other authorities (partners/requests.py): the first open
    # request opens the wait, the answer to the last one closes it; the clock stops per recipient type.
    Transition(
        "ask_other_authority",
        frozenset({Status.RECEIVED, Status.IN_REVIEW}),
        Status.WAITING_OTHER_AUTHORITY,
        "cases.work",
        _("Wait for another authority"),
        needs_form=True,
    ),
    Transition(
        "other_authority_answered",
        frozenset({Status.WAITING_OTHER_AUTHORITY}),
        Status.IN_REVIEW,
        "cases.work",
        _("Other authority answered"),
        needs_form=True,
    ),
    Transition(
        "draft_decision",
        frozenset({Status.IN_REVIEW}),
        Status.DECISION_DRAFTED,
        "cases.work",
        _("Draft decision"),
        effects=("decision:draft",),
        needs_form=True,
    ),
    Transition(
        "revise_draft",
        frozenset({Status.DECISION_DRAFTED}),
        Status.IN_REVIEW,
        "cases.work",
        _("Back to review"),
    ),
    Transition(
        "submit_for_approval",
        frozenset({Status.DECISION_DRAFTED}),
        Status.AWAITING_APPROVAL,
        "cases.work",
        _("Submit for approval"),
        effects=("decision:awaiting",),
        guard="needs_approval",
    ),
    Transition(
        "finalise",
        frozenset({Status.DECISION_DRAFTED}),
        Status.DECIDED,
        "cases.work",
        _("Finalise decision"),
        effects=("decision:final", "residence", "letter:decision", "notice:decision_notice"),
        guard="no_approval_needed",
    ),
    Transition(
        "approve",
        frozenset({Status.AWAITING_APPROVAL}),
        Status.DECIDED,
        "cases.approve",
        _("Approve decision"),
        effects=("decision:approved", "residence", "letter:decision", "notice:decision_notice"),
        guard="not_drafter",
        needs_form=True,
    ),
    Transition(
        "return_draft",
        frozenset({Status.AWAITING_APPROVAL}),
        Status.DECISION_DRAFTED,
        "cases.approve",
        _("Return with comments"),
        effects=("decision:returned",),
        guard="not_drafter",
        needs_form=True,
    ),
    Transition("close", frozenset({Status.DECIDED}), Status.CLOSED, "cases.work", _("Close case")),
    Transition(
        "suspend",
        _ACTIVE - {Status.SUSPENDED},
        Status.SUSPENDED,
        "cases.work",
        _("Suspend"),
    ),
    Transition("resume", frozenset({Status.SUSPENDED}), Status.IN_REVIEW, "cases.work", _("Resume")),
    Transition(
        "transfer",
        _ACTIVE,
        Status.TRANSFERRED,
        "cases.work",
        _("Transfer to another authority"),
        effects=("transfer",),
        needs_form=True,
    ),
    Transition(
        "withdraw",
        _ACTIVE | {Status.DECISION_DRAFTED},
        Status.WITHDRAWN,
        "cases.work",
        _("Application withdrawn"),
    ),
]

BY_NAME = {t.name: t for t in TRANSITIONS}


def transitions_from(status):
    return [t for t in TRANSITIONS if status in t.sources]


def get(name):
    return BY_NAME.get(name)


def allowed(status, name):
    t = BY_NAME.get(name)
    return t is not None and status in t.sources


def is_final(status):
    return status in FINAL
