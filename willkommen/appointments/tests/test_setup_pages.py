"""The office's set-up pages (issue 15 item 8), each requested once per role: 200 for the holders of
``office.setup`` (head of office, administrator), 403 for everyone else, 404 for another authority's
objects; bad input re-renders with errors (400) and changes nothing; every change is audited."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.utils import timezone

from willkommen.accounts.roles import Role
from willkommen.appointments import allocation
from willkommen.appointments.booking import Terms, hold
from willkommen.appointments.models import AllocationRound, Booking, Offer, Slot
from willkommen.appointments.testing import applicant, make_offer
from willkommen.audit.models import AuditEntry
from willkommen.core import panels
from willkommen.core.testing import make_authority, make_staff, verified_login
from willkommen.tenancy.models import Closure, OpeningHours

pytestmark = pytest.mark.django_db

HOLDERS = {Role.HEAD_OF_OFFICE, Role.ADMINISTRATOR}


@pytest.fixture(autouse=True)
def _horizon(settings):
    settings.APPOINTMENTS_HORIZON_DAYS = 14


def _day():
    day = timezone.localdate() + dt.timedelta(days=3)
    while day.weekday() != 2:
        day += dt.timedelta(days=1)
    return day


@pytest.fixture
def world(authority):
    offer = make_offer(authority, workstations=2)
    slot = Slot.objects.filter(authority=authority, starts_at__date=_day()).order_by("starts_at").first()
    booking, _token = hold(
        authority, slot_id=slot.pk, anliegen=offer.anliegen, applicant=applicant(), terms=Terms(confirmed=True)
    )
    now = timezone.now()
    round_ = AllocationRound.objects.create(
        authority=authority,
        anliegen=offer.anliegen,
        location=offer.location,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=1),
    )
    later = _day() + dt.timedelta(days=1)
    closure = Closure.objects.create(authority=authority, location=offer.location, starts_on=later, ends_on=later)
    hours = OpeningHours.objects.filter(location=offer.location).first()
    beta = make_authority("beta", "Landkreis Beta", "NW")
    foreign = make_offer(beta)
    foreign_round = AllocationRound.objects.create(
        authority=beta, anliegen=foreign.anliegen, location=foreign.location, opens_at=now, closes_at=now
    )
    return {
        "offer": offer,
        "booking": booking,
        "round": round_,
        "closure": closure,
        "hours": hours,
        "foreign": {
            "offer": foreign,
            "round": foreign_round,
            "closure": Closure.objects.create(authority=beta, starts_on=_day(), ends_on=_day()),
            "hours": OpeningHours.objects.filter(authority=beta).first(),
        },
    }


def login(client, authority, team, role):
    user = make_staff(authority, f"u-{role}", role=role, teams=[team])
    verified_login(client, user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # pages asserted in English
    return user


def _pages(world):
    loc = world["offer"].location_id
    return [
        "/desk/appointments/offers/",
        "/desk/appointments/offers/new/",
        f"/desk/appointments/offers/{world['offer'].pk}/",
        "/desk/appointments/rounds/",
        "/desk/appointments/rounds/new/",
        f"/desk/appointments/hours/?location={loc}",
        f"/desk/appointments/hours/new/?location={loc}",
        f"/desk/appointments/hours/{world['hours'].pk}/",
        "/desk/appointments/closures/",
        "/desk/appointments/closures/new/",
        f"/desk/appointments/closures/{world['closure'].pk}/",
    ]


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_set_up_page_once_per_role(client, authority, team, world, role):
    login(client, authority, team, role)
    expected = 200 if role in HOLDERS else 403
    statuses = {path: client.get(path).status_code for path in _pages(world)}
    assert statuses == dict.fromkeys(statuses, expected)
    posts = [
        f"/desk/appointments/rounds/{world['round'].pk}/run/",
        f"/desk/appointments/hours/{world['hours'].pk}/delete/",
        f"/desk/appointments/closures/{world['closure'].pk}/delete/",
    ]
    if role not in HOLDERS:
        assert {path: client.post(path).status_code for path in posts} == dict.fromkeys(posts, 403)
        assert AllocationRound.objects.get(pk=world["round"].pk).ran_at is None
        assert Closure.objects.filter(pk=world["closure"].pk).exists()


@pytest.mark.parametrize("role", sorted(HOLDERS))
def test_another_authoritys_objects_are_not_found(client, authority, team, world, role):
    login(client, authority, team, role)
    foreign = world["foreign"]
    gets = [
        f"/desk/appointments/offers/{foreign['offer'].pk}/",
        f"/desk/appointments/hours/{foreign['hours'].pk}/",
        f"/desk/appointments/hours/?location={foreign['offer'].location_id}",
        f"/desk/appointments/closures/{foreign['closure'].pk}/",
    ]
    posts = [
        f"/desk/appointments/offers/{foreign['offer'].pk}/",
        f"/desk/appointments/rounds/{foreign['round'].pk}/run/",
        f"/desk/appointments/hours/{foreign['hours'].pk}/delete/",
        f"/desk/appointments/closures/{foreign['closure'].pk}/delete/",
    ]
    assert {p: client.get(p).status_code for p in gets} == dict.fromkeys(gets, 404)
    assert {p: client.post(p, {"action": "save"}).status_code for p in posts} == dict.fromkeys(posts, 404)
    assert AllocationRound.objects.get(pk=foreign["round"].pk).ran_at is None
    assert Closure.objects.filter(pk=foreign["closure"].pk).exists()
    assert OpeningHours.objects.filter(pk=foreign["hours"].pk).exists()
    offers = [o.pk for o in Offer.objects.all()]
    listed = client.get("/desk/appointments/offers/").content.decode()
    assert f'data-offer="{world["offer"].pk}"' in listed and f'data-offer="{foreign["offer"].pk}"' not in listed
    assert len(offers) == 2


def _offer_data(**change):
    return {
        "workstations": 3,
        "invitation_places": 0,
        "urgent_places": 0,
        "reserve_release_hours": 24,
        "mode": "first_come",
        "active": "on",
        **change,
    }


def test_an_offer_change_is_previewed_then_saved_regenerated_and_audited(client, authority, team, world):
    login(client, authority, team, Role.HEAD_OF_OFFICE)
    offer, booking = world["offer"], world["booking"]
    path = f"/desk/appointments/offers/{offer.pk}/"

    shown = client.post(path, _offer_data(action="preview"))

    assert shown.status_code == 200
    page = shown.content.decode()
    assert 'id="preview"' in page and 'id="save"' in page and "places per slot: " in page
    assert Offer.objects.get(pk=offer.pk).workstations == 2  # a preview saves nothing
    assert not AuditEntry.objects.filter(object_type="appointments.offer").exists()

    saved = client.post(path, _offer_data(action="save"))

    assert saved.status_code == 302
    assert Offer.objects.get(pk=offer.pk).workstations == 3
    booking.refresh_from_db()
    assert booking.status == "confirmed" and Booking.objects.filter(slot_id=booking.slot_id).count() == 1
    assert booking.slot.public_places == 3 and booking.slot.public_taken == 1
    entry = AuditEntry.objects.get(object_type="appointments.offer", object_id=str(offer.pk))
    assert entry.action == "update" and entry.purpose == "office set-up" and entry.detail == "workstations: 2 → 3"


@pytest.mark.parametrize(
    "change",
    [{"workstations": "many"}, {"invitation_places": 3, "urgent_places": 1}, {"mode": "lottery"}, {"workstations": ""}],
)
def test_a_bad_offer_is_refused_with_errors_and_changes_nothing(client, authority, team, world, change):
    login(client, authority, team, Role.ADMINISTRATOR)
    offer = world["offer"]
    slots = list(Slot.objects.order_by("pk").values())

    response = client.post(f"/desk/appointments/offers/{offer.pk}/", _offer_data(action="save", **change))

    assert response.status_code == 400
    assert 'class="kern-error"' in response.content.decode()
    assert Offer.objects.get(pk=offer.pk).workstations == 2
    assert list(Slot.objects.order_by("pk").values()) == slots
    assert not AuditEntry.objects.filter(object_type="appointments.offer").exists()


def test_a_new_offer_is_created_once(client, authority, team, world):
    from willkommen.catalogue.testing import make_anliegen

    login(client, authority, team, Role.HEAD_OF_OFFICE)
    other = make_anliegen(authority, "family")
    data = _offer_data(action="save", anliegen=other.pk, location=world["offer"].location_id)

    assert client.post("/desk/appointments/offers/new/", data).status_code == 302
    again = client.post("/desk/appointments/offers/new/", data)

    created = Offer.objects.get(authority=authority, anliegen=other)
    assert Slot.objects.filter(anliegen=other).exists()
    assert again.status_code == 400 and Offer.objects.filter(anliegen=other).count() == 1
    assert AuditEntry.objects.get(object_type="appointments.offer", object_id=str(created.pk)).action == "create"


def test_opening_hours_are_added_changed_and_deleted_with_the_slots_following(client, authority, team, world):
    login(client, authority, team, Role.HEAD_OF_OFFICE)
    offer = world["offer"]
    saturday = timezone.localdate() + dt.timedelta(days=(5 - timezone.localdate().weekday()) % 7 or 7)
    new = f"/desk/appointments/hours/new/?location={offer.location_id}"

    bad = client.post(new, {"weekday": 5, "opens": "12:00", "closes": "09:00"})
    assert bad.status_code == 400 and not OpeningHours.objects.filter(weekday=5).exists()

    assert client.post(new, {"weekday": 5, "opens": "09:00", "closes": "10:00"}).status_code == 302
    row = OpeningHours.objects.get(location=offer.location, weekday=5)
    assert Slot.objects.filter(anliegen=offer.anliegen, starts_at__date=saturday).count() == 3
    assert (
        client.post(
            f"/desk/appointments/hours/{row.pk}/", {"weekday": 5, "opens": "09:00", "closes": "11:00"}
        ).status_code
        == 302
    )
    assert Slot.objects.filter(anliegen=offer.anliegen, starts_at__date=saturday).count() == 6
    assert client.post(f"/desk/appointments/hours/{row.pk}/delete/").status_code == 302
    assert not Slot.objects.filter(anliegen=offer.anliegen, starts_at__date=saturday).exists()
    actions = list(
        AuditEntry.objects.filter(object_type="tenancy.openinghours").order_by("pk").values_list("action", "detail")
    )
    assert [a for a, _ in actions] == ["create", "update", "delete"]
    assert "closes: 10:00 → 11:00" in actions[1][1]


def test_a_closure_keeps_the_booking_and_shows_it_to_be_moved(client, authority, team, world):
    login(client, authority, team, Role.HEAD_OF_OFFICE)
    world["closure"].delete()
    booking, day = world["booking"], _day()

    bad = client.post("/desk/appointments/closures/new/", {"starts_on": day, "ends_on": day - dt.timedelta(days=1)})
    assert bad.status_code == 400 and not Closure.objects.filter(authority=authority).exists()

    response = client.post(
        "/desk/appointments/closures/new/",
        {"location": world["offer"].location_id, "starts_on": day, "ends_on": day, "reason": "Betriebsausflug"},
        follow=True,
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "1 booking falls on the closed days" in page and 'data-bookings="1"' in page
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    assert list(Slot.objects.filter(authority=authority, starts_at__date=day).values_list("pk", flat=True)) == [
        booking.slot_id
    ]
    closure = Closure.objects.get(authority=authority)
    assert AuditEntry.objects.get(object_type="tenancy.closure", object_id=str(closure.pk)).action == "create"


def test_a_round_is_opened_and_run_once(client, authority, team, world):
    login(client, authority, team, Role.HEAD_OF_OFFICE)
    offer = world["offer"]
    now = timezone.now()
    form = {
        "anliegen": offer.anliegen_id,
        "location": offer.location_id,
        "opens_at": timezone.localtime(now).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": timezone.localtime(now + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
    }
    assert client.post("/desk/appointments/rounds/new/", form).status_code == 400  # the offer is first come
    Offer.objects.filter(pk=offer.pk).update(mode="allocation")
    assert client.post("/desk/appointments/rounds/new/", form).status_code == 302
    opened = AllocationRound.objects.filter(authority=authority).latest("pk")
    allocation.file_request(
        authority,
        opened,
        family_name="Antrag",
        given_names="",
        date_of_birth=dt.date(1985, 1, 1),
        email="a@example.org",
        language="en",
        earliest=_day(),
        latest=_day() + dt.timedelta(days=3),
        permit_expires=None,
    )

    assert client.post(f"/desk/appointments/rounds/{opened.pk}/run/").status_code == 302
    assert client.post(f"/desk/appointments/rounds/{opened.pk}/run/").status_code == 409

    opened.refresh_from_db()
    assert opened.ran_at is not None and opened.closes_at <= timezone.now()
    listed = client.get("/desk/appointments/rounds/").content.decode()
    row = listed.split(f'data-round="{opened.pk}"')[1].split("</tr>")[0]
    assert 'data-requests="1"' in row and 'data-served="1"' in row and 'data-waiting="0"' in row
    assert AuditEntry.objects.filter(object_type="appointments.allocationround", object_id=str(opened.pk)).count() == 3


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_the_office_hub_lists_the_pages_for_holders_only(authority, team, role):
    request = RequestFactory().get("/desk/office/")
    request.user = make_staff(authority, f"h-{role}", role=role, teams=[team])
    request.authority = authority

    html = panels.render("office.setup", request)

    links = ["/desk/appointments/offers/", "/desk/appointments/rounds/", "/desk/appointments/hours/"]
    if role in HOLDERS:
        assert all(link in html for link in links) and html.count('<li class="kern-card">') >= 4
    else:
        assert not any(link in html for link in links)
