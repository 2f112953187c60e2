"""Desk pages for beds and isolation: rooms and blocked beds, isolating a resident from the stay's page,
the overview, the episode page with the daily supplies; roles, tenants, bad input, double submits, audit."""

import datetime as dt

import pytest
from django.utils import timezone

from willkommen.accommodation import selectors, services
from willkommen.accommodation.models import Accommodation, Bed, IsolationEpisode, SupplyCheck
from willkommen.audit.models import AuditEntry
from willkommen.core.testing import make_staff, verified_login

from .conftest import make_person

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
BASE = "/desk/accommodation/"


@pytest.fixture
def home(authority):
    made = services.save_accommodation(authority, Accommodation(name="GU Nord", capacity=2))
    services.add_room(authority, made, floor="EG", name="Iso", beds=1, kind="isolation")
    return made


@pytest.fixture
def stay(authority, home, person):
    return services.place(authority, person, home, moved_in=TODAY() - dt.timedelta(days=5))


def isolate_data(**extra):
    return {
        "iso-kind": "isolation",
        "iso-reason": "Anordnung Gesundheitsamt",
        "iso-starts_on": TODAY().isoformat(),
        "iso-planned_end": (TODAY() + dt.timedelta(days=7)).isoformat(),
        **extra,
    }


def test_isolate_from_the_stay_page_once_even_when_sent_twice(acc_client, authority, stay, person):
    page = acc_client.get(f"{BASE}placement/{stay.pk}/")
    assert page.status_code == 200 and "iso-planned_end" in page.content.decode()
    first = acc_client.post(f"{BASE}placement/{stay.pk}/isolate/", isolate_data())
    episode = IsolationEpisode.objects.get(person=person)
    assert first.status_code == 302 and first.url == f"{BASE}isolation/{episode.pk}/"
    again = acc_client.post(f"{BASE}placement/{stay.pk}/isolate/", isolate_data())
    assert again.status_code == 302 and again.url == first.url
    assert IsolationEpisode.objects.count() == 1
    overview = acc_client.get(f"{BASE}isolation/")
    assert overview.status_code == 200 and person.family_name in overview.content.decode()
    assert AuditEntry.objects.filter(person_id=person.pk, purpose="accommodation: isolation overview").exists()
    figures = {a.name: a.figures for a in acc_client.get(BASE).context["accommodations"]}
    assert figures["GU Nord"]["isolation_free"] == 0 and figures["GU Nord"]["normal_free"] == 2


@pytest.mark.parametrize(
    "change,status",
    [
        ({"iso-planned_end": ""}, 400),
        ({"iso-planned_end": "2001-01-01"}, 400),
        ({"iso-reason": ""}, 400),
        ({"iso-kind": "urlaub"}, 400),
        ({"iso-starts_on": "\x00"}, 400),
        ({"iso-kind": "quarantine"}, 409),  # no quarantine or reserve bed in this house
    ],
)
def test_bad_isolation_requests_change_nothing(acc_client, stay, change, status):
    response = acc_client.post(f"{BASE}placement/{stay.pk}/isolate/", isolate_data(**change))
    assert response.status_code == status
    assert not IsolationEpisode.objects.exists()


def test_supplies_once_a_day_extend_and_end(acc_client, authority, stay, acc_staff):
    episode = services.isolate(
        authority, stay, kind="isolation", reason="x", planned_end=TODAY() + dt.timedelta(days=3)
    )
    url = f"{BASE}isolation/{episode.pk}/"
    assert acc_client.get(url).status_code == 200
    data = {"supplies-meals": "on", "supplies-contact": "on", "supplies-note": "Tee gebracht"}
    assert acc_client.post(f"{url}supplies/", data).status_code == 302
    assert acc_client.post(f"{url}supplies/", {**data, "supplies-medicine": "on"}).status_code == 302
    check = SupplyCheck.objects.get(episode=episode)
    assert (check.meals, check.medicine, check.contact, check.done_by) == (True, True, True, acc_staff)
    assert "Tee gebracht" in acc_client.get(url).content.decode()
    assert acc_client.post(f"{url}supplies/", {"supplies-note": "a\x00b"}).status_code == 400
    assert acc_client.post(f"{url}extend/", {"extend-planned_end": TODAY().isoformat()}).status_code == 400
    later = TODAY() + dt.timedelta(days=10)
    assert acc_client.post(f"{url}extend/", {"extend-planned_end": later.isoformat()}).status_code == 302
    episode.refresh_from_db()
    assert episode.planned_end == later
    assert acc_client.post(f"{url}end/").status_code == 302
    assert acc_client.post(f"{url}end/").status_code == 302  # a second click: nothing more happens
    episode.refresh_from_db()
    assert episode.ended_on == TODAY()
    assert selectors.open_placement(authority, stay.person).bed == stay.bed
    assert acc_client.post(f"{url}supplies/", data).status_code == 409  # ended: refused with the reason


@pytest.mark.parametrize(
    "role,read,manage",
    [("accommodation", 200, 302), ("head_of_office", 200, 403), ("caseworker", 403, 403), ("administrator", 403, 403)],
)
def test_pages_by_role(client, authority, stay, role, read, manage):
    episode = services.isolate(
        authority, stay, kind="isolation", reason="x", planned_end=TODAY() + dt.timedelta(days=3)
    )
    verified_login(client, make_staff(authority, f"u-{role}", role=role))
    assert client.get(f"{BASE}isolation/").status_code == read
    assert client.get(f"{BASE}isolation/{episode.pk}/").status_code == read
    assert client.post(f"{BASE}isolation/{episode.pk}/supplies/", {"supplies-meals": "on"}).status_code == manage
    bed = Bed.objects.filter(kind="normal").exclude(pk=episode.home_bed_id).first()
    assert client.post(f"{BASE}bed/{bed.pk}/block/", {"reason": "Umbau"}).status_code in (
        (302,) if manage == 302 else (403,)
    )


def test_another_authoritys_beds_and_episodes_answer_404(acc_client, other_authority):
    foreign = services.save_accommodation(other_authority, Accommodation(name="Fremd", capacity=1))
    services.add_room(other_authority, foreign, name="Iso", beds=1, kind="isolation")
    stay = services.place(other_authority, make_person(other_authority), foreign)
    episode = services.isolate(
        other_authority, stay, kind="isolation", reason="x", planned_end=TODAY() + dt.timedelta(days=3)
    )
    bed = Bed.objects.filter(accommodation=foreign).first()
    assert acc_client.get(f"{BASE}isolation/{episode.pk}/").status_code == 404
    assert acc_client.post(f"{BASE}isolation/{episode.pk}/end/").status_code == 404
    assert acc_client.post(f"{BASE}bed/{bed.pk}/block/", {"reason": "x"}).status_code == 404
    assert (
        acc_client.post(
            f"{BASE}{foreign.pk}/rooms/", {"room-name": "x", "room-beds": "1", "room-kind": "normal"}
        ).status_code
        == 404
    )
    assert acc_client.post(f"{BASE}placement/{episode.placement_id}/isolate/", isolate_data()).status_code == 404
    assert "Fremd" not in acc_client.get(f"{BASE}isolation/").content.decode()
    episode.refresh_from_db()
    assert episode.ended_on is None


def test_rooms_and_blocked_beds_on_the_detail_page(acc_client, authority, home):
    url = f"{BASE}{home.pk}/"
    data = {"room-floor": "1", "room-name": "101", "room-beds": "3", "room-kind": "reserve"}
    assert acc_client.post(f"{url}rooms/", data).status_code == 302
    assert acc_client.post(f"{url}rooms/", data).status_code == 409  # the same room twice: refused
    assert acc_client.post(f"{url}rooms/", {**data, "room-beds": "0"}).status_code == 400
    assert acc_client.post(f"{url}rooms/", {**data, "room-kind": "luxus"}).status_code == 400
    assert Bed.objects.filter(accommodation=home, kind="reserve").count() == 3
    bed = Bed.objects.filter(accommodation=home, kind="reserve").first()
    acc_client.post(f"{BASE}bed/{bed.pk}/block/", {"reason": ""})
    bed.refresh_from_db()
    assert not bed.blocked
    acc_client.post(f"{BASE}bed/{bed.pk}/block/", {"reason": "Wasserschaden"})
    bed.refresh_from_db()
    assert bed.blocked and bed.blocked_reason == "Wasserschaden"
    page = acc_client.get(url)
    assert "Wasserschaden" in page.content.decode()
    assert acc_client.post(f"{BASE}bed/{bed.pk}/unblock/").status_code == 302
    bed.refresh_from_db()
    assert not bed.blocked
    assert acc_client.get(f"{BASE}bed/{bed.pk}/block/").status_code == 405


def test_place_a_household_together_from_the_placing_page(acc_client, authority, home, person):
    services.add_room(authority, home, floor="1", name="Familie", beds=3)
    services.add_room(authority, home, floor="2", name="Gross", beds=6)
    partner, child = make_person(authority, "Ahmadi", "Sara"), make_person(authority, "Ahmadi", "Ali")
    url = f"{BASE}{home.pk}/place/"
    data = {"person": person.pk, "moved_in": TODAY().isoformat()}
    for bad in ("1, zwei", "99999999", "1" * 30):
        assert acc_client.post(url, {**data, "household": bad}).status_code == 400
    assert not selectors.current_placements(authority, home).exists()
    response = acc_client.post(url, {**data, "household": f"{partner.pk}; {child.pk}, {person.pk}"})
    assert response.status_code == 302
    rooms = {p.bed.room.name for p in selectors.current_placements(authority, home).select_related("bed__room")}
    assert rooms == {"Familie"}
