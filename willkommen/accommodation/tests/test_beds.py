"""Beds as rows: kinds, blocking, the emergency reserve, households kept together, isolation and
quarantine episodes that end by themselves, the supplies checklist and the occupancy figures."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from willkommen.accommodation import selectors, services
from willkommen.accommodation.models import Accommodation, Bed, IsolationEpisode, Placement, SupplyCheck
from willkommen.audit.models import AuditEntry

from .conftest import make_person

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def house(authority, name="GU Nord", normal=2, isolation=0, quarantine=0, reserve=0):
    """An accommodation with one room of ``normal`` beds and rooms of the other kinds."""
    made = services.save_accommodation(authority, Accommodation(name=name, capacity=normal))
    for kind, count in (("isolation", isolation), ("quarantine", quarantine), ("reserve", reserve)):
        if count:
            services.add_room(authority, made, floor="EG", name=kind, beds=count, kind=kind)
    return made


def figures(authority, accommodation):
    return selectors.occupancy_row(selectors.with_occupancy(authority, pk=accommodation.pk).get())


def test_a_placement_takes_a_normal_bed_and_one_bed_holds_one_open_placement(authority):
    home = house(authority, normal=1, reserve=1)
    first = services.place(authority, make_person(authority, "A", "A"), home)
    assert first.bed.kind == "normal" and first.unit == str(first.bed)
    with pytest.raises(services.AccommodationError) as refused:
        services.place(authority, make_person(authority, "B", "B"), home)
    assert refused.value.code == "full"  # the reserve bed is not for a normal placement
    with pytest.raises(IntegrityError), transaction.atomic():  # the database's own guard
        Placement.objects.create(
            authority=authority,
            person=make_person(authority, "C", "C"),
            accommodation=home,
            bed=first.bed,
            moved_in=TODAY(),
        )


def test_a_chosen_bed_must_be_free_normal_and_unblocked(authority):
    home = house(authority, normal=2, isolation=1)
    beds = list(Bed.objects.filter(accommodation=home).order_by("pk"))
    normal, spare, isolation = beds
    services.block_bed(authority, spare, reason="Wasserschaden")
    for bed in (spare, isolation):
        with pytest.raises(services.AccommodationError) as refused:
            services.place(authority, make_person(authority, "X", bed.label), home, bed=bed)
        assert refused.value.code == "bed"
    placed = services.place(authority, make_person(authority, "Y", "Y"), home, bed=normal)
    assert placed.bed == normal
    with pytest.raises(services.AccommodationError):
        services.block_bed(authority, normal, reason="Umbau")  # somebody sleeps in it
    with pytest.raises(services.AccommodationError):
        services.block_bed(authority, isolation, reason="  ")  # no reason
    assert figures(authority, home) == {
        "beds": 3,
        "occupied": 1,
        "normal_free": 0,
        "reserve_free": 0,
        "isolation_free": 1,
        "blocked": 1,
    }
    services.unblock_bed(authority, spare)
    assert figures(authority, home)["normal_free"] == 1


def test_a_household_gets_one_room_when_one_fits(authority):
    home = house(authority, normal=2)  # room "1": two beds
    services.add_room(authority, home, floor="1", name="Familie", beds=4)
    services.add_room(authority, home, floor="1", name="Gross", beds=6)
    family = [make_person(authority, "Haddad", name) for name in ("Nour", "Amira", "Sami")]
    placements = services.place_household(authority, family, home)
    rooms = {p.bed.room.name for p in placements}
    assert rooms == {"Familie"}  # the smallest room with enough free beds, not split, not the big one
    couple = [make_person(authority, "Kovalenko", name) for name in ("Olena", "Taras")]
    assert {p.bed.room.name for p in services.place_household(authority, couple, home)} == {"1"}


def test_a_household_is_split_only_when_no_room_fits_and_refused_when_too_big(authority):
    home = house(authority, normal=2)
    services.add_room(authority, home, name="2", beds=2)
    family = [make_person(authority, "F", str(i)) for i in range(3)]
    placements = services.place_household(authority, family, home)
    assert len({p.bed.room_id for p in placements}) == 2
    with pytest.raises(services.AccommodationError) as refused:
        services.place_household(authority, [make_person(authority, "G", str(i)) for i in range(2)], home)
    assert refused.value.code == "full"
    assert Placement.objects.filter(person__family_name="G").count() == 0  # all or nobody


def test_isolation_moves_the_resident_and_back_at_the_end(authority, acc_staff):
    home = house(authority, normal=2, isolation=1)
    person = make_person(authority)
    stay = services.place(authority, person, home, moved_in=TODAY() - dt.timedelta(days=10))
    home_bed = stay.bed
    episode = services.isolate(
        authority,
        stay,
        kind="isolation",
        reason="positiver Test",
        planned_end=TODAY() + dt.timedelta(days=5),
        actor=acc_staff,
    )
    assert episode.bed.kind == "isolation" and episode.home_bed == home_bed
    assert selectors.open_placement(authority, person).bed == episode.bed
    assert list(selectors.active_episodes(authority)) == [episode]
    assert figures(authority, home)["isolation_free"] == 0
    with pytest.raises(services.AccommodationError) as refused:
        services.move(authority, episode.placement, home)
    assert refused.value.code == "episode"
    ended = services.end_episode(authority, episode, actor=acc_staff)
    assert ended.ended_on == TODAY() and ended.moved_back
    assert selectors.open_placement(authority, person).bed == home_bed
    assert figures(authority, home)["isolation_free"] == 1
    assert AuditEntry.objects.filter(person_id=person.pk, purpose__startswith="accommodation: isolation").count() == 2


def test_quarantine_uses_the_reserve_when_no_quarantine_bed_is_free(authority):
    home = house(authority, normal=3, reserve=1)
    stays = [services.place(authority, make_person(authority, "Q", str(i)), home) for i in range(2)]
    end = TODAY() + dt.timedelta(days=14)
    first = services.isolate(authority, stays[0], kind="quarantine", reason="Kontaktperson", planned_end=end)
    assert first.bed.kind == "reserve"
    with pytest.raises(services.AccommodationError) as refused:
        services.isolate(authority, stays[1], kind="quarantine", reason="Kontaktperson", planned_end=end)
    assert refused.value.code == "no_bed"
    with pytest.raises(services.AccommodationError):
        services.isolate(authority, stays[1], kind="quarantine", reason="x", planned_end=TODAY())


def test_an_episode_ends_by_itself_and_frees_the_bed(authority, monkeypatch):
    from willkommen.accommodation.tasks import end_due_isolations

    home = house(authority, normal=1, isolation=1)
    person = make_person(authority)
    stay = services.place(authority, person, home, moved_in=TODAY() - dt.timedelta(days=3))
    episode = services.isolate(
        authority, stay, kind="isolation", reason="Verdacht", planned_end=TODAY() + dt.timedelta(days=2)
    )
    assert end_due_isolations.call_local() == 0  # not due yet
    later = TODAY() + dt.timedelta(days=2)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    assert list(selectors.active_episodes(authority)) == []  # past its end: ended for the selectors already
    assert end_due_isolations.call_local() == 1
    episode.refresh_from_db()
    assert episode.ended_on == later
    assert selectors.open_placement(authority, person).bed == episode.home_bed
    assert figures(authority, home)["isolation_free"] == 1
    assert end_due_isolations.call_local() == 0  # idempotent


def test_an_extended_episode_does_not_end(authority, monkeypatch):
    home = house(authority, normal=1, isolation=1)
    stay = services.place(authority, make_person(authority), home)
    episode = services.isolate(
        authority, stay, kind="isolation", reason="x", planned_end=TODAY() + dt.timedelta(days=1)
    )
    services.extend_episode(authority, episode, planned_end=TODAY() + dt.timedelta(days=7))
    with pytest.raises(services.AccommodationError):
        services.extend_episode(authority, episode, planned_end=TODAY())
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY() + dt.timedelta(days=1))
    assert services.end_due_episodes() == 0
    assert [e.pk for e in selectors.active_episodes(authority)] == [episode.pk]


def test_the_resident_stays_when_no_normal_bed_is_free_at_the_end(authority):
    home = house(authority, normal=1, isolation=1)
    stay = services.place(authority, make_person(authority), home)
    episode = services.isolate(
        authority, stay, kind="isolation", reason="x", planned_end=TODAY() + dt.timedelta(days=1)
    )
    services.place(authority, make_person(authority, "Neu", "Da"), home)  # the freed normal bed is taken
    ended = services.end_episode(authority, episode)
    assert ended.ended_on == TODAY() and not ended.moved_back
    assert selectors.open_placement(authority, episode.person).bed == episode.bed


def test_the_supplies_checklist_once_a_day_with_who_and_when(authority, acc_staff):
    home = house(authority, normal=1, isolation=1)
    stay = services.place(authority, make_person(authority), home)
    episode = services.isolate(
        authority, stay, kind="isolation", reason="x", planned_end=TODAY() + dt.timedelta(days=3)
    )
    services.record_supplies(authority, episode, meals=True, medicine=False, contact=True, actor=acc_staff)
    check = services.record_supplies(
        authority, episode, meals=True, medicine=True, contact=True, note="Fieber", actor=acc_staff
    )
    assert SupplyCheck.objects.filter(episode=episode).count() == 1
    assert (check.medicine, check.done_by, check.note) == (True, acc_staff, "Fieber") and check.done_at
    with pytest.raises(services.AccommodationError):
        services.record_supplies(
            authority, episode, meals=True, medicine=True, contact=True, day=TODAY() + dt.timedelta(days=1)
        )
    services.end_episode(authority, episode)
    with pytest.raises(services.AccommodationError) as refused:
        services.record_supplies(authority, episode, meals=True, medicine=True, contact=True)
    assert refused.value.code == "ended"


def test_moving_out_during_an_episode_ends_it(authority):
    home = house(authority, normal=1, isolation=1)
    stay = services.place(authority, make_person(authority), home)
    episode = services.isolate(
        authority, stay, kind="isolation", reason="x", planned_end=TODAY() + dt.timedelta(days=3)
    )
    services.move_out(authority, episode.placement)
    episode.refresh_from_db()
    assert episode.ended_on == TODAY()
    assert IsolationEpisode.objects.filter(ended_on__isnull=True).count() == 0


def test_the_occupancy_figures_per_accommodation_in_a_constant_number_of_queries(
    authority, other_authority, django_assert_num_queries
):
    north = house(authority, "Nord", normal=3, isolation=2, quarantine=1, reserve=2)
    south = house(authority, "Süd", normal=2)
    house(other_authority, "Fremd", normal=5)
    services.place(authority, make_person(authority, "A", "1"), north)
    stay = services.place(authority, make_person(authority, "A", "2"), north)
    services.isolate(authority, stay, kind="quarantine", reason="x", planned_end=TODAY() + dt.timedelta(days=3))
    services.block_bed(authority, Bed.objects.filter(accommodation=north, kind="reserve").first(), reason="defekt")
    services.place(authority, make_person(authority, "B", "1"), south)
    with django_assert_num_queries(1):
        rows = {a.name: selectors.occupancy_row(a) for a in selectors.with_occupancy(authority)}
    assert rows == {
        "Nord": {"beds": 8, "occupied": 2, "normal_free": 2, "reserve_free": 1, "isolation_free": 2, "blocked": 1},
        "Süd": {"beds": 2, "occupied": 1, "normal_free": 1, "reserve_free": 0, "isolation_free": 0, "blocked": 0},
    }
    for i in range(5):
        house(authority, f"Mehr {i}", normal=4, isolation=1)
    with django_assert_num_queries(1):
        assert len(list(selectors.with_occupancy(authority))) == 7


def test_beds_from_the_capacity_for_accommodations_created_directly(authority):
    direct = Accommodation.objects.create(authority=authority, name="Alt", capacity=2)
    assert figures(authority, direct)["normal_free"] == 2
    services.place(authority, make_person(authority), direct)
    assert Bed.objects.filter(accommodation=direct).count() == 2
    assert figures(authority, direct) == {
        "beds": 2,
        "occupied": 1,
        "normal_free": 1,
        "reserve_free": 0,
        "isolation_free": 0,
        "blocked": 0,
    }


def test_no_supplies_after_the_planned_end_even_before_the_job(authority, monkeypatch):
    home = house(authority, normal=1, isolation=1)
    stay = services.place(authority, make_person(authority), home)
    episode = services.isolate(
        authority, stay, kind="isolation", reason="x", planned_end=TODAY() + dt.timedelta(days=1)
    )
    later = TODAY() + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    with pytest.raises(services.AccommodationError) as refused:
        services.record_supplies(authority, episode, meals=True, medicine=True, contact=True)
    assert refused.value.code == "ended"
