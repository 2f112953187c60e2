"""Guards: conditions a transition names in the workflow table (``Transition.guard``) on top of the
capability and the source state. A guard raises CaseError with a message for the user.

A new guard is one function registered here under the name the table uses; ``tests/test_effects.py``
checks that every guard the table names exists.
"""

from django.utils.translation import gettext as _

from .decisions import approval_needed, current_decision
from .errors import CaseError

GUARDS = {}


def guard(name):
    def decorate(check):
        GUARDS[name] = check
        return check

    return decorate


def check(case, transition, actor):
    """Raise CaseError when the transition's guard does not hold for ``actor`` on ``case``."""
    if transition.guard:
        GUARDS[transition.guard](case, actor)


@guard("needs_approval")
def _needs_approval(case, actor):
    decision = current_decision(case)
    if decision is None or not approval_needed(case, decision):  # the rules as they are now (decisions.py)
        raise CaseError(_("This decision does not need approval; finalise it instead."))


@guard("no_approval_needed")
def _no_approval_needed(case, actor):
    decision = current_decision(case)
    if decision is None:
        raise CaseError(_("There is no decision draft."))
    if approval_needed(case, decision):
        raise CaseError(_("This decision needs the approval of a second person."))


@guard("not_drafter")
def _not_drafter(case, actor):
    decision = current_decision(case)
    if decision is None:
        raise CaseError(_("There is no decision awaiting approval."))
    if actor is not None and decision.drafted_by_id == actor.pk:
        raise CaseError(_("You drafted this decision, so you cannot approve or return it. A second person must."))
