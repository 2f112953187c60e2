"""'Open case' from a booking (issue 12 item 2): the desk intake comes prefilled, the case opened is linked to
the booking, a double submit opens one case, and only roles that may open cases see and use the link."""

import re
import uuid
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from willkommen.accounts.roles import Role
from willkommen.appointments import services
from willkommen.appointments.testing import applicant
from willkommen.cases.models import Case, CaseSource
from willkommen.clients.models import Person
from willkommen.core.testing import make_staff, make_team, verified_login


@pytest.fixture
def team(authority):
    from willkommen.tenancy.models import RoutingRule

    team = make_team(authority)
    RoutingRule.objects.create(authority=authority, team=team, priority=1)
    return team


@pytest.fixture
def client_person(authority):
    return Person.objects.create(
        authority=authority,
        family_name="Nachname1",
        given_names="Amina",
        date_of_birth="1990-01-01",
        email="client1@example.org",
        preferred_language="en",
    )


@pytest.fixture
def booking(authority, future_slot, client_person):
    booking, _ = services.hold(
        authority,
        slot_id=future_slot.pk,
        anliegen=future_slot.anliegen,
        applicant=applicant(1),
        terms=services.Terms(confirmed=True),
    )
    booking.person = client_person
    booking.save(update_fields=["person"])
    return booking


@pytest.fixture
def desk(client, authority, team):
    verified_login(client, make_staff(authority, "cora", role="caseworker", teams=[team]))
    return client


def _open_link(client, booking):
    page = client.get(reverse("appointments:desk-booking", args=[booking.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    marker = 'data-testid="open-case"'
    if marker not in html:
        return None
    tag = html[: html.index(marker)]
    return tag[tag.rindex('href="') + 6 :].split('"', 1)[0].replace("&amp;", "&")


def _submit(client, url, key, **extra):
    """Post the intake form as the prefilled page offers it (hidden and prefilled values kept)."""
    query = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
    data = {
        "person": query["person"],
        "idempotency_key": str(key),
        "anliegen": query["anliegen"],
        "source": query["source"],
        "received_on": query["received_on"],
        "origin": query["origin"],
        **extra,
    }
    return client.post(reverse("cases:open"), data)


@pytest.mark.django_db
def test_the_booking_link_prefills_the_intake_and_the_case_is_linked_once(desk, booking, client_person):
    url = _open_link(desk, booking)
    assert url and url.startswith(reverse("cases:open"))
    page = desk.get(url).content.decode()
    # prefilled: the person, the Anliegen chosen, way in "appointment", the origin, and the checklist questions
    assert "Nachname1" in page
    assert f'<option value="{booking.anliegen_id}" selected' in page
    assert re.search(r'value="appointment"[^>]*checked', page) and not re.search(r'value="counter"[^>]*checked', page)
    assert f'value="booking:{booking.pk}"' in page
    assert 'name="q_married"' in page

    key = uuid.uuid4()
    first = _submit(desk, url, key, q_married="yes", q_minor="no")
    second = _submit(desk, url, key, q_married="yes", q_minor="no")
    assert first.status_code == second.status_code == 302
    case = Case.objects.get(person=client_person)
    assert case.source == CaseSource.APPOINTMENT and case.anliegen_id == booking.anliegen_id
    assert case.answers == {"married": True, "minor": False}  # stored as online applications store them
    booking.refresh_from_db()
    assert booking.case_id == case.pk
    notes = list(case.timeline.filter(data__origin=f"booking:{booking.pk}"))
    assert len(notes) == 1 and booking.reference in notes[0].text
    # linked: the booking page shows the case instead of the link
    assert _open_link(desk, booking) is None
    assert case.number in desk.get(reverse("appointments:desk-booking", args=[booking.pk])).content.decode()


@pytest.mark.django_db
def test_the_answers_given_when_booking_are_preselected_and_stored_once_sent(desk, booking, client_person):
    booking.answers = {"married": True, "minor": False}
    booking.save(update_fields=["answers"])
    url = _open_link(desk, booking)
    assert "q_married=yes" in url and "q_minor=no" in url
    page = desk.get(url).content.decode()
    married = page.split('id="q_married"')[1].split("</select>")[0]
    minor = page.split('id="q_minor"')[1].split("</select>")[0]
    assert re.search(r'value="yes"\s+selected', married) and not re.search(r'value="no"\s+selected', married)
    assert re.search(r'value="no"\s+selected', minor) and not re.search(r'value="yes"\s+selected', minor)
    # the caseworker sends what the form shows (here: as carried); a carried answer is checked like any other
    assert _submit(desk, url, uuid.uuid4(), q_married="yes", q_minor="no").status_code == 302
    assert Case.objects.get(person=client_person).answers == {"married": True, "minor": False}
    # nonsense in the link is only a preselection that matches no option: the page still answers 200
    assert desk.get(url.replace("q_married=yes", "q_married=" + "x" * 500)).status_code == 200


@pytest.mark.django_db
def test_a_booking_linked_to_another_case_refuses_a_second_case(desk, booking, client_person):
    url = _open_link(desk, booking)
    assert _submit(desk, url, uuid.uuid4()).status_code == 302
    again = _submit(desk, url, uuid.uuid4())  # another form (a second tab): a second case would be a duplicate
    assert again.status_code == 400
    assert Case.objects.filter(person=client_person).count() == 1


@pytest.mark.django_db
def test_a_wrong_answer_or_origin_is_a_400_and_opens_nothing(desk, booking, client_person):
    url = _open_link(desk, booking)
    assert _submit(desk, url, uuid.uuid4(), q_married="perhaps").status_code == 400
    assert _submit(desk, url, uuid.uuid4(), q_unknown="yes").status_code == 400
    assert _submit(desk, url, uuid.uuid4(), origin="booking:999999").status_code == 400
    assert _submit(desk, url, uuid.uuid4(), origin="nothing:1").status_code == 400
    assert _submit(desk, url, uuid.uuid4(), origin="booking:x; drop").status_code == 400
    assert not Case.objects.exists()
    booking.refresh_from_db()
    assert booking.case_id is None


@pytest.mark.django_db
def test_another_authoritys_booking_cannot_be_linked(desk, other_authority, booking, client_person):
    from willkommen.appointments.models import Slot
    from willkommen.appointments.testing import make_offer

    offer = make_offer(other_authority)
    slot = Slot.objects.filter(authority=other_authority).order_by("-starts_at").first()
    foreign, _ = services.hold(
        other_authority,
        slot_id=slot.pk,
        anliegen=offer.anliegen,
        applicant=applicant(2),
        terms=services.Terms(confirmed=True),
    )
    url = _open_link(desk, booking)
    assert _submit(desk, url, uuid.uuid4(), origin=f"booking:{foreign.pk}").status_code == 400
    assert not Case.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r.value for r in Role])
def test_the_link_per_role(client, authority, team, booking, role):
    user = make_staff(authority, f"u-{role}", role=role, teams=[team])
    verified_login(client, user)
    if not user.can("appointments.manage"):
        assert client.get(reverse("appointments:desk-booking", args=[booking.pk])).status_code == 403
        return
    url = _open_link(client, booking)
    if user.can("cases.open"):
        assert url
        assert client.get(url).status_code == 200
    else:
        assert url is None
        forged = f"{reverse('cases:open')}?person={booking.person_id}&origin=booking:{booking.pk}"
        assert client.get(forged).status_code == 403
