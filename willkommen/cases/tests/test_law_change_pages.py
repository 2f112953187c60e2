"""The office's changes in the law (capability ``office.setup``): per role, scoped to the authority, bad
input refused, open drafts on the legal basis shown and their need for approval updated, changes audited."""

import datetime as dt

import pytest

from willkommen.accounts.roles import Role
from willkommen.audit.models import AuditEntry
from willkommen.cases import services
from willkommen.cases.models import LegalChange
from willkommen.core.testing import make_staff, verified_login

HOLDERS = {Role.HEAD_OF_OFFICE, Role.ADMINISTRATOR}


@pytest.fixture
def change(authority):
    return LegalChange.objects.create(authority=authority, legal_basis="§ 16b AufenthG", changed_on=dt.date.today())


@pytest.fixture
def draft(open_a_case, caseworker):
    case = open_a_case()
    case.assignee = caseworker
    case.save()
    services.transition(case, "start_review", caseworker)
    start, end = services.proposed_validity(case)
    return services.draft_decision(
        case, caseworker, outcome="grant", legal_basis="§ 16b AufenthG", reasoning="ok", valid_from=start, valid_to=end
    )


def _sign_in(client, authority, role):
    verified_login(client, make_staff(authority, f"r-{role}", role=role))


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_pages_once_per_role(client, authority, change, role):
    _sign_in(client, authority, role)
    expected = 200 if role in HOLDERS else 403
    for path in ("/desk/cases/law-changes/", "/desk/cases/law-changes/new/", f"/desk/cases/law-changes/{change.pk}/"):
        assert client.get(path).status_code == expected, path


def test_another_authoritys_change_is_not_found(client, authority, other_authority):
    theirs = LegalChange.objects.create(authority=other_authority, legal_basis="§ 18a", changed_on=dt.date.today())
    _sign_in(client, authority, "head_of_office")
    assert client.get(f"/desk/cases/law-changes/{theirs.pk}/").status_code == 404
    assert client.post(f"/desk/cases/law-changes/{theirs.pk}/", {"note": "x"}).status_code == 404
    assert "§ 18a" not in client.get("/desk/cases/law-changes/").content.decode()


@pytest.mark.parametrize(
    "data", [{"legal_basis": "  ", "changed_on": "2026-01-01"}, {"legal_basis": "§ 16b", "changed_on": "31.02.x"}]
)
def test_bad_input_is_refused_and_nothing_is_recorded(client, authority, data):
    _sign_in(client, authority, "head_of_office")
    response = client.post("/desk/cases/law-changes/new/", data)
    assert response.status_code == 400 and b"kern-error" in response.content
    assert not LegalChange.objects.exists() and not AuditEntry.objects.filter(purpose="office set-up").exists()


def test_a_new_change_makes_the_open_draft_need_a_second_pair_of_eyes(client, authority, draft):
    assert not draft.needs_approval
    _sign_in(client, authority, "head_of_office")
    response = client.post(
        "/desk/cases/law-changes/new/",
        {"legal_basis": "§ 16b  AufenthG", "changed_on": dt.date.today().isoformat(), "note": "Neue Fassung"},
    )
    change = LegalChange.objects.get()
    assert response.status_code == 302 and change.legal_basis == "§ 16b AufenthG"
    draft.refresh_from_db()
    assert draft.needs_approval and "legal_basis_changed" in draft.approval_reasons
    page = client.get(f"/desk/cases/law-changes/{change.pk}/").content.decode()
    assert draft.case.number in page
    entry = AuditEntry.objects.get(purpose="office set-up", object_type="cases.legalchange")
    assert entry.action == "create" and "Neue Fassung" in entry.detail


def test_an_old_change_concerns_no_draft(client, authority, draft, settings):
    settings.CASES_LEGAL_CHANGE_REVIEW_DAYS = 30
    old = dt.date.today() - dt.timedelta(days=31)
    change = LegalChange.objects.create(authority=authority, legal_basis="§ 16b AufenthG", changed_on=old)
    _sign_in(client, authority, "administrator")
    assert draft.case.number not in client.get(f"/desk/cases/law-changes/{change.pk}/").content.decode()


def test_an_edit_shows_old_and_new_in_the_history(client, authority, change):
    _sign_in(client, authority, "administrator")
    data = {"legal_basis": change.legal_basis, "changed_on": change.changed_on.isoformat(), "note": "Übergangsfrist"}
    assert client.post(f"/desk/cases/law-changes/{change.pk}/", data).status_code == 302
    change.refresh_from_db()
    assert change.note == "Übergangsfrist"
    history = client.get("/desk/office/history/").content.decode()
    assert "– → Übergangsfrist" in history and "§ 16b AufenthG" in history
