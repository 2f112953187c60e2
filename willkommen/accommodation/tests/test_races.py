"""Many staff members place people at the same moment: the capacity is never exceeded and nobody gets
two places. Real threads with their own connections, so this runs on PostgreSQL only (SQLite's
in-memory test database cannot host them); the single-request rules are in test_services.py."""

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
