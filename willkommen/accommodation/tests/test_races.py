"""Many staff members place people at the same moment: the capacity is never exceeded and nobody gets
two places. Real threads with their own connections, so this runs on PostgreSQL only (SQLite's
in-memory test database cannot host them); the single-request rules are in test_services.py."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from willkommen.accommodation import selectors, services
from willkommen.accommodation.models import Placement

from .conftest import make_accommodation, make_person

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(jobs):
    """Run each job in its own thread, all released at once; returns (outcomes, unexpected errors)."""
    barrier = threading.Barrier(len(jobs))
    outcomes, errors = [], []

    def run(job):
        try:
            barrier.wait(timeout=20)
            try:
                outcomes.append(("ok", job()))
            except services.AccommodationError as refused:
                outcomes.append((refused.code, None))
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes, errors


def test_the_last_places_go_to_exactly_as_many_people_as_fit(authority):
    assert connection.vendor == "postgresql"
    accommodation = make_accommodation(authority, "Rennen", capacity=3)
    people = [make_person(authority, f"Person{i}", "Test") for i in range(10)]
    outcomes, errors = _race([lambda p=p: services.place(authority, p, accommodation) for p in people])
    assert not errors, errors
    assert sorted(code for code, _ in outcomes) == ["full"] * 7 + ["ok"] * 3
    assert selectors.occupancy(authority, accommodation) == 3


def test_one_person_placed_in_many_accommodations_at_once_gets_one_place(authority):
    person = make_person(authority)
    targets = [make_accommodation(authority, f"Haus {i}", capacity=5) for i in range(6)]
    outcomes, errors = _race([lambda a=a: services.place(authority, person, a) for a in targets])
    assert not errors, errors
    assert sorted(code for code, _ in outcomes) == ["ok"] + ["placed"] * 5
    assert Placement.objects.filter(person=person, moved_out__isnull=True).count() == 1


def test_moves_and_placements_together_never_overfill(authority):
    target = make_accommodation(authority, "Ziel", capacity=4)
    source = make_accommodation(authority, "Quelle", capacity=20)
    services.place(authority, make_person(authority, "Schon", "Da"), target)
    movers = [services.place(authority, make_person(authority, f"Mover{i}", "X"), source) for i in range(5)]
    newcomers = [make_person(authority, f"Neu{i}", "Y") for i in range(5)]
    jobs = [lambda p=p: services.move(authority, p, target) for p in movers]
    jobs += [lambda p=p: services.place(authority, p, target) for p in newcomers]
    outcomes, errors = _race(jobs)
    assert not errors, errors
    assert sum(1 for code, _ in outcomes if code == "ok") == 3
    assert selectors.occupancy(authority, target) == 4
    # A refused move left the person where they were: every mover still has exactly one open place.
    for mover in movers:
        assert Placement.objects.filter(person_id=mover.person_id, moved_out__isnull=True).count() == 1


def _house(authority, name, normal, isolation=0, reserve=0):
    from willkommen.accommodation.models import Accommodation

    house = services.save_accommodation(authority, Accommodation(name=name, capacity=normal))
    if isolation:
        services.add_room(authority, house, floor="EG", name="Iso", beds=isolation, kind="isolation")
    if reserve:
        services.add_room(authority, house, floor="EG", name="Reserve", beds=reserve, kind="reserve")
    return house


def test_many_placements_on_the_last_normal_bed_one_wins_and_the_reserve_stays_free(authority):
    from willkommen.accommodation.models import Bed

    house = _house(authority, "Letztes Bett", normal=2, reserve=2)
    services.place(authority, make_person(authority, "Schon", "Da"), house)
    people = [make_person(authority, f"Rennen{i}", "N") for i in range(8)]
    outcomes, errors = _race([lambda p=p: services.place(authority, p, house) for p in people])
    assert not errors, errors
    assert sorted(code for code, _ in outcomes) == ["full"] * 7 + ["ok"]
    assert not Placement.objects.filter(bed__kind="reserve", moved_out__isnull=True).exists()
    open_beds = Placement.objects.filter(accommodation=house, moved_out__isnull=True).values_list("bed", flat=True)
    assert len(set(open_beds)) == len(open_beds) == 2
    assert Bed.objects.filter(accommodation=house, kind="reserve").count() == 2


def test_many_isolations_on_the_last_isolation_bed_one_wins(authority):
    import datetime as dt

    from django.utils import timezone

    from willkommen.accommodation.models import IsolationEpisode

    house = _house(authority, "Isolation", normal=8, isolation=1)
    stays = [services.place(authority, make_person(authority, f"Iso{i}", "I"), house) for i in range(6)]
    end = timezone.localdate() + dt.timedelta(days=5)
    jobs = [lambda s=s: services.isolate(authority, s, kind="isolation", reason="x", planned_end=end) for s in stays]
    outcomes, errors = _race(jobs)
    assert not errors, errors
    assert sorted(code for code, _ in outcomes) == ["no_bed"] * 5 + ["ok"]
    assert IsolationEpisode.objects.filter(ended_on__isnull=True).count() == 1
    assert Placement.objects.filter(bed__kind="isolation", moved_out__isnull=True).count() == 1
    # the refused ones still live on their normal beds
    assert Placement.objects.filter(accommodation=house, moved_out__isnull=True).count() == 6


def test_households_placed_at_once_are_not_split_when_fitting_rooms_are_free(authority):
    house = _house(authority, "Familien", normal=1)
    for name in ("A", "B", "C"):
        services.add_room(authority, house, floor="1", name=name, beds=3)
    households = [[make_person(authority, f"Familie{h}", str(i)) for i in range(3)] for h in range(4)]
    outcomes, errors = _race([lambda h=h: services.place_household(authority, h, house) for h in households])
    assert not errors, errors
    assert sorted(code for code, _ in outcomes) == ["full"] + ["ok"] * 3
    for code, placements in outcomes:
        if code == "ok":
            assert len({p.bed.room_id for p in placements}) == 1  # one room per household
    assert selectors.occupancy(authority, house) == 9


def test_overlapping_usage_times_added_at_once_one_wins(authority):
    """Eight staff members add overlapping times to one kitchen on one day at once: exactly one is kept,
    the others are refused as overlapping (the shared room's row lock serialises them)."""
    import datetime as dt

    from willkommen.accommodation.models import UsageSlot

    accommodation = make_accommodation(authority, "GU Küchenrennen", capacity=1)
    services.add_room(authority, accommodation, floor="1", name="101", beds=1)
    kitchen = services.add_shared_room(authority, accommodation, kind="kitchen", name="Küche")

    def job(n):
        return lambda: (
            services.add_slot(
                authority, kitchen, weekday=0, starts_at=dt.time(8, n), ends_at=dt.time(10, n), floor="1"
            ).pk
        )

    outcomes, errors = _race([job(n) for n in range(8)])
    assert errors == []
    assert sorted(code for code, _ in outcomes) == ["ok"] + ["overlap"] * 7
    assert UsageSlot.objects.filter(shared_room=kitchen).count() == 1


def test_one_arrival_placed_twice_at_once_is_placed_once(authority):
    """Two staff members press "place household" for the same arrival at the same moment (with different
    persons): one household moves in, the other request is refused as closed, no bed is taken twice."""
    from willkommen.accommodation import arrivals

    house = _house(authority, "Ankunft", normal=6)
    arrival, _ = arrivals.announce(authority, reference="ZAB-R", household_size=2, expected_on=dt.date(2030, 1, 1))
    teams = [[make_person(authority, f"Ankunft{t}", str(i)) for i in range(2)] for t in range(4)]
    outcomes, errors = _race([lambda t=t: arrivals.place(authority, arrival, t, house) for t in teams])
    assert not errors, errors
    assert sorted(code for code, _ in outcomes) == ["closed"] * 3 + ["ok"]
    assert selectors.occupancy(authority, house) == 2
