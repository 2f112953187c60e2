"""Cases in the Art. 15 copy: cases, timeline, decisions, requests; internal notes and decision drafts only
in the office's copy; erased with the person."""

import datetime as dt

import pytest
from django.utils import timezone

from willkommen.cases import privacy
from willkommen.cases.models import Case, Decision, TimelineEntry
from willkommen.cases.services import add_note
from willkommen.clients.privacy import kept
from willkommen.clients.testing import section


@pytest.mark.django_db
def test_copy_holds_cases_timeline_and_decisions(authority, person, open_a_case, caseworker):
    case = open_a_case()
    add_note(case, caseworker, "Rückfrage beim Arbeitgeber")
    Decision.objects.create(
        authority=authority,
        case=case,
        outcome="grant",
        legal_basis="§ 16b AufenthG",
        reasoning="Entwurf",
        drafted_by=caseworker,
        drafted_at=timezone.now(),
    )
    office, _members = section(authority, person, "cases")
    tables = office["tables"]
    assert [row["number"] for row in tables["cases"]] == [case.number]
    assert "access_code_hash" not in tables["cases"][0] and "idempotency_key" not in tables["cases"][0]
    assert tables["timeline"] and all(row["kind"] != "note" for row in tables["timeline"])
    assert [row["text"] for row in tables["internal_notes"]] == ["Rückfrage beim Arbeitgeber"]
    assert tables["decisions"] == [] and tables["decision_drafts"][0]["reasoning"] == "Entwurf"
    assert office["internal_tables"] == ["decision_drafts", "internal_notes"]
    client_copy, _members = section(authority, person, "cases", for_client=True)
    assert set(client_copy["tables"]) == {"cases", "timeline", "decisions", "document_requests", "automatic_messages"}
    assert "Rückfrage" not in str(client_copy)


@pytest.mark.django_db
def test_erase_and_keep(authority, person, open_a_case):
    case = open_a_case()
    now = timezone.now() + dt.timedelta(days=3650)
    assert kept(authority, [person.pk], now) == {person.pk}  # open case
    Case.objects.filter(pk=case.pk).update(status="closed")
    assert person.pk in privacy.keeps(authority, [person.pk], now)  # closed, the file is kept
    counts = privacy.erase(authority, [person.pk])
    assert counts["cases.Case"] == 1 and counts["cases.TimelineEntry"] >= 1
    assert not TimelineEntry.objects.exists()
