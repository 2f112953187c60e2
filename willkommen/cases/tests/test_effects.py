"""The workflow table executes: every transition, taken through ``take``, does exactly what the table
says – each effect it names happened, and nothing else reached the client (no other message, mail or
letter). Desk and API take transitions only through ``take``."""

import inspect
from collections import deque

import pytest
from django.core import mail
from django.utils import timezone

from willkommen.cases import api, effects, guards, services, views, workflow
from willkommen.cases.models import Case, DecisionState, DocumentRequest, TimelineKind
from willkommen.cases.workflow import FINAL, INITIAL, TRANSITIONS, Status
from willkommen.letters.models import Letter
from willkommen.messaging.models import Message

from .conftest import make_anliegen, make_person

APPROVAL = {"submit_for_approval", "approve", "return_draft"}  # need a draft that needs approval


@pytest.fixture
def outbox():
    """Here the messaging room runs for real (the room's conftest replaces it with a list elsewhere)."""
    return None


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    settings.CLAMD_SOCKET = ""


def path_to(state):
    """The shortest list of transitions from ``received`` to ``state`` (never through a final state)."""
    seen, todo = {INITIAL: []}, deque([INITIAL])
    while todo:
        current = todo.popleft()
        if current == state:
            return seen[current]
        for t in workflow.transitions_from(current):
            if t.target not in seen and t.target not in FINAL:
                seen[t.target] = [*seen[current], t.name]
                todo.append(t.target)
    raise AssertionError(f"{state} cannot be reached")


def data_for(name, case, other_authority):
    if name == "request_documents":
        return {"items": ["passport"], "note": "Bitte ein gültiges Dokument."}
    if name == "draft_decision":
        start, end = services.proposed_validity(case)
        return {
            "outcome": "grant",
            "legal_basis": case.anliegen.legal_basis,
            "reasoning": "Alle Voraussetzungen liegen vor.",
            "valid_from": start,
            "valid_to": end,
        }
    if name in ("approve", "return_draft"):
        return {"note": "Bitte die Geltungsdauer prüfen."}
    if name == "transfer":
        return {"to_authority": other_authority, "note": "Umzug"}
    return {}


class Walk:
    def __init__(self, authority, other_authority, caseworker, team_lead, team):
        self.authority, self.other_authority, self.team = authority, other_authority, team
        self.caseworker, self.team_lead = caseworker, team_lead

    def actor(self, name):
        return self.team_lead if name in ("approve", "return_draft") else self.caseworker

    def case_before(self, t):
        """A fresh case in a source state of ``t``, reached through ``take`` (a client who reads e-mail, in Arabic)."""
        anliegen = make_anliegen(
            self.authority, f"a-{t.name}".replace("_", "-"), discretionary=t.name in APPROVAL, complexity="complex"
        )
        person = make_person(self.authority, family_name=f"Walk {t.name}", email=f"{t.name}@example.org")
        case, _code = services.open_case(self.authority, person=person, anliegen=anliegen, team=self.team)
        source = min(t.sources, key=lambda s: len(path_to(s)))
        for step in path_to(source):
            services.take(case, step, self.actor(step), **data_for(step, case, self.other_authority))
        assert case.status == source
        return case


def counts(case):
    return {
        "messages": Message.objects.filter(case=case).count(),
        "letters": Letter.objects.filter(case=case).count(),
        "mails": len(mail.outbox),
    }


# What each effect leaves behind, checked after the transition (case re-read, "before": counts before).
def _check_stop_clock(case, taken, before, actor, arg):
    assert case.clock_stopped_on == timezone.localdate()
    assert DocumentRequest.objects.filter(case=case, fulfilled_at__isnull=True).count() == 1


def _check_restart_clock(case, taken, before, actor, arg):
    assert case.clock_stopped_on is None
    assert not DocumentRequest.objects.filter(case=case, fulfilled_at__isnull=True).exists()


def _check_letter(case, taken, before, actor, kind):
    letter = Letter.objects.filter(case=case).order_by("-pk").first()
    assert letter is not None and letter.kind == kind and letter.languages == "de+ar"
    assert taken.products["letter"] == letter


def _check_notice(case, taken, before, actor, key):
    message = Message.objects.filter(case=case).order_by("-pk").first()
    assert message is not None and message.template_key == key and message.language == "ar"
    assert message.status == "sent", message.last_error
    sent = mail.outbox[-1]
    assert sent.to == [case.person.email] and sent.subject == message.subject
    assert case.number in message.subject
    if "letter" in taken.products:  # the letter of an earlier effect travels with the notice
        assert [a.file_name for a in message.attachments.all()] == [taken.products["letter"].file.name.rsplit("/")[-1]]
    entry = case.timeline.filter(kind=TimelineKind.MESSAGE).last()
    assert entry.data["template"] == key and case.last_client_message_at is not None


def _decision_state(state, approved=False):
    def check(case, taken, before, actor, arg):
        decision = services.current_decision(case)
        assert decision.state == state and taken.products["decision"].pk == decision.pk
        assert (decision.approved_by == actor) if approved else decision.approved_by is None

    return check


def _check_returned(case, taken, before, actor, arg):
    decision = services.current_decision(case)
    assert decision.state == DecisionState.RETURNED and decision.review_comment == "Bitte die Geltungsdauer prüfen."


def _check_transfer(case, taken, before, actor, arg):
    new_case = taken.products["new_case"]
    assert case.transferred_to_id == new_case.authority_id != case.authority_id
    assert new_case.received_at == case.received_at and new_case.person.family_name == case.person.family_name
    assert case.timeline.filter(kind=TimelineKind.TRANSFER).exists()


def _check_residence(case, taken, before, actor, arg):
    """The final decision is a dated entry of the person's residence history, pointing back at the case."""
    from willkommen.clients.models import ResidenceEntry

    decision = services.current_decision(case)
    entry = ResidenceEntry.objects.get(source_ref=f"decision:{decision.pk}")
    assert taken.products["residence_entry"] == entry
    assert (entry.person_id, entry.case_id, entry.kind, entry.source, entry.verified) == (
        case.person_id,
        case.pk,
        case.anliegen.residence_kind,
        "decision",
        True,
    )
    assert (entry.valid_from, entry.valid_to, entry.legal_basis) == (
        decision.valid_from,
        decision.valid_to,
        decision.legal_basis,
    )


CHECKS = {
    "stop_clock": _check_stop_clock,
    "restart_clock": _check_restart_clock,
    "letter:*": _check_letter,
    "notice:*": _check_notice,
    "decision:draft": _decision_state(DecisionState.DRAFT),
    "decision:awaiting": _decision_state(DecisionState.AWAITING),
    "decision:final": _decision_state(DecisionState.FINAL),
    "decision:approved": _decision_state(DecisionState.FINAL, approved=True),
    "decision:returned": _check_returned,
    "residence": _check_residence,
    "transfer": _check_transfer,
}


def test_every_effect_and_guard_the_table_names_exists_and_is_checked_here():
    assert set(CHECKS) == set(effects.REGISTRY), "a new effect needs its check in this test"
    for t in TRANSITIONS:
        for name in t.effects:
            effects.resolve(name)  # KeyError for a typo
        assert not t.guard or t.guard in guards.GUARDS, t.guard


@pytest.mark.parametrize("name", [t.name for t in TRANSITIONS])
def test_each_transition_does_what_the_table_says_and_nothing_else(
    name, authority, other_authority, team, caseworker, team_lead, django_capture_on_commit_callbacks
):
    t = workflow.get(name)
    make_anliegen(other_authority, f"a-{name}".replace("_", "-"))  # the receiving side of a transfer offers it
    walk = Walk(authority, other_authority, caseworker, team_lead, team)
    with django_capture_on_commit_callbacks(execute=True):
        case = walk.case_before(t)
    before, actor = counts(case), walk.actor(name)

    with django_capture_on_commit_callbacks(execute=True):
        taken = services.take(case, name, actor, **data_for(name, case, other_authority))

    case = Case.objects.get(pk=case.pk)
    assert case.status == t.target and taken.effects == list(t.effects)
    entry = case.timeline.filter(kind=TimelineKind.TRANSITION).last()
    assert (entry.from_status, entry.to_status, entry.actor) in [(s, t.target, actor) for s in t.sources]
    for effect_name in t.effects:
        effect, argument = effects.resolve(effect_name)
        CHECKS[effect.name](case, taken, before, actor, argument)
    notices = sum(1 for e in t.effects if effects.resolve(e)[0].sends)
    letters = sum(1 for e in t.effects if e.startswith("letter:"))
    after = counts(case)
    assert after == {
        "messages": before["messages"] + notices,
        "letters": before["letters"] + letters,
        "mails": before["mails"] + notices,
    }, f"{name} sent something the table does not name"


def test_a_refused_check_changes_nothing(open_a_case, caseworker):
    case = open_a_case()
    with pytest.raises(services.CaseError):
        services.take(case, "request_documents", caseworker, items=[], note="")
    case.refresh_from_db()
    assert case.status == Status.RECEIVED and not case.timeline.filter(kind=TimelineKind.TRANSITION).exists()
    assert not DocumentRequest.objects.filter(case=case).exists()


def test_finalise_through_the_generic_api_decides_and_sends(staff_client, open_a_case, caseworker, outbox):
    case = open_a_case()
    services.take(case, "start_review", caseworker)
    services.take(case, "draft_decision", caseworker, **data_for("draft_decision", case, None))
    response = staff_client.post(f"/api/v1/cases/{case.pk}/transitions/", {"name": "finalise"})
    assert response.status_code == 200 and response.json()["status"] == "decided"
    assert Message.objects.get(case=case).template_key == "decision_notice"
    assert Letter.objects.get(case=case).kind == "decision"


def test_desk_one_click_finalise_sends_the_notice(staff_client, open_a_case, caseworker, outbox):
    case = open_a_case()
    services.take(case, "start_review", caseworker)
    services.take(case, "draft_decision", caseworker, **data_for("draft_decision", case, None))
    response = staff_client.post(f"/desk/cases/{case.pk}/do/finalise/", {"note": ""})
    assert response.status_code == 302
    assert Message.objects.get(case=case).template_key == "decision_notice"


def test_desk_and_api_take_transitions_only_through_take():
    for module in (views, api):
        source = inspect.getsource(module)
        assert 'name == "' not in source, f"{module.__name__} decides by transition name again"
        for shortcut in ("finalise(", "approve(", "return_draft(", "submit_for_approval(", "documents_received("):
            assert f"services.{shortcut}" not in source, f"{module.__name__} calls services.{shortcut}"
