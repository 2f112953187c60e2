"""'Open case' from a ServicePoint drop-off (issue 12 item 2): the intake comes prefilled with the person, way in
``servicepoint`` and the day of the drop-off; the case opened is linked to the drop-off (and names its
ticket on the timeline); a double submit opens one case; only roles that may open cases see the link."""

import re
import uuid
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse
from django.utils import timezone

from willkommen.accounts.roles import Role
from willkommen.cases.models import Case, CaseSource
from willkommen.catalogue.testing import make_anliegen
from willkommen.core.testing import make_staff, verified_login
from willkommen.servicepoint import services
from willkommen.servicepoint.models import DropOff

pytestmark = pytest.mark.django_db


@pytest.fixture
def drop_off(authority, location, person, sp_staff):
    ticket = services.issue_ticket(authority, location, "quick_info")
    return DropOff.objects.create(
        authority=authority, person=person, ticket=ticket, items=[{"title": "Pass"}], received_by=sp_staff
    )


@pytest.fixture
def anliegen(authority):
    return make_anliegen(authority, "duldung")


def _open_link(client, drop_off):
    page = client.get(reverse("servicepoint:drop_off_detail", args=[drop_off.pk]))
    assert page.status_code == 200
    match = re.search(r'href="([^"]+)" data-testid="open-case"', page.content.decode())
    return match.group(1).replace("&amp;", "&") if match else None


def _submit(client, url, anliegen, key):
    query = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
    return client.post(reverse("cases:open"), {**query, "anliegen": anliegen.pk, "idempotency_key": str(key)})


def test_the_drop_off_link_prefills_and_links_one_case(sp_client, drop_off, person, anliegen):
    url = _open_link(sp_client, drop_off)
    assert url
    page = sp_client.get(url).content.decode()
    assert "Yilmaz" in page and f'value="dropoff:{drop_off.pk}"' in page
    assert re.search(r'value="servicepoint"[^>]*checked', page)
    # the Anliegen is chosen at the desk; its checklist questions load for it
    assert 'id="pick-anliegen"' in page
    assert 'name="q_married"' in sp_client.get(f"{url}&anliegen={anliegen.pk}").content.decode()

    key = uuid.uuid4()
    first = _submit(sp_client, url, anliegen, key)
    second = _submit(sp_client, url, anliegen, key)
    assert first.status_code == second.status_code == 200  # the ServicePoint sees "Case opened", not the case
    case = Case.objects.get(person=person)
    assert case.source == CaseSource.SERVICEPOINT
    drop_off.refresh_from_db()
    assert drop_off.case_id == case.pk
    [note] = case.timeline.filter(data__origin=f"dropoff:{drop_off.pk}")
    assert drop_off.ticket.code in note.text
    assert _open_link(sp_client, drop_off) is None  # linked: no second link


def test_a_drop_off_of_another_person_is_refused(sp_client, authority, drop_off, anliegen):
    from willkommen.clients.services import create_person

    other = create_person(authority, family_name="Other", given_names="O", date_of_birth="1980-01-01")
    response = sp_client.post(
        reverse("cases:open"),
        {
            "person": other.pk,
            "source": "servicepoint",
            "received_on": drop_off.received_at.date().isoformat(),
            "origin": f"dropoff:{drop_off.pk}",
            "anliegen": anliegen.pk,
            "idempotency_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 400
    assert not Case.objects.exists()
    drop_off.refresh_from_db()
    assert drop_off.case_id is None


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_the_link_per_role(client, authority, team, drop_off, role):
    user = make_staff(authority, f"u-{role}", role=role, teams=[team])
    verified_login(client, user)
    if not user.can("efile.dropoff") and not user.can("cases.view_all"):
        # casework reads drop-offs only of persons with a case of its team (this one has none)
        assert client.get(reverse("servicepoint:drop_off_detail", args=[drop_off.pk])).status_code in (403, 404)
        return
    url = _open_link(client, drop_off)
    assert bool(url) == user.can("cases.open")
    if url:
        assert client.get(url).status_code == 200


def _png(name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .conftest import png_bytes

    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def test_the_drop_offs_documents_are_filed_under_the_case_and_on_its_timeline(
    sp_client, authority, person, sp_staff, anliegen
):
    from willkommen.cases.selectors import full_timeline
    from willkommen.efile.models import Document
    from willkommen.servicepoint.dropoff import record_drop_off

    earlier = make_anliegen(authority, "earlier")
    other_case = Case.objects.create(
        authority=authority,
        person=person,
        anliegen=earlier,
        number="2026-OTHER",
        source=CaseSource.COUNTER,
        received_at=timezone.now(),
    )
    handed_in = record_drop_off(
        authority, person, [(_png("pass.png"), "passport", "Pass"), (_png("foto.png"), "photo", "")], staff=sp_staff
    )
    elsewhere = record_drop_off(authority, person, [(_png("x.png"), "other", "")], staff=sp_staff, case=other_case)
    url = _open_link(sp_client, handed_in)
    key = uuid.uuid4()
    assert _submit(sp_client, url, anliegen, key).status_code == 200
    assert _submit(sp_client, url, anliegen, key).status_code == 200  # double submit
    case = Case.objects.exclude(pk=other_case.pk).get(person=person)
    filed = Document.objects.filter(case=case).exclude(source="letter").order_by("pk")  # not the receipt
    assert [d.pk for d in filed] == [item["document_id"] for item in handed_in.items]
    assert Document.objects.get(pk=elsewhere.items[0]["document_id"]).case_id == other_case.pk  # left alone
    documents = [e for e in full_timeline(case) if e.kind == "document"]
    assert sorted(e.data["document_id"] for e in documents) == [d.pk for d in filed]
    assert "Pass" in [e.text for e in documents]


# --- a bare walk-in ticket ------------------------------------------------------------------------


def _served_walk_in(authority, location, sp_staff):
    ticket = services.issue_ticket(authority, location, "quick_info")
    ticket = services.call_next(authority, location, counter="3", staff=sp_staff)
    services.start_service(ticket, staff=sp_staff)
    return ticket


def _ticket_link(client, location):
    session = client.session
    session["sp_counter"] = "3"
    session.save()
    page = client.get(reverse("servicepoint:desk"), {"location": location.pk})
    assert page.status_code == 200
    match = re.search(r'href="([^"]+)" data-testid="open-case"', page.content.decode())
    return match.group(1).replace("&amp;", "&") if match else None


def test_open_case_from_a_walk_in_ticket_searches_the_person_and_links_the_ticket(
    sp_client, authority, location, sp_staff, person, anliegen
):
    ticket = _served_walk_in(authority, location, sp_staff)
    url = _ticket_link(sp_client, location)
    assert url and "person=" not in url
    query = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
    assert query == {
        "source": "counter",
        "received_on": timezone.localdate(ticket.issued_at).isoformat(),
        "origin": f"ticket:{ticket.pk}",
    }
    start = sp_client.get(url).content.decode()
    assert 'name="origin" value="ticket:' in start and "Keine Person gefunden" not in start
    # the search keeps the prefill, and the person found carries it on
    found = sp_client.get(reverse("cases:open"), {**query, "q": "Yilmaz", "born": "1990-01-02"}).content.decode()
    [link] = re.findall(r'href="(\?person=[^"]+)"', found)
    form = sp_client.get(reverse("cases:open") + link.replace("&amp;", "&")).content.decode()
    assert f'value="ticket:{ticket.pk}"' in form and re.search(r'value="counter"[^>]*checked', form)

    key = uuid.uuid4()
    post = {**query, "person": person.pk, "anliegen": anliegen.pk, "idempotency_key": str(key)}
    assert sp_client.post(reverse("cases:open"), post).status_code == 200
    assert sp_client.post(reverse("cases:open"), post).status_code == 200  # double submit: one case
    case = Case.objects.get(person=person)
    assert case.source == CaseSource.COUNTER
    ticket.refresh_from_db()
    assert ticket.case_id == case.pk
    [note] = case.timeline.filter(data__origin=f"ticket:{ticket.pk}")
    assert ticket.code in note.text
    assert _ticket_link(sp_client, location) is None  # linked: no second link


def test_the_ticket_link_names_the_person_of_its_drop_off(sp_client, authority, location, sp_staff, person):
    ticket = _served_walk_in(authority, location, sp_staff)
    DropOff.objects.create(authority=authority, person=person, ticket=ticket, items=[], received_by=sp_staff)
    assert f"person={person.pk}" in _ticket_link(sp_client, location)


def test_a_ticket_of_a_booking_or_linked_elsewhere_has_no_link_and_is_refused(
    sp_client, authority, location, sp_staff, person, anliegen
):
    ticket = _served_walk_in(authority, location, sp_staff)
    other = Case.objects.create(
        authority=authority,
        person=person,
        anliegen=anliegen,
        number="2026-X",
        source=CaseSource.COUNTER,
        received_at=timezone.now(),
    )
    type(ticket).objects.filter(pk=ticket.pk).update(case=other)
    assert _ticket_link(sp_client, location) is None
    post = {
        "person": person.pk,
        "anliegen": anliegen.pk,
        "source": "counter",
        "received_on": timezone.localdate().isoformat(),
        "origin": f"ticket:{ticket.pk}",
        "idempotency_key": str(uuid.uuid4()),
    }
    assert sp_client.post(reverse("cases:open"), post).status_code == 400
    assert Case.objects.filter(person=person).count() == 1  # nothing opened
    type(ticket).objects.filter(pk=ticket.pk).update(case=None, booking_reference="ABC123")
    assert _ticket_link(sp_client, location) is None  # a booking's case is opened from the booking
