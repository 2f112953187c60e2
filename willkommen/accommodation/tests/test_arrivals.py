"""Arrivals announced by the central reception authority (issue 19 item 6), the house's room rules
(item 1) and residents at risk (item 4): services, desk pages and the API."""

import datetime as dt

import pytest
from django.utils import timezone

from willkommen.accommodation import arrivals, risk, selectors, services
from willkommen.accommodation.models import Accommodation, Arrival, ArrivalState, Placement, RoomRule
from willkommen.audit.models import AuditEntry
from willkommen.core.testing import make_integration, make_staff, verified_login

from .conftest import make_person

pytestmark = pytest.mark.django_db
TOMORROW = dt.date.today() + dt.timedelta(days=1)
API = "/api/v1/accommodation/arrivals/"


def _house(authority, name="GU Süd", rooms=()):
    """An accommodation whose rooms are exactly ``rooms``: (name, beds, rule)."""
    house = services.save_accommodation(authority, Accommodation(name=name, capacity=1))
    services.block_bed(authority, house.beds.get(), reason="only the rooms below")
    for room, beds, rule in rooms:
        services.add_room(authority, house, floor="1", name=room, beds=beds, rule=rule)
    return house


def _woman(authority, name, born=dt.date(1990, 1, 1)):
    return make_person(authority, name, "F", sex="f", date_of_birth=born)


def _man(authority, name, born=dt.date(1990, 1, 1)):
    return make_person(authority, name, "M", sex="m", date_of_birth=born)


# --- room rules ------------------------------------------------------------------------------------


def test_a_womens_room_takes_a_mother_with_her_son_and_no_man(authority):
    house = _house(authority, rooms=[("W", 2, RoomRule.WOMEN), ("M", 2, RoomRule.MEN)])
    mother, son = _woman(authority, "Mutter"), _man(authority, "Sohn", born=dt.date.today().replace(year=2015))
    placed = services.place_household(authority, [mother, son], house)
    assert {p.bed.room.name for p in placed} == {"W"}
    man = _man(authority, "Mann")
    assert services.place(authority, man, house).bed.room.name == "M"
    # the women's room has no free bed now, the men's one: a woman is refused with the rules' reason
    with pytest.raises(services.AccommodationError) as refused:
        services.place(authority, _woman(authority, "Frau"), house)
    assert refused.value.code == "rules"


def test_a_chosen_bed_in_a_room_under_another_rule_is_refused(authority):
    house = _house(authority, rooms=[("W", 2, RoomRule.WOMEN)])
    bed = house.beds.get(room__name="W", label="1")
    with pytest.raises(services.AccommodationError) as refused:
        services.place(authority, _man(authority, "Mann"), house, bed=bed)
    assert refused.value.code == "bed"
    assert not Placement.objects.filter(bed=bed).exists()


def test_family_rooms_take_households_and_no_single_person(authority):
    house = _house(authority, rooms=[("F", 3, RoomRule.FAMILIES)])
    with pytest.raises(services.AccommodationError):
        services.place(authority, _man(authority, "Allein"), house)
    placed = services.place_household(authority, [_man(authority, "Vater"), _woman(authority, "Mutter")], house)
    assert {p.bed.room.name for p in placed} == {"F"}


def test_an_adult_of_unknown_sex_goes_to_no_single_sex_room():
    from willkommen.clients.models import Person

    unknown = Person(sex="x", date_of_birth=dt.date(1990, 1, 1))
    assert selectors.rules_for_persons([unknown]) == {RoomRule.ANY}
    # a mother with two sons on record may use the women's room; a father with his daughter may not
    mother, son, son2 = (
        Person(sex=sex, date_of_birth=born)
        for sex, born in (("f", dt.date(1985, 1, 1)), ("m", dt.date(2015, 1, 1)), ("m", dt.date(2017, 1, 1)))
    )
    assert RoomRule.WOMEN in selectors.rules_for_persons([mother, son, son2])
    father, daughter = (
        Person(sex="m", date_of_birth=dt.date(1980, 1, 1)),
        Person(sex="f", date_of_birth=dt.date(2016, 1, 1)),
    )
    assert RoomRule.WOMEN not in selectors.rules_for_persons([father, daughter])
    # from counts alone (an arrival): a man may be among them unless the minors beyond the women are all
    # the non-female members
    assert selectors.allowed_rules(size=3, women=1, minors=2) == {RoomRule.ANY, RoomRule.FAMILIES}
    assert selectors.allowed_rules(size=3, women=1, minors=3) == {RoomRule.ANY, RoomRule.WOMEN, RoomRule.FAMILIES}
    assert RoomRule.WOMEN not in selectors.allowed_rules(size=2, women=1, minors=1)  # father and daughter?
    assert selectors.allowed_rules(size=2, women=1, minors=0) == {RoomRule.ANY, RoomRule.FAMILIES}
    assert selectors.allowed_rules(size=1, women=0, minors=0) == {RoomRule.ANY, RoomRule.MEN}


# --- residents at risk -----------------------------------------------------------------------------


def test_a_resident_at_risk_gets_a_room_nobody_else_lives_in(authority):
    house = _house(authority, rooms=[("Geteilt", 2, RoomRule.ANY), ("Leer", 3, RoomRule.ANY)])
    services.place(authority, _man(authority, "Schon"), house, bed=house.beds.get(room__name="Geteilt", label="1"))
    ordinary = services.place(authority, _man(authority, "Normal"), house)
    assert ordinary.bed.room.name == "Geteilt"  # the smallest room that fits
    services.move_out(authority, ordinary)
    at_risk = _man(authority, "Schutz")
    risk.flag(authority, at_risk, category="disability", basis="consent")
    assert services.place(authority, at_risk, house).bed.room.name == "Leer"


def test_the_risk_flag_is_seen_only_by_accommodation_management_and_every_read_is_logged(authority, acc_client):
    from django.test import Client

    house = _house(authority, rooms=[("A", 2, RoomRule.ANY)])
    person = _man(authority, "Geschützt")
    stay = services.place(authority, person, house)
    url = f"/desk/accommodation/placement/{stay.pk}/"
    response = acc_client.post(f"{url}risk/", {"risk-category": "health", "risk-basis": "consent", "risk-note": "EG"})
    assert response.status_code == 302
    assert acc_client.post(f"{url}risk/", {"risk-category": "health", "risk-basis": "consent"}).status_code == 409
    assert acc_client.post(f"{url}risk/", {"risk-category": "nonsense", "risk-basis": "consent"}).status_code == 400
    page = acc_client.get(url).content.decode()
    assert 'data-testid="risk"' in page and "serious illness" in page
    assert AuditEntry.objects.filter(purpose="accommodation: needs for protection read", person_id=person.pk).exists()

    head = make_staff(authority, "chefin", role="head_of_office")
    client = Client()
    client.cookies["willkommen_language"] = "en"
    verified_login(client, head)
    page = client.get(url)
    assert page.status_code == 200  # the head of office sees the stay ...
    assert 'data-testid="risk"' not in page.content.decode() and "serious illness" not in page.content.decode()
    flag = selectors.risk_flags_of(authority, person).get()
    assert client.post(f"{url}risk/", {"risk-category": "age", "risk-basis": "consent"}).status_code == 403
    assert client.post(f"{url}risk/{flag.pk}/end/").status_code == 403
    assert acc_client.post(f"{url}risk/{flag.pk}/end/").status_code == 302
    assert selectors.risk_flags_of(authority, person).get().ended_on == timezone.localdate()
    assert not selectors.open_risk_flags(authority, [person.pk]).exists()


# --- arrivals --------------------------------------------------------------------------------------


def test_an_announcement_is_the_same_when_repeated_changes_while_open_and_is_closed_once_placed(authority):
    house = _house(authority, rooms=[("A", 4, RoomRule.ANY)])
    first, created = arrivals.announce(authority, reference="ZAB-1", household_size=2, expected_on=TOMORROW)
    again, created_again = arrivals.announce(authority, reference="ZAB-1", household_size=2, expected_on=TOMORROW)
    assert created and not created_again and again.pk == first.pk
    later = TOMORROW + dt.timedelta(days=3)
    moved, _ = arrivals.announce(authority, reference="ZAB-1", household_size=2, expected_on=later)
    assert moved.pk == first.pk and Arrival.objects.get(pk=first.pk).expected_on == later
    with pytest.raises(services.AccommodationError):
        arrivals.announce(authority, reference="ZAB-2", household_size=2, women=3, expected_on=TOMORROW)
    persons = [_man(authority, "Eins"), _man(authority, "Zwei")]
    arrivals.place(authority, first, persons, house)
    placed = Arrival.objects.get(pk=first.pk)
    assert placed.state == ArrivalState.PLACED and placed.accommodation == house
    assert placed.placements.count() == 2
    with pytest.raises(services.AccommodationError) as refused:
        arrivals.announce(authority, reference="ZAB-1", household_size=3, expected_on=later)
    assert refused.value.code == "closed"
    with pytest.raises(services.AccommodationError):
        arrivals.place(authority, first, [_man(authority, "Drei")], house)


def test_a_failed_placement_leaves_the_announcement_open(authority):
    house = _house(authority, rooms=[("A", 1, RoomRule.ANY)])
    arrival, _ = arrivals.announce(authority, reference="ZAB-9", household_size=2, expected_on=TOMORROW)
    with pytest.raises(services.AccommodationError):
        arrivals.place(authority, arrival, [_man(authority, "Eins"), _man(authority, "Zwei")], house)
    assert Arrival.objects.get(pk=arrival.pk).state == ArrivalState.ANNOUNCED
    assert not Placement.objects.filter(accommodation=house, moved_out__isnull=True).exists()


def test_proposals_serve_earlier_arrivals_first_keep_households_together_and_follow_the_rules(authority):
    _house(authority, "GU Nord", rooms=[("N1", 4, RoomRule.ANY), ("N2", 2, RoomRule.WOMEN)])
    _house(authority, "GU Ost", rooms=[("O1", 3, RoomRule.MEN), ("O2", 2, RoomRule.MEN)])
    made = [
        arrivals.announce(authority, reference=ref, household_size=size, women=w, children=c, expected_on=day)[0]
        for ref, size, w, c, day in [
            ("family", 4, 2, 2, TOMORROW),
            ("women", 2, 2, 0, TOMORROW + dt.timedelta(days=1)),
            ("men", 5, 0, 0, TOMORROW + dt.timedelta(days=2)),
            ("too-big", 4, 1, 0, TOMORROW + dt.timedelta(days=3)),
        ]
    ]
    found = selectors.proposals(authority, selectors.arrivals(authority))
    family, women, men, too_big = (found[a.pk] for a in made)
    assert (family.accommodation_name, family.rooms, family.together) == ("GU Nord", ["1 N1"], True)
    assert (women.accommodation_name, women.rooms, women.together) == ("GU Nord", ["1 N2"], True)
    assert (men.accommodation_name, sorted(men.rooms), men.together) == ("GU Ost", ["1 O1", "1 O2"], False)
    assert too_big is None  # the mixed room went to the family, the men's rooms to the men


def test_the_arrivals_desk_records_proposes_places_and_cancels(acc_client, authority):
    house = _house(authority, rooms=[("A", 3, RoomRule.ANY)])
    data = {"reference": "ZAB-77", "household_size": 2, "women": 1, "children": 1, "expected_on": TOMORROW}
    response = acc_client.post("/desk/accommodation/arrivals/new/", data)
    assert response.status_code == 302
    arrival = Arrival.objects.get(reference="ZAB-77")
    queue = acc_client.get("/desk/accommodation/arrivals/").content.decode()
    assert "ZAB-77" in queue and "GU Süd, room 1 A (together)" in queue
    bad = acc_client.post("/desk/accommodation/arrivals/new/", {**data, "children": 5})
    assert bad.status_code == 400 and "more than the household size" in bad.content.decode()
    mother, child = _woman(authority, "Mutter"), _man(authority, "Kind", born=dt.date.today().replace(year=2020))
    url = f"/desk/accommodation/arrivals/{arrival.pk}/"
    wrong = acc_client.post(f"{url}place/", {"accommodation": house.pk, "persons": "99999", "moved_in": ""})
    assert wrong.status_code == 400
    form = {"accommodation": house.pk, "persons": f"{mother.pk}, {child.pk}", "moved_in": timezone.localdate()}
    assert acc_client.post(f"{url}place/", form).status_code == 302
    assert acc_client.post(f"{url}place/", form).status_code == 302  # a second submit changes nothing
    assert Placement.objects.filter(accommodation=house, moved_out__isnull=True).count() == 2
    assert "placed" in acc_client.get(url).content.decode()
    read = AuditEntry.objects.filter(purpose="accommodation: arrival placed").values_list("person_id", flat=True)
    assert set(read) == {mother.pk, child.pk}  # the residents listed on the placed arrival's page
    other, _ = arrivals.announce(authority, reference="ZAB-78", household_size=1, expected_on=TOMORROW)
    assert acc_client.post(f"/desk/accommodation/arrivals/{other.pk}/cancel/").status_code == 302
    assert Arrival.objects.get(pk=other.pk).state == ArrivalState.CANCELLED


def test_the_arrivals_pages_follow_the_roles(client, authority, other_authority):
    arrival, _ = arrivals.announce(authority, reference="ZAB-5", household_size=1, expected_on=TOMORROW)
    foreign, _ = arrivals.announce(other_authority, reference="ZAB-5", household_size=1, expected_on=TOMORROW)
    client.cookies["willkommen_language"] = "en"
    verified_login(client, make_staff(authority, "sachb", role="caseworker"))
    assert client.get("/desk/accommodation/arrivals/").status_code == 403
    verified_login(client, make_staff(authority, "chef", role="head_of_office"))
    assert client.get("/desk/accommodation/arrivals/").status_code == 200
    assert client.get(f"/desk/accommodation/arrivals/{arrival.pk}/").status_code == 200
    assert client.get(f"/desk/accommodation/arrivals/{foreign.pk}/").status_code == 404
    assert client.post(f"/desk/accommodation/arrivals/{arrival.pk}/cancel/").status_code == 403
    assert Arrival.objects.get(pk=arrival.pk).state == ArrivalState.ANNOUNCED


def test_the_central_reception_authority_announces_through_the_api(client, authority, other_authority):
    _house(authority, rooms=[("A", 2, RoomRule.ANY)])
    _a, _t, key = make_integration(authority, {"accommodation": "write"}, acts_as="accommodation", name="ZAB")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    body = {"reference": "ZAB-2026-1", "household_size": 2, "expected_on": TOMORROW.isoformat(), "needs": "EG"}
    created = client.post(API, body, content_type="application/json", **auth)
    assert created.status_code == 201, created.content
    assert client.post(API, body, content_type="application/json", **auth).status_code == 200
    assert Arrival.objects.filter(authority=authority, reference="ZAB-2026-1").count() == 1
    bad = client.post(API, {**body, "women": 3}, content_type="application/json", **auth)
    assert bad.status_code == 400 and "women" in bad.json()["errors"]
    listed = client.get(API, **auth).json()
    assert [a["reference"] for a in listed] == ["ZAB-2026-1"]
    assert listed[0]["proposal"]["rooms"] == ["1 A"] and listed[0]["proposal"]["together"] is True
    detail = client.get(f"{API}{created.json()['id']}/", **auth)
    assert detail.status_code == 200 and detail.json()["needs"] == "EG"
    foreign, _ = arrivals.announce(other_authority, reference="X", household_size=1, expected_on=TOMORROW)
    assert client.get(f"{API}{foreign.pk}/", **auth).status_code == 404
    _a, _t, reader = make_integration(authority, {"accommodation": "read"}, acts_as="accommodation", name="Stab")
    refused = client.post(API, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {reader}")
    assert refused.status_code == 403
