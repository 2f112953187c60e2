"""The person view, "one view of a person" (issue 15): identity and residence history from this room, and
the sections the other rooms contribute through the panel slot ``clients.person`` – cases, open requests
and deadlines, e-file, messages, letters, appointments, ServicePoint, rights-check invitations,
accommodation. Each section shows the person's items as links, leaves out what the user may not see
(another team's case, another authority's person) and is left out for roles whose capability does not
reach that room's data. One audit entry per view; a bounded number of queries."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from willkommen.audit.models import AuditEntry
from willkommen.core.testing import make_staff, verified_login
from willkommen.core.tests.world import build

ROLES = ["caseworker", "team_lead", "servicepoint", "head_of_office", "partner", "other_authority"]

SECTIONS = {
    "cases": 'id="person-cases"',
    "deadlines": 'id="person-deadlines"',
    "documents": 'id="person-documents"',
    "messages": 'id="person-messages"',
    "letters": 'id="person-letters"',
    "bookings": 'id="person-bookings"',
    "visits": 'id="person-visits"',
    "placements": 'id="person-placements"',
}


@pytest.fixture
def world(authority, other_authority, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    settings.CLAMD_SOCKET = ""
    built = build(authority, other_authority)
    from willkommen.cases.models import DocumentRequest

    for key in ("own", "other"):
        case = built[key].case
        DocumentRequest.objects.create(
            authority=authority,
            case=case,
            items=["passport", "enrolment"],
            deadline=timezone.localdate() + dt.timedelta(days=9),
            requested_at=timezone.now(),
        )
    return built


def _view(client, user, target, prefix=""):
    verified_login(client, user)
    client.cookies["willkommen_language"] = "en"
    return client.get(f"{prefix}/desk/clients/{target.person.pk}/")


def _sections(body):
    return {name for name, marker in SECTIONS.items() if marker in body}


def test_cases_section_lists_open_and_closed_cases_with_state_deadline_and_caseworker(client, world):
    from willkommen.cases import services
    from willkommen.cases.services import open_case

    own = world["own"]
    user = world.staff["caseworker"]
    own.case.assignee = user
    own.case.save()
    closed, _code = open_case(world.authority, person=own.person, anliegen=own.case.anliegen, team=world.t1)
    services.transition(closed, "withdraw", user)
    hidden, _code = open_case(world.authority, person=own.person, anliegen=own.case.anliegen, team=world.t2)
    body = _view(client, user, own).content.decode()
    section = body[body.index('id="person-cases"') : body.index("</section>", body.index('id="person-cases"'))]
    assert f'href="{reverse("cases:detail", args=[own.case.pk])}"' in section
    assert f'data-case="{own.case.number}" data-open="1"' in section
    assert f'data-case="{closed.number}" data-open="0"' in section and "withdrawn" in section
    assert "Residence permit for study" in section  # the Anliegen by its title, not its slug
    assert "received" in section and "days left" in section and user.display_name in section
    assert hidden.number not in body  # a case of another team: left out


def test_open_requests_and_deadlines_of_visible_cases_only(client, world):
    body = _view(client, world.staff["caseworker"], world["own"]).content.decode()
    assert "Request for 2 documents" in body and world["own"].case.number in body
    assert "9 days left" in body and 'data-deadline="decision"' in body
    other = _view(client, world.staff["caseworker"], world["other"]).content.decode()
    assert 'id="person-deadlines"' not in other and world["other"].case.number not in other


def test_documents_section_links_the_viewer_and_the_e_file(client, world):
    own = world["own"]
    body = _view(client, world.staff["caseworker"], own).content.decode()
    assert "Akte-own Dokument" in body
    assert reverse("efile:document", args=[own.document.pk]) in body
    assert reverse("efile:content", args=[own.document.pk]) in body  # the inline preview
    assert f'id="efile-link" href="{reverse("efile:file", args=[own.person.pk])}"' in body
    # A person of another team's work: the file is not the caseworker's, the section is left out.
    other = _view(client, world.staff["caseworker"], world["other"]).content.decode()
    assert 'id="person-documents"' not in other and "Akte-other" not in other


def test_messages_section_marks_unread_and_links_the_thread(client, world):
    own = world["own"]
    body = _view(client, world.staff["caseworker"], own).content.decode()
    assert "Eingang-own" in body and 'class="unread"' in body and "1 unread" in body
    assert f'id="thread-link" href="{reverse("messaging:desk_thread", args=[own.person.pk])}"' in body
    assert reverse("messaging:desk_thread", args=[own.person.pk]) + "#reply" in body  # "Write a message"
    own.message.refresh_from_db()
    assert own.message.read_at is None  # only opening the thread marks it read
    other = _view(client, world.staff["caseworker"], world["other"]).content.decode()
    assert 'id="person-messages"' not in other and "Eingang-other" not in other


def test_letters_section_links_the_pdf_of_the_case(client, world):
    own = world["own"]
    body = _view(client, world.staff["caseworker"], own).content.decode()
    assert "Brief-own" in body and reverse("cases:letter", args=[own.case.pk, own.letter.pk]) in body
    other = _view(client, world.staff["caseworker"], world["other"]).content.decode()
    assert "Brief-other" not in other


def test_bookings_section_for_staff_who_manage_appointments(client, world):
    own = world["own"]
    body = _view(client, world.staff["servicepoint"], own).content.decode()
    assert own.booking.reference in body and reverse("appointments:desk-booking", args=[own.booking.pk]) in body
    assert "Residence permit for study" in body
    head = _view(client, world.staff["head_of_office"], own).content.decode()
    assert 'id="person-bookings"' not in head and own.booking.reference not in head


def test_servicepoint_section_shows_tickets_and_drop_offs(client, world):
    own = world["own"]
    body = _view(client, world.staff["servicepoint"], own).content.decode()
    assert f'data-ticket="{own.ticket.pk}"' in body and own.ticket.code in body
    assert reverse("servicepoint:drop_off_detail", args=[own.drop_off.pk]) in body
    # Casework reads the drop-offs of the persons its teams handle (visibility scope CASES), not the tickets.
    caseworker = _view(client, world.staff["caseworker"], own).content.decode()
    assert 'id="person-visits"' in caseworker
    assert reverse("servicepoint:drop_off_detail", args=[own.drop_off.pk]) in caseworker
    assert f'data-ticket="{own.ticket.pk}"' not in caseworker


def test_placements_section_for_accommodation_viewers(client, world):
    own = world["own"]
    body = _view(client, world.staff["head_of_office"], own).content.decode()
    assert "Haus am See" in body and reverse("accommodation:placement", args=[own.placement.pk]) in body
    caseworker = _view(client, world.staff["caseworker"], own).content.decode()
    assert 'id="person-placements"' not in caseworker and "Haus am See" not in caseworker


EXPECTED_SECTIONS = {
    "caseworker": {"cases", "deadlines", "documents", "messages", "letters", "bookings", "visits"},
    "team_lead": {"cases", "deadlines", "documents", "messages", "letters", "bookings", "visits"},
    "servicepoint": {"bookings", "visits"},
    "head_of_office": {"cases", "deadlines", "documents", "letters", "placements", "visits"},
}
EXPECTED_STATUS = {
    "caseworker": 200,
    "team_lead": 200,
    "servicepoint": 200,
    "head_of_office": 200,
    "partner": 403,
    "other_authority": 404,
}


@pytest.mark.parametrize("role", ROLES)
def test_person_view_per_role(client, world, role):
    own = world["own"]
    if role == "other_authority":
        user = make_staff(world.other_authority, "beta-lead", role="team_lead")
        response = _view(client, user, own, prefix="/a/beta")
    else:
        response = _view(client, world.staff[role], own)
    assert response.status_code == EXPECTED_STATUS[role], role
    if response.status_code != 200:
        assert b"Eigenmann" not in response.content
        return
    body = response.content.decode()
    assert _sections(body) == EXPECTED_SECTIONS[role], role
    assert "Auslandkreis" not in body  # nothing of the other authority's person


def test_a_person_of_another_authority_is_a_404(client, world):
    response = _view(client, world.staff["caseworker"], world["foreign"])
    assert response.status_code == 404


def test_one_audit_entry_for_the_view(client, world):
    own = world["own"]
    user = world.staff["caseworker"]
    verified_login(client, user)
    before = AuditEntry.objects.count()
    assert client.get(f"/desk/clients/{own.person.pk}/").status_code == 200
    entries = list(AuditEntry.objects.order_by("pk")[before:])
    assert len(entries) == 1
    entry = entries[0]
    assert entry.action == "read" and entry.person_id == own.person.pk and entry.actor == user


def test_queries_stay_bounded_for_a_person_with_many_cases_and_documents(client, world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from willkommen.cases.services import open_case
    from willkommen.core.tests.world import PDF
    from willkommen.efile.services import add_generated_document

    own = world["own"]
    user = world.staff["team_lead"]
    verified_login(client, user)
    client.get(f"/desk/clients/{own.person.pk}/")  # warm: the authority's lookups are cached after the first
    with CaptureQueriesContext(connection) as one_case:
        client.get(f"/desk/clients/{own.person.pk}/")
    for n in range(6):
        case, _code = open_case(world.authority, person=own.person, anliegen=own.case.anliegen, team=world.t1)
        add_generated_document(
            world.authority, own.person, PDF, file_name=f"d{n}.pdf", document_type="passport", case=case, title=f"D{n}"
        )
    verified_login(client, user)
    with django_assert_max_num_queries(26):
        response = client.get(f"/desk/clients/{own.person.pk}/")
    assert response.status_code == 200 and response.content.count(b"data-case=") == 7
    with CaptureQueriesContext(connection) as seven_cases:
        client.get(f"/desk/clients/{own.person.pk}/")
    assert len(seven_cases) == len(one_case)  # no query per case, document or message


def test_rights_invitations_section(client, authority):
    import importlib

    from django.apps import apps

    from willkommen.catalogue import demo as catalogue_demo
    from willkommen.rights import demo, services
    from willkommen.rights.models import CheckOutcome

    importlib.import_module("willkommen.rights.migrations.0002_seed_rules").seed(apps, None)
    catalogue_demo.load(authority)
    screened = demo.load(authority)
    amal = screened["amal"]
    invitation, _sent = services.invite(
        authority, None, CheckOutcome.objects.get(check_run__person=amal, rule_key="25a")
    )
    caseworker = make_staff(authority, "rita", role="caseworker")
    verified_login(client, caseworker)
    body = client.get(f"/desk/clients/{amal.pk}/").content.decode()
    assert f'data-invitation="{invitation.pk}"' in body and reverse("rights:person", args=[amal.pk]) in body
    servicepoint = make_staff(authority, "sami", role="servicepoint")
    verified_login(client, servicepoint)
    body = client.get(f"/desk/clients/{amal.pk}/").content.decode()
    assert 'id="person-rights"' not in body  # no rights.view: left out
