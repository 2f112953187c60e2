"""The case workflow as ONE table: states, the allowed transitions, who may take each and what each triggers.

Views, the API, the services and the tests all read this table; nothing else decides whether a
status change is allowed. ``guard`` names a condition the service checks on top of the table
(e.g. a decision that needs a second pair of eyes cannot be finalised by the drafter).
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
    triggers: tuple = field(default=())
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
        triggers=("stop_clock", "letter:request_documents", "message_client"),
        needs_form=True,
    ),
    Transition(
        "documents_received",
        frozenset({Status.DOCUMENTS_REQUESTED}),
        Status.IN_REVIEW,
        "cases.work",
        _("Documents received"),
        triggers=("restart_clock",),
    ),
    Transition(
        "ask_other_authority",
        frozenset({Status.IN_REVIEW}),
        Status.WAITING_OTHER_AUTHORITY,
        "cases.work",
        _("Wait for another authority"),
    ),
    Transition(
        "other_authority_answered",
        frozenset({Status.WAITING_OTHER_AUTHORITY}),
        Status.IN_REVIEW,
        "cases.work",
        _("Other authority answered"),
    ),
    Transition(
        "draft_decision",
        frozenset({Status.IN_REVIEW}),
        Status.DECISION_DRAFTED,
        "cases.work",
        _("Draft decision"),
        triggers=("decision:draft",),
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
        guard="needs_approval",
    ),
    Transition(
        "finalise",
        frozenset({Status.DECISION_DRAFTED}),
        Status.DECIDED,
        "cases.work",
        _("Finalise decision"),
        triggers=("decision:final", "letter:decision", "message_client"),
        guard="no_approval_needed",
    ),
    Transition(
        "approve",
        frozenset({Status.AWAITING_APPROVAL}),
        Status.DECIDED,
        "cases.approve",
        _("Approve decision"),
        triggers=("decision:approved", "letter:decision", "message_client"),
        guard="not_drafter",
        needs_form=True,
    ),
    Transition(
        "return_draft",
        frozenset({Status.AWAITING_APPROVAL}),
        Status.DECISION_DRAFTED,
        "cases.approve",
        _("Return with comments"),
        triggers=("decision:returned",),
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
        triggers=("transfer", "export:xauslaender"),
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
