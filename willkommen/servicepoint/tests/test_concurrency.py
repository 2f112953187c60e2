"""Two (or more) counters press "call next" at the same moment: nobody gets the same ticket."""

import threading

import pytest
from django.db import connection, connections

from willkommen.servicepoint import services


def _race(authority, location, counters=4, rounds=3):
    results = []
    errors = []
    barrier = threading.Barrier(counters)

    def counter(name):
        try:
            for _ in range(rounds):
                barrier.wait(timeout=20)
                ticket = services.call_next(authority, location, counter=name)
                if ticket is not None:
                    results.append((name, ticket.pk))
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=counter, args=(str(i),)) for i in range(counters)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def _setup(authority, n):
    from willkommen.core.testing import make_location

    from .conftest import open_always

    location = open_always(make_location(authority, "Rennen", cap=100))
    for _ in range(n):
        services.issue_ticket(authority, location, "quick_info")
    return location


def _check(results, errors, tickets):
    from willkommen.servicepoint.models import Status, Ticket

    assert not errors, errors
    called = [pk for _, pk in results]
    assert len(called) == len(set(called)), "a ticket was called to two counters"
    assert len(called) == tickets
    assert Ticket.objects.filter(status=Status.CALLED).count() == tickets


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_counters_never_get_the_same_ticket_on_postgres(authority):
    assert connection.vendor == "postgresql"
    location = _setup(authority, 10)
    results, errors = _race(authority, location, counters=4, rounds=3)
    _check(results, errors, 10)


def test_a_counter_that_loses_the_race_takes_the_next_ticket(authority, monkeypatch):
    """Runs on SQLite too (its in-memory test database cannot host real threads): counter 1 reads
    the queue, counter 2 calls the first ticket in between, counter 1 must skip it."""
    from willkommen.servicepoint import queue

    location = _setup(authority, 2)
    original = queue.ordered
    state = {"interleaved": None}

    def ordered_with_interleave(tickets, now, *args, **kwargs):
        result = original(tickets, now, *args, **kwargs)
        if state["interleaved"] is None:
            state["interleaved"] = False
            state["interleaved"] = services.call_next(authority, location, counter="2")
        return result

    monkeypatch.setattr(queue, "ordered", ordered_with_interleave)
    first = services.call_next(authority, location, counter="1")
    second = state["interleaved"]
    assert second is not None and first is not None
    assert first.pk != second.pk
    assert (second.number, first.number) == (1, 2)
    assert first.counter == "1" and second.counter == "2"
