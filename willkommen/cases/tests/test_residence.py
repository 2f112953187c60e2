"""The residence history as the source of truth: decisions and certificates write their entry in their own
transaction (a failure rolls both back), the case's permit expiry and § 81 follow the history, declared
expiries are unverified until confirmed, and validity caps per legal basis (catalogue data) hold."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from willkommen.cases import residence, services
from willkommen.cases.errors import CaseError
from willkommen.cases.models import Case, DecisionState
from willkommen.cases.selectors import fiction_paragraph, queue
from willkommen.cases.workflow import Status
from willkommen.clients.models import ResidenceEntry
from willkommen.clients.selectors import current_title, latest_title
from willkommen.clients.services import confirm_residence_entry, record_residence
from willkommen.letters.models import Fiktionsbescheinigung

from .conftest import make_anliegen, make_person

ID = {
    "id_document_type": "Reisepass",
    "id_document_number": "N7654321",
    "id_document_issuer": "Generaldirektion Damaskus",
    "id_document_issued_on": dt.date(2022, 1, 10),
}


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    settings.CLAMD_SOCKET = ""


def today():
    return timezone.localdate()


def _grant(case, actor, **extra):
    start, end = services.proposed_validity(case)
    fields = {
        "outcome": "grant",
        "legal_basis": case.anliegen.legal_basis,
        "reasoning": "Alle Voraussetzungen liegen vor.",
        "valid_from": start,
        "valid_to": end,
        "conditions": "Beschäftigung bis 20 Stunden je Woche gestattet.",
        **extra,
    }
    services.transition(case, "start_review", actor)
    return services.draft_decision(case, actor, **fields)


# --- decisions write the history -----------------------------------------------------------------


def test_finalising_a_grant_writes_the_residence_entry(open_a_case, caseworker):
    case = open_a_case()
    decision = _grant(case, caseworker)
    taken = services.take(case, "finalise", caseworker)
    entry = ResidenceEntry.objects.get(person=case.person)
    assert taken.products["residence_entry"] == entry
    assert (entry.kind, entry.valid_from, entry.valid_to, entry.legal_basis) == (
        "title",
        decision.valid_from,
        decision.valid_to,
        "§ 16b AufenthG",
    )
    assert entry.conditions.startswith("Beschäftigung") and entry.verified and entry.verified_by == caseworker
    assert entry.case_id == case.pk and entry.source == "decision"
    assert current_title(case.person, today()) == entry
    assert case.timeline.filter(data__residence_entry=entry.pk).exists()


def test_a_failing_later_effect_rolls_back_the_decision_and_the_entry(open_a_case, caseworker, monkeypatch):
    case = open_a_case()
    _grant(case, caseworker)

    def broken_letter(*args, **kwargs):
        raise RuntimeError("printer on fire")

    monkeypatch.setattr("willkommen.cases.communication.make_letter", broken_letter)
    with pytest.raises(RuntimeError):
        services.take(case, "finalise", caseworker)
    case.refresh_from_db()
    assert case.status == Status.DECISION_DRAFTED
    assert services.current_decision(case).state == DecisionState.DRAFT
    assert not ResidenceEntry.objects.filter(person=case.person).exists()


def test_a_refusal_writes_a_refused_entry_and_a_duldung_grant_a_duldung(authority, team, caseworker):
    refused_case, _ = services.open_case(
        authority, person=make_person(authority, "Refused"), anliegen=make_anliegen(authority, "x"), team=team
    )
    services.transition(refused_case, "start_review", caseworker)
    services.draft_decision(
        refused_case,
        caseworker,
        outcome="refuse",
        legal_basis="§ 16b AufenthG",
        reasoning="Keine Zulassung.",
        plain_explanation="Sie haben keine Zulassung der Hochschule.",
    )
    services.take(refused_case, "finalise", caseworker)
    entry = ResidenceEntry.objects.get(person=refused_case.person)
    assert (entry.kind, entry.valid_from, entry.valid_to) == ("refused", today(), None)

    duldung = make_anliegen(authority, "duldung", legal_basis="§ 60a Abs. 4 AufenthG", residence_kind="duldung")
    case, _ = services.open_case(authority, person=make_person(authority, "Tolerated"), anliegen=duldung, team=team)
    _grant(case, caseworker, valid_to=today() + dt.timedelta(days=90), shorter_validity_reason="Passbeschaffung")
    services.take(case, "finalise", caseworker)
    entry = ResidenceEntry.objects.get(person=case.person)
    assert entry.kind == "duldung" and entry.valid_to == today() + dt.timedelta(days=90)


def test_an_anliegen_without_residence_status_writes_nothing(authority, team, caseworker):
    obligation = make_anliegen(authority, "ve", legal_basis="§ 68 AufenthG", residence_kind="")
    case, _ = services.open_case(authority, person=make_person(authority, "Host"), anliegen=obligation, team=team)
    _grant(case, caseworker)
    taken = services.take(case, "finalise", caseworker)
    assert "residence" in taken.effects and "residence_entry" not in taken.products
    assert not ResidenceEntry.objects.filter(person=case.person).exists()


def test_a_settlement_permit_is_granted_without_an_end(authority, team, caseworker):
    settlement = make_anliegen(authority, "ne", legal_basis="§ 9 AufenthG", residence_kind="settlement")
    settlement.longest_validity_months = None
    settlement.save()
    case, _ = services.open_case(authority, person=make_person(authority, "Settled"), anliegen=settlement, team=team)
    _grant(case, caseworker, valid_to=None)
    services.take(case, "finalise", caseworker)
    entry = ResidenceEntry.objects.get(person=case.person)
    assert entry.kind == "settlement" and entry.valid_to is None


# --- the certificate writes the history -------------------------------------------------------------


def test_issuing_a_certificate_writes_the_entry_and_extending_it_another(open_a_case, caseworker):
    case = open_a_case()
    valid = today() + dt.timedelta(days=90)
    certificate, letter = residence.issue_certificate(case, caseworker, paragraph="81_4_1", valid_until=valid, **ID)
    entry = ResidenceEntry.objects.get(source_ref=f"certificate:{certificate.serial}")
    assert (entry.kind, entry.valid_from, entry.valid_to, entry.document_number) == (
        "fiction",
        today(),
        valid,
        certificate.serial,
    )
    assert entry.legal_basis == "§ 81 Abs. 4 Satz 1 AufenthG" and entry.case_id == case.pk
    assert case.timeline.filter(data__serial=certificate.serial).exists()

    longer = valid + dt.timedelta(days=60)
    residence.extend_certificate(certificate, caseworker, valid_until=longer)
    extension = ResidenceEntry.objects.get(source_ref=f"certificate:{certificate.serial}:1")
    assert (extension.valid_from, extension.valid_to) == (valid + dt.timedelta(days=1), longer)


def test_a_failing_history_write_leaves_no_certificate(open_a_case, caseworker, monkeypatch):
    case = open_a_case()

    def broken(*args, **kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr("willkommen.clients.services.record_residence", broken)
    with pytest.raises(RuntimeError):
        residence.issue_certificate(
            case, caseworker, paragraph="81_4_1", valid_until=today() + dt.timedelta(days=30), **ID
        )
    assert not Fiktionsbescheinigung.objects.filter(case=case).exists()
    assert not case.letters.exists() and not ResidenceEntry.objects.exists()


def test_a_refused_certificate_changes_nothing(open_a_case, caseworker):
    case = open_a_case()
    with pytest.raises(CaseError):
        residence.issue_certificate(
            case, caseworker, paragraph="81_4", valid_until=today() + dt.timedelta(days=30), **ID
        )
    assert not ResidenceEntry.objects.exists() and not Fiktionsbescheinigung.objects.exists()


# --- the permit expiry and § 81 follow the history ----------------------------------------------------


def test_the_permit_expiry_and_the_urgency_follow_the_history(open_a_case, caseworker, person):
    case = open_a_case()
    assert case.permit_expires_on is None
    soon = today() + dt.timedelta(days=20)
    entry = record_residence(person, kind="title", valid_to=soon, source="declared", case=case)
    assert not entry.verified
    case.refresh_from_db()
    assert case.permit_expires_on == soon
    case.assignee = caseworker
    case.save(update_fields=["assignee"])
    assert {c.pk: c.urgency for c in queue(caseworker, case.authority, scope="mine")}[case.pk] == 0

    later = today() + dt.timedelta(days=200)
    confirm_residence_entry(entry, caseworker, valid_to=later, document_number="Y1234567")
    entry.refresh_from_db()
    case.refresh_from_db()
    assert entry.verified and entry.verified_by == caseworker and entry.document_number == "Y1234567"
    assert case.permit_expires_on == later
    assert {c.pk: c.urgency for c in queue(caseworker, case.authority, scope="mine")}[case.pk] != 0


def test_confirming_twice_keeps_the_first_confirmation(open_a_case, caseworker, team_lead, person):
    case = open_a_case()
    entry = record_residence(person, kind="title", valid_to=today(), source="declared", case=case)
    first = confirm_residence_entry(entry, caseworker)
    second = confirm_residence_entry(entry, team_lead)
    assert second.verified_by == caseworker and second.verified_at == first.verified_at


def test_the_same_source_writes_once(person):
    one = record_residence(person, kind="title", valid_to=today(), source_ref="decision:1")
    two = record_residence(person, kind="title", valid_to=today(), source_ref="decision:1")
    assert one == two and ResidenceEntry.objects.count() == 1


def test_an_impossible_entry_is_refused(person):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        record_residence(person, kind="title", valid_from=today(), valid_to=today() - dt.timedelta(days=1))
    assert not ResidenceEntry.objects.exists()


def test_latest_title_skips_certificates_and_knows_expired_titles(person):
    old = record_residence(person, kind="title", valid_from=dt.date(2024, 1, 1), valid_to=dt.date(2025, 12, 31))
    record_residence(person, kind="fiction", valid_from=dt.date(2026, 1, 2), valid_to=dt.date(2026, 6, 30))
    assert latest_title(person, dt.date(2026, 2, 1)) == old
    assert current_title(person, dt.date(2026, 2, 1)) is None
    assert current_title(person, dt.date(2025, 12, 31)) == old


def test_fiction_paragraph_of_a_case_from_the_history(authority, team, open_a_case, person):
    case = open_a_case()
    arrival = timezone.localtime(case.received_at).date()
    entry = record_residence(person, kind="title", valid_from=dt.date(2024, 1, 1), valid_to=arrival)
    assert fiction_paragraph(Case.objects.get(pk=case.pk)) == "81_4_1"  # applied on the last day
    entry.valid_to = arrival - dt.timedelta(days=1)
    entry.save()
    assert fiction_paragraph(Case.objects.get(pk=case.pk)) == "81_4_3"  # the day after
    entry.kind = "schengen"
    entry.save()
    assert fiction_paragraph(Case.objects.get(pk=case.pk)) == ""
    entry.delete()
    assert fiction_paragraph(Case.objects.get(pk=case.pk)) == ""  # nothing on record
    record_residence(person, kind="entry", valid_from=dt.date(2026, 1, 1), valid_to=arrival)
    assert fiction_paragraph(Case.objects.get(pk=case.pk)) == "81_3_1"  # visa-free stay, still lawful

    other = make_person(authority, "Duldung")
    record_residence(other, kind="duldung", valid_from=dt.date(2024, 1, 1), valid_to=arrival)
    duldung = make_anliegen(authority, "dul", residence_kind="duldung")
    tolerated, _ = services.open_case(authority, person=other, anliegen=duldung, team=team)
    assert fiction_paragraph(tolerated) == ""


# --- validity caps per legal basis ----------------------------------------------------------------


def test_25b_is_capped_at_two_years_and_25a_at_three(authority, team, caseworker):
    bleiberecht = make_anliegen(
        authority, "bleiberecht", legal_basis="§§ 25a, 25b AufenthG", validity_caps={"25a": 36, "25b": 24}
    )
    case, _ = services.open_case(
        authority, person=make_person(authority, "Integrated"), anliegen=bleiberecht, team=team
    )
    start = dt.date(2026, 1, 31)
    # the first day counts: two years from 31 January 2026 end on 30 January 2028
    assert services.proposed_validity(case, start, legal_basis="§ 25b Abs. 1 AufenthG")[1] == dt.date(2028, 1, 30)
    assert services.proposed_validity(case, start, legal_basis="§ 25a AufenthG")[1] == dt.date(2029, 1, 30)
    services.transition(case, "start_review", caseworker)
    fields = {
        "outcome": "grant",
        "reasoning": "Nachhaltige Integration.",
        "valid_from": start,
        "valid_to": dt.date(2029, 1, 30),
    }
    with pytest.raises(CaseError) as refused:
        services.draft_decision(case, caseworker, legal_basis="§ 25b AufenthG", **fields)
    assert any("§ 25b AufenthG" in e and "30.01.2028" in e for e in refused.value.errors)
    with pytest.raises(CaseError) as one_day_too_long:  # two years and one day
        services.draft_decision(
            case, caseworker, legal_basis="§ 25b AufenthG", **{**fields, "valid_to": dt.date(2028, 1, 31)}
        )
    assert any("30.01.2028" in e for e in one_day_too_long.value.errors)
    decision = services.draft_decision(case, caseworker, legal_basis="§ 25a AufenthG", **fields)
    assert decision.valid_to == dt.date(2029, 1, 30)


def test_family_reunification_ends_with_the_sponsors_title(authority, team, caseworker):
    family = make_anliegen(authority, "familie", legal_basis="§ 30 AufenthG", not_beyond_sponsor=True)
    family.longest_validity_months = 36
    family.save()
    case, _ = services.open_case(authority, person=make_person(authority, "Spouse"), anliegen=family, team=team)
    start, sponsor = dt.date(2026, 3, 1), dt.date(2027, 6, 30)
    assert services.proposed_validity(case, start, sponsor_until=sponsor)[1] == sponsor
    assert services.proposed_validity(case, start, sponsor_until=dt.date(2031, 1, 1))[1] == dt.date(2029, 2, 28)
    services.transition(case, "start_review", caseworker)
    base = {"outcome": "grant", "legal_basis": "§ 30 AufenthG", "reasoning": "Ehegattennachzug.", "valid_from": start}
    with pytest.raises(CaseError) as missing, translation.override("en"):
        services.draft_decision(case, caseworker, valid_to=sponsor, **base)
    assert any("sponsor" in e for e in missing.value.errors)
    with pytest.raises(CaseError) as beyond:
        services.draft_decision(
            case, caseworker, valid_to=dt.date(2028, 1, 1), sponsor_title_expires_on=sponsor, **base
        )
    assert any("30.06.2027" in e for e in beyond.value.errors)
    decision = services.draft_decision(case, caseworker, valid_to=sponsor, sponsor_title_expires_on=sponsor, **base)
    assert decision.sponsor_title_expires_on == sponsor


def test_the_processing_target_of_a_complex_case_is_three_calendar_months(authority, team):
    from willkommen.cases.deadlines import add_months
    from willkommen.cases.selectors import processing_target

    complex_ = make_anliegen(authority, "complex", complexity="complex", target_months=3)
    case, _ = services.open_case(authority, person=make_person(authority, "Months"), anliegen=complex_, team=team)
    arrival = timezone.localtime(case.received_at).date()
    target, days = processing_target(case)
    assert target == add_months(arrival, 3) and days == (target - arrival).days
    assert case.due_on >= target and (case.due_on - target).days <= 5  # moved off a weekend or holiday only


def _bound_case(authority, team, caseworker, slug, legal_basis, bound, extra=0, months=48):
    anliegen = make_anliegen(authority, slug, legal_basis=legal_basis)
    anliegen.longest_validity_months = months
    anliegen.validity_bound_to = bound
    anliegen.validity_bound_extra_months = extra
    anliegen.save()
    case, _ = services.open_case(authority, person=make_person(authority, slug.title()), anliegen=anliegen, team=team)
    services.transition(case, "start_review", caseworker)
    return case


def test_a_study_title_not_beyond_the_course(authority, team, caseworker):
    case = _bound_case(authority, team, caseworker, "studium", "§ 16b AufenthG", "course", months=24)
    start, course_end = dt.date(2026, 4, 1), dt.date(2027, 9, 30)
    assert services.proposed_validity(case, start, bound_end=course_end)[1] == course_end
    assert services.proposed_validity(case, start, bound_end=dt.date(2029, 1, 1))[1] == dt.date(2028, 3, 31)
    base = {"outcome": "grant", "legal_basis": "§ 16b AufenthG", "reasoning": "Studium.", "valid_from": start}
    with pytest.raises(CaseError) as missing, translation.override("en"):
        services.draft_decision(case, caseworker, valid_to=course_end, **base)
    assert missing.value.errors == ["Give the end of the course: the validity cannot go beyond it."]
    with pytest.raises(CaseError) as beyond, translation.override("en"):
        services.draft_decision(case, caseworker, valid_to=dt.date(2027, 10, 1), bound_end_on=course_end, **base)
    assert beyond.value.errors == ["The validity cannot go beyond the end of the course (until 30.09.2027)."]
    decision = services.draft_decision(case, caseworker, valid_to=course_end, bound_end_on=course_end, **base)
    assert decision.bound_end_on == course_end and decision.valid_to == course_end


def test_a_blue_card_ends_three_months_after_the_contract_at_most_four_years(authority, team, caseworker):
    case = _bound_case(authority, team, caseworker, "blaue-karte", "§ 18g AufenthG", "contract", extra=3)
    start, contract_end = dt.date(2026, 4, 1), dt.date(2027, 11, 30)
    base = {"outcome": "grant", "legal_basis": "§ 18g AufenthG", "reasoning": "Blaue Karte.", "valid_from": start}
    with pytest.raises(CaseError) as beyond, translation.override("en"):
        services.draft_decision(case, caseworker, valid_to=dt.date(2028, 3, 1), bound_end_on=contract_end, **base)
    assert beyond.value.errors == [
        "The validity cannot go beyond the end of the employment contract (until 29.02.2028)."
    ]
    decision = services.draft_decision(
        case, caseworker, valid_to=dt.date(2028, 2, 29), bound_end_on=contract_end, **base
    )
    assert decision.valid_to == dt.date(2028, 2, 29)
    # an open-ended contract far away: the four years hold, and the error names the catalogue's cap
    with pytest.raises(CaseError) as capped, translation.override("en"):
        services.draft_decision(
            case, caseworker, valid_to=dt.date(2030, 4, 1), bound_end_on=dt.date(2035, 1, 1), **base
        )
    assert any("at most until 31.03.2030" in e for e in capped.value.errors)


def test_the_decision_form_asks_for_the_contract_end_and_proposes_the_cap(client, authority, team, caseworker):
    from willkommen.core.testing import verified_login

    case = _bound_case(authority, team, caseworker, "fachkraft", "§§ 18a, 18b AufenthG", "contract")
    verified_login(client, caseworker)
    url = f"/desk/cases/{case.pk}/decision/"
    with translation.override("en"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="bound_end_on"' in page and 'name="sponsor_title_expires_on"' not in page
    start = today()
    contract_end = start + dt.timedelta(days=400)
    response = client.post(
        url,
        {
            "outcome": "grant",
            "legal_basis": "§ 18b AufenthG",
            "reasoning": "Fachkraft.",
            "valid_from": start.isoformat(),
            "valid_to": (contract_end + dt.timedelta(days=1)).isoformat(),
            "bound_end_on": contract_end.isoformat(),
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert contract_end.strftime("%d.%m.%Y") in html  # the error names the contract's end
    assert contract_end.isoformat() in html.split('data-testid="proposed-to"')[1].split("</p>")[0]  # proposed
    assert not case.decisions.exists()
    study = _bound_case(authority, team, caseworker, "studium", "§ 16b AufenthG", "")
    assert 'name="bound_end_on"' not in client.get(f"/desk/cases/{study.pk}/decision/").content.decode()
