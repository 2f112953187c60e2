"""Case commands: routing, deadlines on the case, requests for documents, four-eyes decisions, transfer."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from willkommen.cases import services
from willkommen.cases.models import Decision, DecisionState, LegalChange, TimelineKind
from willkommen.cases.services import CaseError
from willkommen.cases.workflow import Status
from willkommen.core.testing import make_staff, make_team

from .conftest import make_anliegen, make_person


def test_open_case_routes_by_rules_and_assigns_by_workload(authority, person, anliegen):
    from willkommen.tenancy.models import RoutingRule

    students = make_team(authority, "Studierende")
    busy = make_staff(authority, "busy", teams=[students])
    free = make_staff(authority, "free", teams=[students])
    make_staff(authority, "desk", role="servicepoint", teams=[students])  # may not work cases
    RoutingRule.objects.create(authority=authority, team=students, anliegen=anliegen, priority=1)
    first, _ = services.open_case(authority, person=person, anliegen=anliegen)
    assert first.team == students and first.assignee == busy  # tie: oldest account
    second, _ = services.open_case(authority, person=person, anliegen=anliegen)
    assert second.assignee == free
    assert first.timeline.filter(kind=TimelineKind.RECEIVED).count() == 1


def test_open_case_sets_deadlines(open_a_case, complex_anliegen):
    received = timezone.make_aware(dt.datetime(2026, 3, 2, 10))
    case = open_a_case(complex_anliegen, received_at=received)
    assert case.due_on == dt.date(2026, 6, 1)
    assert case.interim_due_on == dt.date(2026, 3, 16)
    assert case.status_message_due_on == dt.date(2026, 3, 30)


def test_open_case_idempotency_kept(authority, person, anliegen, team):
    a, code = services.open_case(authority, person=person, anliegen=anliegen, team=team, idempotency_key="k1")
    b, code2 = services.open_case(authority, person=person, anliegen=anliegen, team=team, idempotency_key="k1")
    assert a.pk == b.pk and code and code2 is None


def test_transition_checks_table_and_writes_timeline(open_a_case, caseworker):
    case = open_a_case()
    services.transition(case, "start_review", caseworker)
    assert case.status == Status.IN_REVIEW
    entry = case.timeline.filter(kind=TimelineKind.TRANSITION).get()
    assert (entry.from_status, entry.to_status, entry.actor) == ("received", "in_review", caseworker)
    with pytest.raises(CaseError):
        services.transition(case, "close", caseworker)


def test_transition_refuses_missing_capability_and_other_authority(open_a_case, authority, other_authority):
    case = open_a_case()
    sp = make_staff(authority, "sp", role="servicepoint")
    stranger = make_staff(other_authority, "x", role="team_lead")
    for user in (sp, stranger):
        with pytest.raises(PermissionDenied):
            services.transition(case, "start_review", user)
    case.refresh_from_db()
    assert case.status == Status.RECEIVED


def test_request_documents_stops_clock_and_sends_in_client_language(open_a_case, caseworker, outbox):
    case = open_a_case()
    original_due = case.due_on
    with pytest.raises(CaseError):
        services.request_documents(case, caseworker, items=[], note="")
    req = services.request_documents(case, caseworker, items=["enrolment"], note="Bitte aktuell")
    case.refresh_from_db()
    assert case.status == Status.DOCUMENTS_REQUESTED
    assert case.clock_stopped_on == timezone.localdate()
    assert len(outbox) == 1 and outbox[0]["email"] == "rana@example.org"
    assert outbox[0]["language"] == "ar" and outbox[0]["case"] == case
    assert outbox[0]["attachments"][0][2] == "application/pdf"
    assert case.letters.get().languages == "de+ar"
    # The clock restarts: documents arrived the same day, no days lost.
    req.refresh_from_db()
    services.documents_received(case, caseworker)
    case.refresh_from_db()
    assert case.status == Status.IN_REVIEW and case.clock_stopped_on is None
    assert case.due_on == original_due


def _grant_fields(case, **extra):
    start, end = services.proposed_validity(case)
    return {
        "outcome": "grant",
        "legal_basis": case.anliegen.legal_basis,
        "reasoning": "All requirements met.",
        "valid_from": start,
        "valid_to": end,
        **extra,
    }


def test_decision_without_approval_is_finalised_by_the_drafter(open_a_case, caseworker):
    case = open_a_case()
    services.transition(case, "start_review", caseworker)
    decision = services.draft_decision(case, caseworker, **_grant_fields(case))
    assert not decision.needs_approval
    with pytest.raises(CaseError):
        services.submit_for_approval(case, caseworker)
    services.finalise(case, caseworker)
    case.refresh_from_db()
    decision.refresh_from_db()
    assert case.status == Status.DECIDED and decision.state == DecisionState.FINAL
    assert case.letters.filter(kind="decision").exists()


def test_shorter_validity_needs_reason_and_longer_is_refused(open_a_case, caseworker):
    case = open_a_case()
    services.transition(case, "start_review", caseworker)
    start, end = services.proposed_validity(case)
    with pytest.raises(CaseError) as err:
        services.draft_decision(case, caseworker, **_grant_fields(case, valid_to=end - dt.timedelta(days=100)))
    assert err.value.errors
    with pytest.raises(CaseError):
        services.draft_decision(case, caseworker, **_grant_fields(case, valid_to=end + dt.timedelta(days=1)))
    decision = services.draft_decision(
        case,
        caseworker,
        **_grant_fields(case, valid_to=end - dt.timedelta(days=100), shorter_validity_reason="Course ends"),
    )
    assert decision.shorter_validity_reason == "Course ends"


def test_refusal_needs_plain_explanation(open_a_case, caseworker):
    case = open_a_case()
    services.transition(case, "start_review", caseworker)
    fields = {"outcome": "refuse", "legal_basis": "§ 5 AufenthG", "reasoning": "Livelihood not secured."}
    with pytest.raises(CaseError):
        services.draft_decision(case, caseworker, **fields)
    decision = services.draft_decision(case, caseworker, plain_explanation="Your income is too low.", **fields)
    assert decision.carries_remedies


@pytest.mark.parametrize("reason", ["anliegen", "case", "law"])
def test_approval_needed_for_discretion_or_recent_change_in_law(authority, team, person, caseworker, reason):
    anliegen = make_anliegen(authority, "fam", discretionary=reason == "anliegen")
    case, _ = services.open_case(authority, person=person, anliegen=anliegen, team=team)
    if reason == "case":
        case.discretionary = True
        case.save()
    if reason == "law":
        LegalChange.objects.create(
            authority=authority, legal_basis=anliegen.legal_basis, changed_on=timezone.localdate()
        )
    services.transition(case, "start_review", caseworker)
    decision = services.draft_decision(case, caseworker, **_grant_fields(case))
    assert decision.needs_approval
    with pytest.raises(CaseError):
        services.finalise(case, caseworker)


def test_old_change_in_law_needs_no_approval(authority, open_a_case, caseworker, anliegen):
    LegalChange.objects.create(
        authority=authority, legal_basis=anliegen.legal_basis, changed_on=timezone.localdate() - dt.timedelta(days=400)
    )
    case = open_a_case()
    services.transition(case, "start_review", caseworker)
    assert not services.draft_decision(case, caseworker, **_grant_fields(case)).needs_approval


def _awaiting(authority, team, person, drafter):
    anliegen = make_anliegen(authority, "disc", discretionary=True)
    case, _ = services.open_case(authority, person=person, anliegen=anliegen, team=team)
    services.transition(case, "start_review", drafter)
    services.draft_decision(case, drafter, **_grant_fields(case))
    services.submit_for_approval(case, drafter)
    return case


def test_drafter_can_never_approve_even_as_team_lead(authority, team, person, team_lead):
    case = _awaiting(authority, team, person, team_lead)
    with pytest.raises(CaseError):
        services.approve(case, team_lead)
    with pytest.raises(CaseError):
        services.return_draft(case, team_lead, "looks fine")
    case.refresh_from_db()
    assert case.status == Status.AWAITING_APPROVAL


def test_database_refuses_self_approval(authority, team, person, team_lead):
    case = _awaiting(authority, team, person, team_lead)
    decision = services.current_decision(case)
    decision.approved_by = team_lead
    with pytest.raises(IntegrityError), transaction.atomic():
        decision.save()


def test_second_person_approves_and_letter_goes_out(authority, team, person, caseworker, team_lead, outbox):
    case = _awaiting(authority, team, person, caseworker)
    with pytest.raises(PermissionDenied):
        services.approve(case, make_staff(authority, "other_cw", teams=[team]))  # caseworkers cannot approve
    decision = services.approve(case, team_lead, comment="ok")
    case.refresh_from_db()
    assert case.status == Status.DECIDED and decision.approved_by == team_lead
    assert decision.state == DecisionState.FINAL
    letter = case.letters.get(kind="decision")
    assert letter.languages == "de+ar"
    assert outbox[-1]["attachments"] and outbox[-1]["template_key"] == "decision_notice"


def test_return_with_comments_goes_back_to_the_drafter(authority, team, person, caseworker, team_lead):
    case = _awaiting(authority, team, person, caseworker)
    with pytest.raises(CaseError):
        services.return_draft(case, team_lead, "")
    services.return_draft(case, team_lead, "Please shorten the validity")
    case.refresh_from_db()
    assert case.status == Status.DECISION_DRAFTED
    assert Decision.objects.get(case=case).state == DecisionState.RETURNED


def test_bulk_reassign(open_a_case, caseworker, team_lead, second_caseworker):
    from willkommen.cases.permissions import visible_cases

    a, b = open_a_case(), open_a_case()
    count = services.bulk_reassign(
        visible_cases(team_lead, team_lead.authority).filter(pk__in=[a.pk, b.pk]),
        actor=team_lead,
        assignee=second_caseworker,
    )
    assert count == 2
    a.refresh_from_db()
    assert a.assignee == second_caseworker
    assert a.timeline.filter(kind=TimelineKind.ASSIGNMENT).exists()
    with pytest.raises(PermissionDenied):
        services.assign(a, actor=caseworker, assignee=caseworker)


def test_transfer_records_both_sides_and_exports(authority, other_authority, open_a_case, caseworker):
    from willkommen.cases.services import transfer_case
    from willkommen.cases.transfer import xauslaender_export

    case = open_a_case()
    with pytest.raises(CaseError):
        transfer_case(case, other_authority, caseworker)  # the other side lacks the Anliegen
    make_anliegen(other_authority, "study")
    new_case = transfer_case(case, other_authority, caseworker, reason="moved")
    case.refresh_from_db()
    assert case.status == Status.TRANSFERRED and case.transferred_to == other_authority
    assert new_case.authority == other_authority and new_case.person.authority == other_authority
    assert new_case.received_at == case.received_at
    assert case.timeline.filter(kind=TimelineKind.TRANSFER).exists()
    assert new_case.timeline.filter(kind=TimelineKind.TRANSFER).get().data["from_case"] == case.number
    export = xauslaender_export(case)
    assert export["person"]["name"]["familienname"] == "Haddad"
    assert export["person"]["staatsangehoerigkeiten"] == ["SYR"]
    assert export["antrag"]["aktenzeichen"] == case.number
    for key in ("person", "aufenthalt", "antrag", "entscheidung"):
        assert key in export


def test_note_validation(open_a_case, caseworker):
    case = open_a_case()
    with pytest.raises(CaseError):
        services.add_note(case, caseworker, "  ")
    services.add_note(case, caseworker, "Called the employer")
    assert case.timeline.filter(kind=TimelineKind.NOTE).count() == 1


def test_person_in_other_language_gets_german_only_when_german(authority, team, anliegen, caseworker):
    person = make_person(authority, "Müller", language="de", email="m@example.org")
    case, _ = services.open_case(authority, person=person, anliegen=anliegen, team=team)
    services.request_documents(case, caseworker, items=["passport"])
    assert case.letters.get().languages == "de"


def test_uploaded_documents_appear_on_the_timeline(open_a_case, caseworker, staff_client):
    efile = pytest.importorskip("willkommen.efile.services")
    from weasyprint import HTML

    case = open_a_case()
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = HTML(string="<p>Immatrikulation</p>").write_pdf()
    efile.add_document(
        case.authority,
        case.person,
        SimpleUploadedFile("enrolment.pdf", pdf, content_type="application/pdf"),
        document_type="enrolment",
        source="upload",
        case=case,
        title="Immatrikulation",
    )
    from willkommen.cases.selectors import full_timeline

    kinds = [(e.kind, e.text) for e in full_timeline(case)]
    assert ("document", "Immatrikulation") in kinds
    response = staff_client.get(f"/api/v1/cases/{case.pk}/timeline/")
    assert any(e["kind"] == "document" and e["text"] == "Immatrikulation" for e in response.json())


def test_transfer_hands_the_file_over_and_archives_it_here(
    authority, other_authority, open_a_case, caseworker, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from willkommen.cases.services import transfer_case
    from willkommen.efile import services as efile_services
    from willkommen.efile.models import Document, FileState, PersonFile
    from willkommen.efile.tests.conftest import pdf_bytes

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    settings.CLAMD_SOCKET = ""
    case = open_a_case()
    passport = efile_services.add_document(
        authority,
        case.person,
        SimpleUploadedFile("pass.pdf", pdf_bytes("Reisepass")),
        document_type="passport",
        source="upload",
        case=case,
    )
    efile_services.verify_document(passport, caseworker)
    other = efile_services.add_document(
        authority,
        case.person,
        SimpleUploadedFile("misc.pdf", pdf_bytes("Mietvertrag")),
        document_type="rent",
        source="upload",
    )
    make_anliegen(other_authority, "study")
    new_case = transfer_case(case, other_authority, caseworker, reason="moved")

    copies = Document.objects.filter(authority=other_authority, person=new_case.person).order_by("pk")
    assert [(d.document_type, d.sha256, d.source) for d in copies] == [
        ("passport", passport.sha256, "transfer"),
        ("rent", other.sha256, "transfer"),
    ]
    assert copies[0].case == new_case and copies[1].case is None
    assert copies[0].verified_at is not None  # checked once, not again
    assert efile_services.read_content(copies[0]) == efile_services.read_content(passport)
    assert copies[0].file.name != passport.file.name
    here = PersonFile.objects.get(authority=authority, person=case.person)
    assert here.state == FileState.ARCHIVED and here.archive_reason == "moved_away"
    assert here.receiving_authority == other_authority.name
    assert new_case.timeline.get(kind=TimelineKind.TRANSFER).data["documents"] == 2
