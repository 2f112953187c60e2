"""Requests for documents (issue 15 item 4): every checklist item of the case's Anliegen by its name in the
staff member's language (never its key), with its document and verification; the required items without a
verified original preticked; the client's message names the items asked for in the client's language."""

import datetime as dt

import pytest
from django.utils import timezone

from willkommen.cases import requesting, services
from willkommen.cases.workflow import Status
from willkommen.catalogue.models import ChecklistItem, ChecklistItemText
from willkommen.catalogue.testing import make_anliegen
from willkommen.core.testing import make_staff, make_team, verified_login

ARABIC = {"passport": "جواز السفر", "scholarship": "إثبات المنحة الدراسية"}


@pytest.fixture
def study(authority):
    """passport, photo (always); marriage certificate (married); blocked account (blocked account);
    scholarship (no blocked account); parents' consent (minor); a rent contract item with no text at all."""
    anliegen = make_anliegen(authority)
    for key, title in ARABIC.items():
        ChecklistItemText.objects.create(
            authority=authority, item=anliegen.checklist_items.get(key=key), language="ar", title=title
        )
    ChecklistItem.objects.create(
        authority=authority, anliegen=anliegen, key="rent_contract_copy", document_type="rent_contract", order=50
    )
    return anliegen


@pytest.fixture
def case(authority, team, caseworker, person, study):
    case, _code = services.open_case(
        authority, person=person, anliegen=study, team=team, answers={"blocked_account": True, "married": False}
    )
    case.assignee = caseworker
    case.save()
    services.transition(case, "start_review", caseworker)
    return case


def _document(authority, person, document_type, *, verified_by=None, valid_until=None, case=None):
    from willkommen.efile.services import add_generated_document, verify_document

    document = add_generated_document(
        authority, person, b"%PDF-1.4 test", file_name=f"{document_type}.pdf", document_type=document_type, case=case
    )
    if verified_by is not None:
        verify_document(document, verified_by, valid_until=valid_until)
    return document


def url(case):
    return f"/desk/cases/{case.pk}/request-documents/"


# --- the items ------------------------------------------------------------------------------------


def test_items_by_name_with_their_state(authority, case, person, caseworker):
    passport = _document(authority, person, "passport", verified_by=caseworker)
    _document(authority, person, "photo")
    rows = {row.key: row for row in requesting.request_items(case, "de")}
    assert [row.key for row in requesting.request_items(case, "de")] == [
        "passport",
        "photo",
        "blocked_account_proof",
        "rent_contract_copy",  # no condition: applies
        "marriage_certificate",
        "scholarship",
        "parents_consent",
    ]
    assert rows["scholarship"].title == "Stipendiennachweis" and not rows["scholarship"].applies
    assert rows["rent_contract_copy"].title == "Mietvertrag"  # no text: the document type's name
    assert rows["passport"].state == requesting.VERIFIED and rows["passport"].document == passport
    assert rows["photo"].state == requesting.UNVERIFIED
    assert rows["blocked_account_proof"].state == requesting.MISSING and rows["blocked_account_proof"].document is None
    assert {key for key, row in rows.items() if row.proposed} == {
        "photo",
        "blocked_account_proof",
        "rent_contract_copy",
    }
    english = {row.key: row.title for row in requesting.request_items(case, "en")}
    assert english["scholarship"] == "Proof of scholarship" and english["rent_contract_copy"] == "Rent contract"
    assert all(row.title != row.key for row in requesting.request_items(case, "ar"))


def test_an_expired_or_optional_item(authority, case, person, caseworker, study):
    _document(authority, person, "passport", verified_by=caseworker, valid_until=timezone.localdate() - dt.timedelta(1))
    study.checklist_items.filter(key="photo").update(required=False)
    rows = {row.key: row for row in requesting.request_items(case, "de")}
    assert rows["passport"].state == requesting.EXPIRED and rows["passport"].proposed
    assert rows["photo"].state == requesting.MISSING and not rows["photo"].proposed  # optional: not preticked


def test_the_case_document_stands_for_the_item(authority, case, person, caseworker):
    _document(authority, person, "photo", verified_by=caseworker)  # an older case's photo, verified
    newer = _document(authority, person, "photo", case=case)
    [row] = [r for r in requesting.request_items(case, "de") if r.key == "photo"]
    assert row.document.case_id == case.pk and row.state == requesting.UNVERIFIED
    assert newer.is_current


def test_titles_in_the_clients_language_never_keys(case):
    passport, scholarship, rent, gone = requesting.titles(
        case, ["passport", "scholarship", "rent_contract_copy", "gone_item"], "ar"
    )
    assert (passport, scholarship) == ("جواز السفر", "إثبات المنحة الدراسية")
    assert rent not in ("rent_contract_copy", "rent_contract") and gone != "gone_item"
    assert requesting.titles(case, ["rent_contract_copy", "gone_item"], "en") == ["Rent contract", "Gone item"]


# --- the page -------------------------------------------------------------------------------------


def test_page_shows_names_states_and_preticks(staff_client, authority, case, person, caseworker):
    passport = _document(authority, person, "passport", verified_by=caseworker)
    page = staff_client.get(url(case))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Stipendiennachweis" in html and "Mietvertrag" in html
    for key in ("scholarship", "rent_contract_copy", "blocked_account_proof"):
        assert f">{key}<" not in html and f"{key}</label>" not in html  # a key is never a label
    assert 'id="id_items_blocked_account_proof" name="items" value="blocked_account_proof" checked' in html
    assert 'id="id_items_passport" name="items" value="passport">' in html  # verified: not preticked
    assert 'id="id_items_scholarship" name="items" value="scholarship">' in html  # does not apply
    assert f"/desk/efile/document/{passport.pk}/" in html and "Original geprüft" in html
    assert "kein Dokument in der Akte" in html
    english = staff_client.get(url(case), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Proof of scholarship" in english and "Rent contract" in english and "Stipendiennachweis" not in english


def test_sending_names_the_items_in_the_clients_language(staff_client, case, outbox):
    deadline = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    response = staff_client.post(url(case), {"items": ["passport", "scholarship"], "deadline": deadline})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.DOCUMENTS_REQUESTED
    [sent] = outbox
    assert sent["language"] == "ar"
    assert "جواز السفر" in sent["body"] and "إثبات المنحة الدراسية" in sent["body"]
    assert "scholarship" not in sent["body"]
    assert case.document_requests.get().items == ["passport", "scholarship"]


@pytest.mark.parametrize(
    "data",
    [
        {"items": ["no_such_item"], "deadline": "2999-01-01"},
        {"items": ["passport"], "deadline": "2000-01-01"},
        {"items": ["passport"], "deadline": "tomorrow"},
        {"deadline": "2999-01-01"},  # nothing ticked and no note
        {"items": ["passport"]},
    ],
)
def test_bad_input_changes_nothing(staff_client, case, outbox, data):
    response = staff_client.post(url(case), data)
    assert response.status_code == 400
    assert 'class="kern-error"' in response.content.decode() or "kern-alert--danger" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.IN_REVIEW and not case.document_requests.exists() and not outbox


ROLES = ["caseworker", "team_lead", "servicepoint", "head_of_office", "partner", "other_authority"]
EXPECTED = {
    "caseworker": 302,
    "team_lead": 302,
    "servicepoint": 403,
    "head_of_office": 403,
    "partner": 403,
    "other_authority": 404,
}


@pytest.mark.parametrize("role", ROLES)
def test_sending_per_role(client, authority, other_authority, team, caseworker, case, outbox, role):
    if role == "caseworker":
        user, prefix = caseworker, ""
    elif role == "other_authority":
        user, prefix = (
            make_staff(other_authority, "beta-lead", role="team_lead", teams=[make_team(other_authority)]),
            "/a/beta",
        )
    else:
        user, prefix = make_staff(authority, f"r-{role}", role=role, teams=[team]), ""
    verified_login(client, user)
    deadline = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    response = client.post(prefix + url(case), {"items": ["passport"], "deadline": deadline})
    assert response.status_code == EXPECTED[role], (role, response.status_code)
    case.refresh_from_db()
    sent = EXPECTED[role] == 302
    assert (case.status == Status.DOCUMENTS_REQUESTED) == sent and bool(outbox) == sent
