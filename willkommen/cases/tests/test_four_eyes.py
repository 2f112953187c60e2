"""Four eyes with everything in sight (issue 15 item 3): when a decision needs approval (live rules, so
ticking "discretionary" or recording a change in the law takes effect at once), which buttons follow, the
returned draft kept and compared, and who may approve (every approver of the authority but the drafter)."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from willkommen.cases import decisions, services
from willkommen.cases.models import Decision, DecisionState, LegalChange
from willkommen.cases.permissions import reviewable_cases
from willkommen.cases.services import CaseError
from willkommen.cases.workflow import Status
from willkommen.core.testing import make_staff, make_team, verified_login

from .conftest import make_anliegen


def _fields(case, **extra):
    start, end = services.proposed_validity(case)
    return {
        "outcome": "grant",
        "legal_basis": case.anliegen.legal_basis,
        "reasoning": "Alle Voraussetzungen liegen vor.",
        "valid_from": start,
        "valid_to": end,
        **extra,
    }


@pytest.fixture
def drafted(open_a_case, caseworker):
    """A case in "decision drafted" with a draft that needs no approval (plain Anliegen, no flag, no law change)."""
    case = open_a_case()
    case.assignee = caseworker
    case.save()
    services.transition(case, "start_review", caseworker)
    services.draft_decision(case, caseworker, **_fields(case))
    case.refresh_from_db()
    return case


def _buttons(case, user):
    return {t.name for t in services.available_transitions(case, user)}


# --- when approval is needed, and the buttons that follow -------------------------------------------


def test_no_approval_needed_offers_finalise_only(drafted, caseworker):
    assert not services.approval_needed(drafted)
    names = _buttons(drafted, caseworker)
    assert "finalise" in names and "submit_for_approval" not in names


def test_ticking_discretionary_takes_effect_at_once(drafted, caseworker):
    services.set_flags(drafted, caseworker, discretionary=True)
    decision = services.current_decision(drafted)
    assert decision.needs_approval and decision.approval_reasons == ["case_discretionary"]  # stored at once
    names = _buttons(drafted, caseworker)
    assert "submit_for_approval" in names and "finalise" not in names
    with pytest.raises(CaseError):
        services.finalise(drafted, caseworker)
    services.set_flags(drafted, caseworker, discretionary=False)  # and back: no stale state
    assert not services.current_decision(drafted).needs_approval
    assert "finalise" in _buttons(drafted, caseworker)
    services.finalise(drafted, caseworker)
    drafted.refresh_from_db()
    assert drafted.status == Status.DECIDED


def test_change_in_law_after_drafting_needs_approval(authority, drafted, caseworker):
    LegalChange.objects.create(
        authority=authority, legal_basis=drafted.anliegen.legal_basis.upper(), changed_on=timezone.localdate()
    )
    assert services.live_reasons(drafted, services.current_decision(drafted)) == ["legal_basis_changed"]
    assert "submit_for_approval" in _buttons(drafted, caseworker)
    decision = services.submit_for_approval(drafted, caseworker)
    assert decision.needs_approval and decision.approval_reasons == ["legal_basis_changed"]  # stored on submit


def test_change_in_law_of_another_basis_or_long_ago_needs_none(authority, drafted):
    LegalChange.objects.create(authority=authority, legal_basis="§ 99 AufenthG", changed_on=timezone.localdate())
    LegalChange.objects.create(
        authority=authority,
        legal_basis=drafted.anliegen.legal_basis,
        changed_on=timezone.localdate() - dt.timedelta(days=366),
    )
    assert not services.approval_needed(drafted)


def test_approval_reasons_in_words():
    with translation.override("de"):
        words = services.reasons_in_words(["anliegen_discretionary", "case_discretionary", "legal_basis_changed"])
    assert len(words) == 3 and all(w and "_" not in w for w in words)


def test_decision_form_discretionary_box_decides_the_button(client, drafted, caseworker):
    verified_login(client, caseworker)
    url = f"/desk/cases/{drafted.pk}/decision/"
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in _fields(drafted).items()}
    assert client.post(url, {**data, "discretionary": "on"}).status_code == 302
    drafted.refresh_from_db()
    assert drafted.discretionary and services.current_decision(drafted).needs_approval
    page = client.get(f"/desk/cases/{drafted.pk}/").content.decode()
    assert "/do/submit_for_approval/" in page and "/do/finalise/" not in page
    assert f"/desk/cases/{drafted.pk}/decision/preview.pdf" in page  # the drafter sees the notice before submitting
    assert client.post(url, data).status_code == 302  # unticked
    drafted.refresh_from_db()
    assert not drafted.discretionary and not services.current_decision(drafted).needs_approval
    page = client.get(f"/desk/cases/{drafted.pk}/").content.decode()
    assert "/do/finalise/" in page and "/do/submit_for_approval/" not in page


def test_invalid_draft_leaves_the_flag_unchanged(client, drafted, caseworker):
    verified_login(client, caseworker)
    response = client.post(
        f"/desk/cases/{drafted.pk}/decision/", {"outcome": "grant", "legal_basis": "", "discretionary": "on"}
    )
    assert response.status_code == 400
    drafted.refresh_from_db()
    assert not drafted.discretionary


# --- the difference to a returned draft -------------------------------------------------------------


def test_changes_lists_changed_fields_old_to_new():
    old = Decision(
        outcome="grant",
        legal_basis="§ 16b AufenthG",
        reasoning="Alt.",
        valid_from=dt.date(2026, 1, 1),
        valid_to=dt.date(2028, 1, 1),
        conditions="",
        ends_stay=False,
    )
    new = Decision(
        outcome="partial",
        legal_basis="§ 16b AufenthG ",  # whitespace only: unchanged
        reasoning="Neu.",
        valid_from=dt.date(2026, 1, 1),
        valid_to=dt.date(2027, 1, 1),
        conditions="Beschäftigung erlaubt.",
        ends_stay=False,
    )
    with translation.override("de"):
        rows = decisions.changes(old, new)
    by_field = {r["field"]: r for r in rows}
    assert list(by_field) == ["outcome", "reasoning", "valid_to", "conditions"]  # form order
    assert (by_field["outcome"]["old"], by_field["outcome"]["new"]) == ("Erteilung", "teilweise Erteilung")
    assert (by_field["reasoning"]["old"], by_field["reasoning"]["new"]) == ("Alt.", "Neu.")
    assert by_field["valid_to"]["old"] != by_field["valid_to"]["new"] and "2027" in by_field["valid_to"]["new"]
    assert by_field["conditions"]["old"] == "–"
    assert decisions.changes(old, old) == [] and decisions.changes(None, new) == []


def _submitted(authority, team, drafter):
    anliegen = make_anliegen(authority, "disc", discretionary=True)
    from .conftest import make_person

    case, _ = services.open_case(authority, person=make_person(authority, "Nasser"), anliegen=anliegen, team=team)
    case.assignee = drafter
    case.save()
    services.transition(case, "start_review", drafter)
    services.draft_decision(case, drafter, **_fields(case, reasoning="Erste Fassung."))
    services.submit_for_approval(case, drafter)
    return case


def test_returned_draft_is_kept_and_compared(authority, team, caseworker, team_lead):
    case = _submitted(authority, team, caseworker)
    first = services.current_decision(case)
    services.return_draft(case, team_lead, "Bitte die Begründung ergänzen.")
    first.refresh_from_db()
    assert first.state == DecisionState.RETURNED and first.returned_by == team_lead and first.returned_at
    second = services.draft_decision(case, caseworker, **_fields(case, reasoning="Zweite Fassung."))
    third = services.draft_decision(case, caseworker, **_fields(case, reasoning="Dritte Fassung."))
    first.refresh_from_db()
    assert first.reasoning == "Erste Fassung." and first.review_comment == "Bitte die Begründung ergänzen."
    assert second.revises == first and third.revises == first  # saved twice: still against the returned one
    assert services.returned_draft(third) == first
    rows = services.changes(first, third)
    assert [(r["field"], r["old"], r["new"]) for r in rows] == [("reasoning", "Erste Fassung.", "Dritte Fassung.")]


def test_review_page_shows_changes_since_the_returned_draft(client, authority, team, caseworker, team_lead):
    case = _submitted(authority, team, caseworker)
    services.return_draft(case, team_lead, "Bitte die Begründung ergänzen.")
    services.draft_decision(case, caseworker, **_fields(case, reasoning="Zweite Fassung."))
    services.submit_for_approval(case, caseworker)
    verified_login(client, team_lead)
    html = client.get(f"/desk/cases/{case.pk}/decision/review/").content.decode()
    assert 'data-field="reasoning"' in html and "Erste Fassung." in html and "Zweite Fassung." in html
    assert "Bitte die Begründung ergänzen." in html


def test_resubmitted_unchanged_says_so(client, authority, team, caseworker, team_lead):
    case = _submitted(authority, team, caseworker)
    services.return_draft(case, team_lead, "Bitte prüfen.")
    services.submit_for_approval(case, caseworker)
    verified_login(client, team_lead)
    html = client.get(f"/desk/cases/{case.pk}/decision/review/").content.decode()
    assert 'id="review-unchanged"' in html and 'data-field="' not in html


def test_review_page_shows_validity_reason_conditions_and_documents(client, authority, team, caseworker, team_lead):
    from django.core.files.base import ContentFile

    from willkommen.efile.models import Document

    anliegen = make_anliegen(authority, "disc", discretionary=True)
    from .conftest import make_person

    case, _ = services.open_case(authority, person=make_person(authority, "Nasser"), anliegen=anliegen, team=team)
    services.transition(case, "start_review", caseworker)
    start, end = services.proposed_validity(case)
    services.draft_decision(
        case,
        caseworker,
        **_fields(
            case,
            valid_to=end - dt.timedelta(days=200),
            shorter_validity_reason="Der Studiengang endet früher.",
            conditions="Beschäftigung bis 20 Stunden erlaubt.",
        ),
    )
    services.submit_for_approval(case, caseworker)
    doc = Document(
        authority=authority,
        person=case.person,
        case=case,
        document_type="passport",
        title="Reisepass",
        original_name="pass.pdf",
        content_type="application/pdf",
        size=4,
        sha256="0" * 64,
        scan_status="clean",
    )
    doc.file.save("pass.pdf", ContentFile(b"%PDF"), save=False)
    doc.save()
    verified_login(client, team_lead)
    html = client.get(f"/desk/cases/{case.pk}/decision/review/").content.decode()
    assert 'id="review-shorter"' in html and "Der Studiengang endet früher." in html
    assert "Beschäftigung bis 20 Stunden erlaubt." in html
    assert f'href="/desk/efile/document/{doc.pk}/"' in html


def test_no_shorter_reason_shown_at_the_longest_validity(client, authority, team, caseworker, team_lead):
    case = _submitted(authority, team, caseworker)
    verified_login(client, team_lead)
    html = client.get(f"/desk/cases/{case.pk}/decision/review/").content.decode()
    assert 'id="review-shorter"' not in html


# --- who approves -----------------------------------------------------------------------------------


def test_team_lead_of_another_team_reviews_and_approves(client, authority, team, caseworker):
    from willkommen.audit.models import AuditEntry

    case = _submitted(authority, team, caseworker)
    other_lead = make_staff(authority, "olga", role="team_lead", teams=[make_team(authority, "Team L–Z")])
    assert reviewable_cases(other_lead, authority).filter(pk=case.pk).exists()
    verified_login(client, other_lead)
    listing = client.get("/desk/cases/approvals/").content.decode()
    assert f'href="/desk/cases/{case.pk}/decision/review/"' in listing
    assert case.number in client.get("/desk/cases/?scope=approval").content.decode()
    assert client.get(f"/api/v1/cases/{case.pk}/decisions/").status_code == 200
    response = client.post(f"/desk/cases/{case.pk}/decision/review/", {"action": "approve", "comment": "Gut."})
    assert response.status_code == 302 and response["Location"] == "/desk/cases/approvals/"
    case.refresh_from_db()
    decision = services.current_decision(case)
    assert case.status == Status.DECIDED and decision.approved_by == other_lead
    assert AuditEntry.objects.filter(actor=other_lead, purpose="approvals").exists()
    # decided: no longer awaiting approval, so no longer theirs to open
    assert client.get(f"/desk/cases/{case.pk}/").status_code == 404
    assert client.get(f"/desk/cases/{case.pk}/decision/preview.pdf").status_code == 404


def test_caseworker_of_another_team_cannot_review(client, authority, team, caseworker):
    case = _submitted(authority, team, caseworker)
    other = make_staff(authority, "otto", teams=[make_team(authority, "Team L–Z")])
    verified_login(client, other)
    assert client.get(f"/desk/cases/{case.pk}/").status_code == 404
    assert client.get(f"/desk/cases/{case.pk}/decision/preview.pdf").status_code == 404


def test_drafter_with_the_right_sees_neither_own_draft_in_list_nor_buttons(client, authority, team, team_lead):
    case = _submitted(authority, team, team_lead)
    verified_login(client, team_lead)
    assert case.number not in client.get("/desk/cases/approvals/").content.decode()
    page = client.get(f"/desk/cases/{case.pk}/decision/review/")
    assert page.status_code == 200 and 'value="approve"' not in page.content.decode()
    assert client.post(f"/desk/cases/{case.pk}/decision/review/", {"action": "approve"}).status_code == 409
    with pytest.raises(CaseError):
        services.approve(case, team_lead)


def test_another_authority_never_sees_the_approval(authority, other_authority, team, caseworker):
    case = _submitted(authority, team, caseworker)
    beta_lead = make_staff(
        other_authority, "beta-lead", role="team_lead", teams=[make_team(other_authority, "Team Beta")]
    )
    assert not reviewable_cases(beta_lead, authority).exists()
    assert not reviewable_cases(beta_lead, other_authority).filter(pk=case.pk).exists()


def test_preview_shows_the_draft_notice(client, authority, team, caseworker, team_lead):
    import io

    from pypdf import PdfReader

    case = _submitted(authority, team, caseworker)
    verified_login(client, team_lead)
    response = client.get(f"/desk/cases/{case.pk}/decision/preview.pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "ENTWURF" in text and "Erste Fassung." in text
    assert not case.letters.exists()
