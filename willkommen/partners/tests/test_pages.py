"""Desk pages of requests to other authorities, once per role, and what another authority sees: nothing but
the incoming requests addressed to it (and of those only the question and who it is about)."""

import datetime as dt

import pytest
from django.utils import timezone

from willkommen.audit.models import AuditEntry
from willkommen.cases.workflow import Status
from willkommen.core.testing import make_staff, make_team, verified_login
from willkommen.partners import services
from willkommen.partners.models import AuthorityRequest, RecipientType, RequestStatus

from .conftest import pdf_upload

ROLES = ["caseworker", "team_lead", "servicepoint", "head_of_office", "administrator", "partner", "other_authority"]


@pytest.fixture
def as_role(client, authority, other_authority, team, caseworker):
    def _as(role):
        if role == "caseworker":
            user = caseworker
        elif role == "other_authority":
            user = make_staff(
                other_authority, "beta-lead", role="team_lead", teams=[make_team(other_authority, "Beta")]
            )
        else:
            user = make_staff(authority, f"r-{role}", role=role, teams=[team])
        verified_login(client, user)
        return client, "/a/beta" if role == "other_authority" else "", user

    return _as


@pytest.fixture
def sent(case, caseworker):
    return services.send_request(
        case,
        caseworker,
        recipient_type=RecipientType.BAMF,
        recipient_name="BAMF Außenstelle",
        question="Stand des Asylverfahrens?",
        connector="email",
        recipient_email="bamf@example.org",
    )


OK = {"caseworker": 200, "team_lead": 200, "servicepoint": 403, "head_of_office": 403, "administrator": 403}
PAGES = {
    "outgoing": ("/desk/partners/requests/?status=all", {**OK, "partner": 403, "other_authority": 200}),
    "incoming": ("/desk/partners/incoming/", {**OK, "partner": 403, "other_authority": 200}),
    "detail": ("/desk/partners/requests/{pk}/", {**OK, "partner": 403, "other_authority": 404}),
    "new": (
        "/desk/partners/cases/{case}/request/?recipient_type=police",
        {**OK, "partner": 403, "other_authority": 404},
    ),
    "figures": (
        "/desk/partners/figures/",
        {**OK, "head_of_office": 200, "administrator": 200, "servicepoint": 403, "caseworker": 403, "partner": 403},
    ),
    "types": ("/desk/partners/types/", {r: 403 for r in ROLES} | {"administrator": 200}),
    "type_edit": ("/desk/partners/types/police/", {r: 403 for r in ROLES} | {"administrator": 200}),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", list(PAGES))
def test_page_per_role(as_role, sent, case, role, page):
    path, expected = PAGES[page]
    client, prefix, _user = as_role(role)
    response = client.get(prefix + path.format(pk=sent.pk, case=case.pk))
    status = expected.get(role, expected.get("caseworker"))
    if page == "figures" and role == "other_authority":
        status = 200  # a team lead of the other authority sees its own (empty) figures
    assert response.status_code == status, (page, role, response.status_code)
    body = response.content.decode()
    if role == "other_authority" and response.status_code == 200:
        assert case.person.family_name not in body and sent.reference not in body  # nothing of ours


@pytest.mark.parametrize("role", ROLES)
def test_answer_per_role(as_role, sent, case, role):
    client, prefix, _user = as_role(role)
    response = client.post(prefix + f"/desk/partners/requests/{sent.pk}/answer/", {"answer": "erledigt"})
    expected = {"caseworker": 302, "team_lead": 302, "other_authority": 404}.get(role, 403)
    assert response.status_code == expected, (role, response.status_code)
    sent.refresh_from_db()
    assert (sent.status == RequestStatus.ANSWERED) == (expected == 302)


def test_sending_from_the_desk_and_bad_input(as_role, case):
    client, _prefix, _user = as_role("caseworker")
    page = client.get(f"/desk/cases/{case.pk}/")
    assert f"/desk/partners/cases/{case.pk}/request/" in page.content.decode()
    form = client.get(f"/desk/partners/cases/{case.pk}/request/?recipient_type=employment_agency")
    assert form.status_code == 200 and "§ 39" in form.content.decode() and "Haddad" in form.content.decode()
    # its own button, not the cases room's "Nachforderung senden" (one msgid in two catalogs)
    assert "Anfrage an die Behörde senden" in form.content.decode() and "Nachforderung" not in form.content.decode()
    due = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    data = {
        "recipient_type": "employment_agency",
        "recipient_name": "Agentur für Arbeit",
        "connector": "email",
        "recipient_email": "",
        "question": "Zustimmung?",
        "due_on": due,
    }
    refused = client.post(f"/desk/partners/cases/{case.pk}/request/", data)
    assert refused.status_code == 400 and "E-Mail-Adresse" in refused.content.decode()
    assert not AuthorityRequest.objects.exists()
    case.refresh_from_db()
    assert case.status == Status.RECEIVED
    assert client.get(f"/desk/partners/cases/{case.pk}/request/?recipient_type=nonsense").status_code == 200  # chooser

    done = client.post(f"/desk/partners/cases/{case.pk}/request/", {**data, "recipient_email": "zav@example.org"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.WAITING_OTHER_AUTHORITY
    request = AuthorityRequest.objects.get()
    assert request.due_on.isoformat() == due
    case_page = client.get(f"/desk/cases/{case.pk}/").content.decode()
    assert request.reference in case_page  # the panel on the case page
    assert "(wartet auf andere Behörde)" in case_page  # the Federal Employment Agency's type stops the clock


def test_the_other_authority_answers_in_its_own_desk(client, case, caseworker, other_authority, beta_worker):
    request = services.send_request(
        case,
        caseworker,
        recipient_type=RecipientType.FOREIGNERS_AUTHORITY,
        to_authority=other_authority,
        question="Was enthält Ihre Akte?",
    )
    verified_login(client, beta_worker)
    listing = client.get("/a/beta/desk/partners/incoming/").content.decode()
    assert request.reference in listing and case.person.family_name in listing
    detail = client.get(f"/a/beta/desk/partners/requests/{request.pk}/")
    assert detail.status_code == 200 and "Was enthält Ihre Akte?" in detail.content.decode()
    assert client.get(f"/a/beta/desk/cases/{case.pk}/").status_code == 404  # the case itself stays ours
    assert client.get(f"/a/beta/desk/partners/cases/{case.pk}/request/").status_code == 404
    read = AuditEntry.objects.filter(authority=case.authority, person_id=case.person_id, actor=beta_worker)
    assert read.exists()  # the sending authority's log records who of the other authority read it

    response = client.post(
        f"/a/beta/desk/partners/requests/{request.pk}/answer/",
        {"answer": "Titel bis 2027.", "documents": [pdf_upload()]},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    request.refresh_from_db()
    assert case.status == Status.IN_REVIEW and request.documents.count() == 1
    again = client.post(f"/a/beta/desk/partners/requests/{request.pk}/answer/", {"answer": "nochmal"})
    assert again.status_code == 409


def test_a_caseworker_of_another_team_sees_nothing_of_the_request(client, authority, sent):
    stranger = make_staff(authority, "otto", role="caseworker", teams=[make_team(authority, "Team L–Z")])
    verified_login(client, stranger)
    assert client.get(f"/desk/partners/requests/{sent.pk}/").status_code == 404
    assert sent.reference not in client.get("/desk/partners/requests/?status=all").content.decode()
    assert client.post(f"/desk/partners/requests/{sent.pk}/answer/", {"answer": "x"}).status_code == 404


def test_the_administrator_edits_a_type(as_role, authority):
    client, _prefix, _user = as_role("administrator")
    bad = client.post("/desk/partners/types/police/", {"question": "Fragen?", "due_days": "0"})
    assert bad.status_code == 400
    ok = client.post(
        "/desk/partners/types/police/", {"question": "Erkenntnisse?", "stops_clock": "on", "due_days": "10"}
    )
    assert ok.status_code == 302
    current = services.settings_for(authority, "police")
    assert (current.question, current.stops_clock, current.due_days) == ("Erkenntnisse?", True, 10)
    assert client.get("/desk/partners/types/court/").status_code == 404
