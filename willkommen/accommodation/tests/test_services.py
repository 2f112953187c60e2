"""Placing, moving and moving out: capacity is never exceeded, one open placement per person, dates
checked, every change audited; the selectors count and list only this authority's current residents."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from willkommen.accommodation import selectors, services
from willkommen.accommodation.models import Placement
from willkommen.audit.models import AuditEntry

from .conftest import make_accommodation, make_person

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_place_counts_and_lists_the_resident(authority, accommodation, person, acc_staff):
    placement = services.place(authority, person, accommodation, unit=" A-104 ", placed_by=acc_staff)
    assert placement.moved_in == TODAY() and placement.moved_out is None and placement.unit == "A-104"
    assert selectors.occupancy(authority, accommodation) == 1
    assert list(selectors.current_residents(authority, accommodation)) == [person]
    assert selectors.open_placement(authority, person) == placement
    row = selectors.with_occupancy(authority).get(pk=accommodation.pk)
    assert (row.occupied, row.free) == (1, 2)
    entry = AuditEntry.objects.get(action="create", person_id=person.pk)
    assert entry.actor == acc_staff and entry.object_type == "accommodation.placement"


def test_capacity_is_never_exceeded(authority):
    small = make_accommodation(authority, "Klein", capacity=2)
    people = [make_person(authority, f"Person{i}", "X") for i in range(3)]
    services.place(authority, people[0], small)
    services.place(authority, people[1], small)
    with pytest.raises(services.AccommodationError) as refused:
        services.place(authority, people[2], small)
    assert refused.value.code == "full" and "Klein" in refused.value.message
    assert selectors.occupancy(authority, small) == 2
    assert selectors.open_placement(authority, people[2]) is None


def test_a_person_has_at_most_one_open_placement(authority, accommodation, person):
    other = make_accommodation(authority, "Lindenhof")
    services.place(authority, person, accommodation)
    with pytest.raises(services.AccommodationError) as refused:
        services.place(authority, person, other)
    assert refused.value.code == "placed" and accommodation.name in refused.value.message
    # The database refuses it too, whatever the code path.
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.create(authority=authority, person=person, accommodation=other, moved_in=TODAY())
    assert Placement.objects.filter(person=person).count() == 1


def test_a_lost_race_for_the_same_person_gets_the_clear_message(authority, accommodation, person, monkeypatch):
    """The check passes (the other request has not committed yet), the insert hits the constraint."""
    other = make_accommodation(authority, "Lindenhof")
    services.place(authority, person, other)
    original = selectors.open_placement
    calls = {"n": 0}

    def stale(authority_, person_):
        calls["n"] += 1
        return None if calls["n"] == 1 else original(authority_, person_)

    monkeypatch.setattr(selectors, "open_placement", stale)
    with pytest.raises(services.AccommodationError) as refused:
        services.place(authority, person, accommodation)
    assert refused.value.code == "placed"
    assert selectors.occupancy(authority, accommodation) == 0


def test_move_ends_the_old_stay_and_begins_the_new(authority, accommodation, person):
    other = make_accommodation(authority, "Lindenhof")
    first = services.place(authority, person, accommodation, moved_in=TODAY() - dt.timedelta(days=30))
    day = TODAY() - dt.timedelta(days=2)
    second = services.move(authority, first, other, on=day, unit="EG-2")
    first.refresh_from_db()
    assert first.moved_out == day and second.moved_in == day and second.accommodation == other
    assert selectors.occupancy(authority, accommodation) == 0 and selectors.occupancy(authority, other) == 1
    assert list(selectors.placements_of(authority, person)) == [second, first]


def test_move_into_a_full_accommodation_changes_nothing(authority, accommodation, person):
    full = make_accommodation(authority, "Voll", capacity=1)
    services.place(authority, make_person(authority, "Schon", "Da"), full)
    placement = services.place(authority, person, accommodation)
    with pytest.raises(services.AccommodationError) as refused:
        services.move(authority, placement, full)
    assert refused.value.code == "full"
    placement.refresh_from_db()
    assert placement.moved_out is None  # the old stay was not ended
    assert Placement.objects.filter(person=person).count() == 1


def test_a_room_change_in_a_full_accommodation_works(authority, person):
    full = make_accommodation(authority, "Voll", capacity=1)
    placement = services.place(authority, person, full, unit="1", moved_in=TODAY() - dt.timedelta(days=5))
    moved = services.move(authority, placement, full, unit="2")
    assert moved.unit == "2" and selectors.occupancy(authority, full) == 1


def test_move_out_frees_the_place(authority, accommodation, person):
    placement = services.place(authority, person, accommodation, moved_in=TODAY() - dt.timedelta(days=10))
    services.move_out(authority, placement)
    placement.refresh_from_db()
    assert placement.moved_out == TODAY()
    assert selectors.occupancy(authority, accommodation) == 0
    assert list(selectors.current_residents(authority, accommodation)) == []
    assert list(selectors.past_placements(authority, accommodation)) == [placement]
    with pytest.raises(services.AccommodationError) as refused:
        services.move_out(authority, placement)
    assert refused.value.code == "closed"
    with pytest.raises(services.AccommodationError):
        services.move(authority, placement, accommodation)


@pytest.mark.parametrize("days", [1, -11])
def test_dates_in_the_future_or_before_moving_in_are_refused(authority, accommodation, person, days):
    placement = services.place(authority, person, accommodation, moved_in=TODAY() - dt.timedelta(days=10))
    with pytest.raises(services.AccommodationError) as refused:
        services.move_out(authority, placement, on=TODAY() + dt.timedelta(days=days))
    assert refused.value.code == "date"
    placement.refresh_from_db()
    assert placement.moved_out is None


def test_moving_in_in_the_future_is_refused(authority, accommodation, person):
    with pytest.raises(services.AccommodationError):
        services.place(authority, person, accommodation, moved_in=TODAY() + dt.timedelta(days=1))
    assert not Placement.objects.exists()


def test_inactive_accommodation_takes_nobody(authority, person):
    closed = make_accommodation(authority, "Geschlossen", active=False)
    with pytest.raises(services.AccommodationError) as refused:
        services.place(authority, person, closed)
    assert refused.value.code == "inactive"


def test_merged_person_is_not_placed(authority, accommodation, person):
    survivor = make_person(authority, "Ahmadi", "Reza Ali")
    person.merged_into = survivor
    person.save()
    with pytest.raises(services.AccommodationError) as refused:
        services.place(authority, person, accommodation)
    assert refused.value.code == "merged"


def test_objects_of_another_authority_are_refused(authority, other_authority, accommodation, person):
    foreign = make_accommodation(other_authority, "Fremd")
    foreign_person = make_person(other_authority, "Fremd", "Person")
    with pytest.raises(ValueError):
        services.place(authority, person, foreign)
    with pytest.raises(ValueError):
        services.place(authority, foreign_person, accommodation)
    with pytest.raises(ValueError):
        services.place(other_authority, foreign_person, accommodation)
    assert not Placement.objects.exists()


def test_capacity_is_the_number_of_beds_and_follows_the_rooms(authority):
    from willkommen.accommodation.models import Accommodation, Bed

    house = services.save_accommodation(authority, Accommodation(name="Neu", capacity=4))
    assert Bed.objects.filter(accommodation=house, kind="normal").count() == 4
    house.capacity = 1  # not an entry any more: the beds decide
    services.save_accommodation(authority, house)
    house.refresh_from_db()
    assert house.capacity == 4
    services.add_room(authority, house, floor="EG", name="Iso", beds=2, kind="isolation")
    house.refresh_from_db()
    assert house.capacity == 6
    with pytest.raises(services.AccommodationError) as refused:
        services.add_room(authority, house, floor="EG", name="Iso", beds=1)
    assert refused.value.code == "room"


def test_names_are_unique_per_authority(authority, other_authority, accommodation):
    from willkommen.accommodation.models import Accommodation

    with pytest.raises(services.AccommodationError) as refused:
        services.save_accommodation(authority, Accommodation(name=accommodation.name, capacity=5))
    assert refused.value.code == "name"
    services.save_accommodation(other_authority, Accommodation(name=accommodation.name, capacity=5))


def test_selectors_see_only_this_authority(authority, other_authority, accommodation, person):
    foreign = make_accommodation(other_authority, "Fremd")
    foreign_person = make_person(other_authority, "Fremd", "Person")
    services.place(other_authority, foreign_person, foreign)
    services.place(authority, person, accommodation)
    assert [a.name for a in selectors.with_occupancy(authority)] == [accommodation.name]
    assert list(selectors.current_residents(authority, foreign)) == []
    assert list(selectors.current_residents(other_authority, foreign)) == [foreign_person]
    assert selectors.get_accommodation(authority, foreign.pk) is None
    assert selectors.open_placement(authority, foreign_person) is None


def test_current_residents_leave_out_moved_out_and_merged(authority, accommodation):
    staying = make_person(authority, "Bleibt", "Hier")
    leaving = make_person(authority, "Zieht", "Aus")
    services.place(authority, staying, accommodation, moved_in=TODAY() - dt.timedelta(days=3))
    gone = services.place(authority, leaving, accommodation, moved_in=TODAY() - dt.timedelta(days=3))
    services.move_out(authority, gone, on=TODAY() - dt.timedelta(days=1))
    assert list(selectors.current_residents(authority, accommodation)) == [staying]


def test_merging_two_residents_is_refused_not_a_server_error(authority, accommodation, client):
    """Both records of one human live somewhere: the merge would give them two open placements."""
    from willkommen.clients.services import merge
    from willkommen.core.testing import make_staff, verified_login

    first = make_person(authority, "Al-Hassan", "Mohammed")
    second = make_person(authority, "Al Hasan", "Muhammad")
    services.place(authority, first, accommodation)
    services.place(authority, second, make_accommodation(authority, "Lindenhof"))
    with pytest.raises(ValueError):
        merge(first, second)
    second.refresh_from_db()
    assert second.merged_into_id is None
    verified_login(client, make_staff(authority, "tl", role="team_lead"))
    response = client.post(f"/desk/clients/{first.pk}/merge/", {"other": second.pk})
    assert response.status_code == 400
    assert Placement.objects.filter(person=first, moved_out__isnull=True).count() == 1
    # Once one of them has moved out, the merge keeps both stays.
    services.move_out(authority, selectors.open_placement(authority, second))
    assert client.post(f"/desk/clients/{first.pk}/merge/", {"other": second.pk}).status_code == 302
    assert Placement.objects.filter(person=first).count() == 2
