"""Desk pages and API, every action once per role (caseworker, team lead, ServicePoint, head of office,
partner, a team lead of another team of the same authority, and a team lead of another authority)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from willkommen.cases import services
from willkommen.cases.workflow import Status
from willkommen.core.testing import make_staff, make_team, verified_login

from .conftest import make_anliegen, make_person

ROLES = ["caseworker", "team_lead", "servicepoint", "head_of_office", "partner", "other_team_lead", "other_authority"]


@pytest.fixture
def case_in_review(open_a_case, caseworker):
    case = open_a_case()
    case.assignee = caseworker
    case.save()
    services.transition(case, "start_review", caseworker)
    return case


@pytest.fixture
def as_role(client, authority, other_authority, team, caseworker):
    """Sign in as a member of ``role``; returns (client, url prefix). The caseworker is the case's assignee."""

    def _as(role):
        if role == "caseworker":
            user = caseworker
        elif role == "other_team_lead":  # same authority, another team: an approver, but not of this team's work
            user = make_staff(authority, "gamma-lead", role="team_lead", teams=[make_team(authority, "Team Gamma")])
        elif role == "other_authority":
            other_team = make_team(other_authority, "Team Beta")
            user = make_staff(other_authority, "beta-lead", role="team_lead", teams=[other_team])
        else:
            user = make_staff(authority, f"r-{role}", role=role, teams=[team])
        verified_login(client, user)
        prefix = "/a/beta" if role == "other_authority" else ""
        return client, prefix, user

    return _as


def _awaiting(authority, team, caseworker):
    anliegen = make_anliegen(authority, "disc", discretionary=True)
    person = make_person(authority, "Nasser")
    case, _ = services.open_case(authority, person=person, anliegen=anliegen, team=team)
    services.transition(case, "start_review", caseworker)
    start, end = services.proposed_validity(case)
    services.draft_decision(
        case,
        caseworker,
        outcome="grant",
        legal_basis=anliegen.legal_basis,
        reasoning="ok",
        valid_from=start,
        valid_to=end,
    )
    services.submit_for_approval(case, caseworker)
    return case


# action -> (method, path template, data, expected status per role)
OK_WORK = {
    "caseworker": 200,
    "team_lead": 200,
    "servicepoint": 403,
    "head_of_office": 403,
    "partner": 403,
    "other_team_lead": 404,
    "other_authority": 404,
}
REDIRECT_WORK = {**OK_WORK, "caseworker": 302, "team_lead": 302}
ACTIONS = {
    "detail": ("get", "/desk/cases/{pk}/", None, {**OK_WORK, "head_of_office": 200}),
    "note": ("post", "/desk/cases/{pk}/note/", {"text": "called"}, REDIRECT_WORK),
    "transition": ("post", "/desk/cases/{pk}/do/suspend/", {}, REDIRECT_WORK),
    "request_documents_form": ("get", "/desk/cases/{pk}/request-documents/", None, OK_WORK),
    "decision_form": ("get", "/desk/cases/{pk}/decision/", None, OK_WORK),
    "fiktion_form": ("get", "/desk/cases/{pk}/fiktion/", None, OK_WORK),
    "transfer_form": ("get", "/desk/cases/{pk}/transfer/", None, OK_WORK),
    "export": ("get", "/desk/cases/{pk}/export.json", None, OK_WORK),
    "priorities": ("post", "/desk/cases/{pk}/priorities/", {"stay_at_stake": "on"}, REDIRECT_WORK),
    "message": ("post", "/desk/cases/{pk}/message/", {"subject": "Hi", "body": "Update"}, REDIRECT_WORK),
    "api_detail": ("get", "/api/v1/cases/{pk}/", None, {**OK_WORK, "head_of_office": 200}),
    "api_timeline": ("get", "/api/v1/cases/{pk}/timeline/", None, {**OK_WORK, "head_of_office": 200}),
    "api_transition": ("post", "/api/v1/cases/{pk}/transitions/", {"name": "suspend"}, OK_WORK),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_case_action_per_role(as_role, case_in_review, role, action):
    method, path, data, expected = ACTIONS[action]
    client, prefix, _user = as_role(role)
    url = prefix + path.format(pk=case_in_review.pk)
    response = client.post(url, data) if method == "post" else client.get(url)
    assert response.status_code == expected[role], (action, role, response.status_code)
    case_in_review.refresh_from_db()
    changed = action in ("transition", "api_transition") and expected[role] < 400
    assert (case_in_review.status == Status.SUSPENDED) == changed


LIST_PAGES = {
    "queue": (
        "/desk/cases/",
        {
            "caseworker": 200,
            "team_lead": 200,
            "servicepoint": 403,
            "head_of_office": 403,
            "partner": 403,
            "other_team_lead": 200,
            "other_authority": 200,
        },
    ),
    "desk_home": (
        "/desk/",
        {
            "caseworker": 200,
            "team_lead": 200,
            "servicepoint": 200,
            "head_of_office": 200,
            "partner": 302,  # to the partner portal, their desk home (asserted below)
            "other_team_lead": 200,
            "other_authority": 200,
        },
    ),
    "team": (
        "/desk/cases/team/",
        {
            "caseworker": 403,
            "team_lead": 200,
            "servicepoint": 403,
            "head_of_office": 403,
            "partner": 403,
            "other_team_lead": 200,
            "other_authority": 200,
        },
    ),
    "approvals": (
        "/desk/cases/approvals/",
        {
            "caseworker": 403,
            "team_lead": 200,
            "servicepoint": 403,
            "head_of_office": 200,
            "partner": 403,
            "other_team_lead": 200,
            "other_authority": 200,
        },
    ),
    "api_queue": (
        "/api/v1/cases/?scope=team",
        {
            "caseworker": 200,
            "team_lead": 200,
            "servicepoint": 403,
            "head_of_office": 200,
            "partner": 403,
            "other_team_lead": 200,
            "other_authority": 200,
        },
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", list(LIST_PAGES))
def test_list_page_per_role_never_leaks_other_authority(as_role, case_in_review, role, page):
    path, expected = LIST_PAGES[page]
    client, prefix, _user = as_role(role)
    response = client.get(prefix + path)
    assert response.status_code == expected[role], (page, role, response.status_code)
    shows_case = case_in_review.number in response.content.decode()
    if role == "other_authority" or expected[role] in (302, 403):
        assert not shows_case
    if expected[role] == 302:
        assert response["Location"] == "/desk/partners/portal/"
    if page in ("queue", "desk_home", "api_queue") and role in ("caseworker", "team_lead"):
        assert shows_case
    if role == "other_team_lead":  # a case in review of another team is not theirs to see
        assert not shows_case


REVIEW = {
    "caseworker": 403,
    "team_lead": 302,
    "servicepoint": 403,
    "head_of_office": 302,
    "partner": 403,
    "other_team_lead": 302,  # four eyes: every approver of the authority, whatever the team
    "other_authority": 404,
}
API_APPROVE = {**REVIEW, "team_lead": 200, "head_of_office": 200, "other_team_lead": 200}


@pytest.mark.parametrize("role", ROLES)
def test_review_per_role(as_role, authority, team, caseworker, role):
    case = _awaiting(authority, team, caseworker)
    client, prefix, _user = as_role(role)
    response = client.post(f"{prefix}/desk/cases/{case.pk}/decision/review/", {"action": "approve", "comment": "ok"})
    assert response.status_code == REVIEW[role]
    case.refresh_from_db()
    assert (case.status == Status.DECIDED) == (REVIEW[role] == 302)


@pytest.mark.parametrize("role", ROLES)
def test_api_approve_per_role(as_role, authority, team, caseworker, role):
    case = _awaiting(authority, team, caseworker)
    client, prefix, _user = as_role(role)
    response = client.post(f"{prefix}/api/v1/cases/{case.pk}/decisions/approve/", {"comment": "ok"})
    assert response.status_code == API_APPROVE[role]


# The four-eyes review page (GET) and the notice preview, for a decision awaiting approval drafted by the
# caseworker: every approver of the authority sees it, whatever the team; nobody of another authority.
REVIEW_PAGE = {
    "caseworker": 403,  # the drafter holds no cases.approve
    "team_lead": 200,
    "servicepoint": 403,
    "head_of_office": 200,
    "partner": 403,
    "other_team_lead": 200,
    "other_authority": 404,
}
PREVIEW = {**REVIEW_PAGE, "caseworker": 200}  # the drafter may look at their own notice
DETAIL_AWAITING = {**PREVIEW}


@pytest.mark.parametrize("role", ROLES)
def test_review_page_per_role(as_role, authority, team, caseworker, role):
    from willkommen.audit.models import AuditEntry

    case = _awaiting(authority, team, caseworker)
    client, prefix, user = as_role(role)
    response = client.get(f"{prefix}/desk/cases/{case.pk}/decision/review/")
    assert response.status_code == REVIEW_PAGE[role], (role, response.status_code)
    if response.status_code == 200:
        html = response.content.decode()
        assert "ok" in html and case.number in html  # the reasoning, on the page
        assert 'value="approve"' in html
        assert f'src="/desk/cases/{case.pk}/decision/preview.pdf"' in html
        assert AuditEntry.objects.filter(actor=user, person_id=case.person_id, purpose="four-eyes review").exists()
    case.refresh_from_db()
    assert case.status == Status.AWAITING_APPROVAL  # a GET changes nothing


@pytest.mark.parametrize("role", ROLES)
def test_notice_preview_per_role(as_role, authority, team, caseworker, role):
    from willkommen.audit.models import AuditEntry

    case = _awaiting(authority, team, caseworker)
    client, prefix, user = as_role(role)
    response = client.get(f"{prefix}/desk/cases/{case.pk}/decision/preview.pdf")
    assert response.status_code == PREVIEW[role], (role, response.status_code)
    if response.status_code == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("inline")
        assert response["X-Frame-Options"] == "SAMEORIGIN"
        assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
        assert response.content.startswith(b"%PDF")
        assert AuditEntry.objects.filter(actor=user, purpose="decision notice preview").exists()
    assert not case.letters.exists()  # a preview is neither stored nor sent


@pytest.mark.parametrize("role", ROLES)
def test_case_page_awaiting_approval_per_role(as_role, authority, team, caseworker, role):
    case = _awaiting(authority, team, caseworker)
    client, prefix, _user = as_role(role)
    response = client.get(f"{prefix}/desk/cases/{case.pk}/")
    assert response.status_code == DETAIL_AWAITING[role], (role, response.status_code)
    if role == "other_team_lead":  # read-only: to review the decision, no casework
        html = response.content.decode()
        assert "/decision/review/" in html
        assert "/note/" not in html and "/message/" not in html and "/do/" not in html
        assert client.post(f"/desk/cases/{case.pk}/note/", {"text": "x"}).status_code == 404
        assert client.get(f"/desk/cases/{case.pk}/decision/").status_code == 404


def test_drafter_can_never_approve_through_page_or_api(client, authority, team, team_lead):
    case = _awaiting(authority, team, team_lead)  # a team lead drafted: they hold cases.approve
    verified_login(client, team_lead)
    page = client.get(f"/desk/cases/{case.pk}/")
    assert b'value="approve"' not in page.content
    response = client.post(f"/desk/cases/{case.pk}/decision/review/", {"action": "approve"})
    assert response.status_code == 409
    response = client.post(f"/desk/cases/{case.pk}/decision/review/", {"action": "return", "comment": "x"})
    assert response.status_code == 409
    response = client.post(f"/api/v1/cases/{case.pk}/decisions/approve/", {})
    assert response.status_code == 409
    response = client.post(f"/api/v1/cases/{case.pk}/decisions/return/", {"comment": "x"})
    assert response.status_code == 409
    response = client.post(f"/api/v1/cases/{case.pk}/transitions/", {"name": "approve"})
    assert response.status_code == 400  # approval is not a plain transition
    case.refresh_from_db()
    assert case.status == Status.AWAITING_APPROVAL
    assert services.current_decision(case).approved_by is None


def test_caseworker_of_another_team_gets_404(client, authority, case_in_review):
    other = make_team(authority, "Team L–Z")
    verified_login(client, make_staff(authority, "zoe", teams=[other]))
    assert client.get(f"/desk/cases/{case_in_review.pk}/").status_code == 404
    assert client.get(f"/api/v1/cases/{case_in_review.pk}/").status_code == 404


def test_detail_read_is_audited(staff_client, case_in_review):
    from willkommen.audit.models import AuditEntry

    staff_client.get(f"/desk/cases/{case_in_review.pk}/")
    assert AuditEntry.objects.filter(person_id=case_in_review.person_id, action="read", purpose="casework").exists()


def test_queue_orders_by_urgency_and_filters(staff_client, authority, team, caseworker, anliegen):
    def mk(name, **fields):
        person = make_person(authority, name)
        case, _ = services.open_case(authority, person=person, anliegen=anliegen, team=team)
        for key, value in fields.items():
            setattr(case, key, value)
        case.assignee = caseworker
        case.save()
        return case

    today = timezone.localdate()
    later = mk("Later", due_on=today + dt.timedelta(days=20))
    soon = mk("Soon", due_on=today + dt.timedelta(days=3))
    overdue = mk("Overdue", due_on=today - dt.timedelta(days=1))
    stake = mk("Stake", stay_at_stake=True, due_on=today + dt.timedelta(days=20))
    expiring = mk("Expiring", permit_expires_on=today + dt.timedelta(days=10), due_on=today + dt.timedelta(days=20))
    html = staff_client.get("/desk/").content.decode()
    positions = [html.index(c.number) for c in (expiring, stake, overdue, soon, later)]
    assert positions == sorted(positions)
    filtered = staff_client.get("/desk/cases/?urgency=2").content.decode()
    assert overdue.number in filtered and later.number not in filtered
    bad = staff_client.get("/desk/cases/?urgency=9")
    assert bad.status_code == 400


def test_queue_queries_do_not_grow_with_cases(staff_client, authority, team, caseworker, anliegen):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert staff_client.get("/desk/cases/?scope=team").status_code == 200
        return len(ctx.captured_queries)

    for i in range(3):
        services.open_case(authority, person=make_person(authority, f"A{i}"), anliegen=anliegen, team=team)
    count()  # the first request also looks the authority up (then kept in the process)
    few = count()
    for i in range(25):
        services.open_case(authority, person=make_person(authority, f"B{i}"), anliegen=anliegen, team=team)
    assert count() == few


def test_request_documents_page(staff_client, case_in_review, outbox):
    url = f"/desk/cases/{case_in_review.pk}/request-documents/"
    page = staff_client.get(url)
    assert page.status_code == 200
    # the Anliegen's checklist, titled in German (staff work in German), one checkbox per document
    assert list(page.context["form"].fields["items"].choices) == [
        ("passport", "Reisepass"),
        ("enrolment", "Immatrikulation"),
    ]
    assert 'value="enrolment"' in page.content.decode() and "Immatrikulation" in page.content.decode()
    bad = staff_client.post(url, {"deadline": "2000-01-01"})
    assert bad.status_code == 400 and not outbox
    deadline = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    response = staff_client.post(url, {"items": ["enrolment"], "note": "current one", "deadline": deadline})
    assert response.status_code == 302
    case_in_review.refresh_from_db()
    assert case_in_review.status == Status.DOCUMENTS_REQUESTED and outbox[0]["language"] == "ar"


def test_decision_page_validates_and_drafts(staff_client, case_in_review):
    url = f"/desk/cases/{case_in_review.pk}/decision/"
    form = staff_client.get(url)
    start, end = services.proposed_validity(case_in_review)
    assert end.isoformat() in form.content.decode()
    bad = staff_client.post(
        url,
        {
            "outcome": "grant",
            "legal_basis": "§ 16b",
            "reasoning": "x",
            "valid_from": start,
            "valid_to": start + dt.timedelta(days=30),
        },
    )
    assert bad.status_code == 400
    good = staff_client.post(
        url,
        {
            "outcome": "grant",
            "legal_basis": "§ 16b AufenthG",
            "reasoning": "fine",
            "valid_from": start,
            "valid_to": end,
        },
    )
    assert good.status_code == 302
    case_in_review.refresh_from_db()
    assert case_in_review.status == Status.DECISION_DRAFTED


def test_team_lead_bulk_reassigns(client, authority, team, team_lead, caseworker, second_caseworker, open_a_case):
    a, b = open_a_case(), open_a_case()
    verified_login(client, team_lead)
    page = client.get("/desk/cases/team/").content.decode()
    assert a.number in page and "clara".title() in page
    response = client.post("/desk/cases/team/", {"cases": [a.pk, b.pk], "assignee": second_caseworker.pk})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.assignee == second_caseworker
    bad = client.post("/desk/cases/team/", {"cases": [a.pk], "assignee": 999999})
    assert bad.status_code == 400


def test_fiktion_page_issues_certificate(staff_client, case_in_review):
    url = f"/desk/cases/{case_in_review.pk}/fiktion/"
    valid = (timezone.localdate() + dt.timedelta(days=90)).isoformat()
    data = {
        "paragraph": "81_4_1",
        "valid_until": valid,
        "id_document_type": "Reisepass",
        "id_document_number": "N1234567",
        "id_document_issuer": "Damaskus",
        "id_document_issued_on": "2022-01-10",
        "conditions": "Beschäftigung erlaubt.",
    }
    assert staff_client.post(url, {**data, "valid_until": "2001-01-01"}).status_code == 400
    assert staff_client.post(url, data).status_code == 302
    cert = case_in_review.fiktion_certificates.get()
    assert cert.serial == "F0000001"
    entry = case_in_review.person.residence_entries.get(kind="fiction")
    assert entry.document_number == "F0000001" and entry.valid_to.isoformat() == valid
    letter = case_in_review.letters.get(kind="fiktion")
    pdf = staff_client.get(f"/desk/cases/{case_in_review.pk}/letters/{letter.pk}/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("days_after_expiry,proposed", [(0, "81_4_1"), (1, "81_4_3")])
def test_certificate_form_proposes_the_paragraph_from_the_history(
    staff_client, case_in_review, days_after_expiry, proposed
):
    from willkommen.clients.services import record_residence

    arrival = timezone.localtime(case_in_review.received_at).date()
    record_residence(
        case_in_review.person,
        kind="title",
        valid_from=arrival - dt.timedelta(days=700),
        valid_to=arrival - dt.timedelta(days=days_after_expiry),
    )
    page = staff_client.get(f"/desk/cases/{case_in_review.pk}/fiktion/")
    html = page.content.decode()
    assert page.status_code == 200 and f'data-proposed="{proposed}"' in html
    assert f'value="{proposed}"' in html and f'value="{proposed}"\n' not in html
    checked = [line for line in html.split("<input") if "checked" in line and 'name="paragraph"' in line]
    assert len(checked) == 1 and f'value="{proposed}"' in checked[0]


def test_urgency_filter_matches_the_urgency_ranking(authority, team, caseworker, anliegen):
    """The indexed filter conditions select exactly the cases the SQL ranking puts at that level."""
    from willkommen.cases.selectors import queue

    today = timezone.localdate()
    variants = [
        {"permit_expires_on": today + dt.timedelta(days=5)},
        {"permit_expires_on": today + dt.timedelta(days=90), "stay_at_stake": True},
        {"due_on": today - dt.timedelta(days=2)},
        {"due_on": today + dt.timedelta(days=2)},
        {"due_on": today + dt.timedelta(days=40)},
        {"due_on": today - dt.timedelta(days=2), "status": Status.DOCUMENTS_REQUESTED},
    ]
    for i, fields in enumerate(variants):
        case, _ = services.open_case(authority, person=make_person(authority, f"U{i}"), anliegen=anliegen, team=team)
        for key, value in {"assignee": caseworker, **fields}.items():
            setattr(case, key, value)
        case.save()
    ranked = {c.pk: c.urgency for c in queue(caseworker, authority, scope="team")}
    for level in range(5):
        filtered = {c.pk for c in queue(caseworker, authority, scope="team", urgency=level)}
        assert filtered == {pk for pk, u in ranked.items() if u == level}, level
