"""The workflow table: every state reachable, every non-final state can be left, final states are final."""

import pytest

from willkommen.accounts.roles import CAPABILITIES
from willkommen.cases import workflow
from willkommen.cases.workflow import FINAL, INITIAL, TRANSITIONS, Status


def reachable_from(start):
    seen, todo = {start}, [start]
    while todo:
        state = todo.pop()
        for t in workflow.transitions_from(state):
            if t.target not in seen:
                seen.add(t.target)
                todo.append(t.target)
    return seen


def test_every_state_is_reachable_from_received():
    assert reachable_from(INITIAL) == set(Status.values)


@pytest.mark.parametrize("state", [s for s in Status.values if s not in FINAL])
def test_every_non_final_state_can_be_left(state):
    assert workflow.transitions_from(state), f"{state} can be entered but never left"


@pytest.mark.parametrize("state", sorted(FINAL))
def test_final_states_cannot_be_left(state):
    assert workflow.transitions_from(state) == []


@pytest.mark.parametrize("state", [s for s in Status.values if s not in FINAL])
def test_every_open_state_can_still_reach_an_end(state):
    assert reachable_from(state) & FINAL


def test_table_is_consistent():
    names = [t.name for t in TRANSITIONS]
    assert len(names) == len(set(names))
    known_caps = set().union(*CAPABILITIES.values())
    for t in TRANSITIONS:
        assert t.sources and set(t.sources) <= set(Status.values)
        assert t.target in Status.values
        assert t.target not in t.sources
        assert t.capability in known_caps, t.capability


def test_approval_needs_the_approve_capability_and_is_guarded():
    approve = workflow.get("approve")
    assert approve.capability == "cases.approve"
    assert approve.guard == "not_drafter"
    assert workflow.get("return_draft").guard == "not_drafter"
    assert workflow.get("finalise").guard == "no_approval_needed"


def test_allowed_reads_the_table():
    assert workflow.allowed(Status.RECEIVED, "start_review")
    assert not workflow.allowed(Status.CLOSED, "start_review")
    assert not workflow.allowed(Status.RECEIVED, "no_such_transition")
