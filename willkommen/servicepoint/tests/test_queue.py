"""The calling order as a pure function."""

import datetime as dt
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from willkommen.servicepoint import queue

NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def t(number, priority="walk_in", queued=0, appointment=None):
    return SimpleNamespace(
        number=number,
        priority=priority,
        queued_at=NOW + dt.timedelta(minutes=queued),
        appointment_at=None if appointment is None else NOW + dt.timedelta(minutes=appointment),
    )


def numbers(tickets, order=("appointment", "urgent", "walk_in")):
    return [x.number for x in queue.ordered(tickets, NOW, order, dt.timedelta(minutes=5))]


def test_default_order_appointments_at_their_time_then_urgent_then_walk_ins_by_arrival():
    tickets = [
        t(1, queued=-30),
        t(2, "urgent", queued=-5),
        t(3, "appointment", queued=-2, appointment=0),
        t(4, queued=-20),
        t(5, "appointment", queued=-40, appointment=-10),
    ]
    assert numbers(tickets) == [5, 3, 2, 1, 4]


def test_early_appointment_waits_until_its_time_but_is_not_forgotten():
    tickets = [t(1, "appointment", queued=-30, appointment=45), t(2, queued=-1)]
    assert numbers(tickets) == [2, 1]
    # within the early window it comes first
    assert numbers([t(1, "appointment", queued=-30, appointment=4), t(2, queued=-1)]) == [1, 2]


def test_configurable_order_urgent_first_and_pure_arrival():
    tickets = [t(1, "appointment", queued=-10, appointment=0), t(2, "urgent", queued=-1), t(3, queued=-20)]
    assert numbers(tickets, queue.parse_order("urgent,appointment")) == [2, 1, 3]
    assert numbers(tickets, queue.parse_order("arrival")) == [3, 1, 2]


def test_parse_order_ignores_unknown_words_and_completes_the_list():
    assert queue.parse_order("urgent, bogus") == ("urgent", "appointment", "walk_in")
    assert queue.parse_order("") == queue.DEFAULT_ORDER
    assert queue.parse_order(" Arrival ") == ("arrival",)


def test_setting_selects_the_rule(settings):
    settings.SERVICEPOINT_CALLING_ORDER = "walk_in,urgent,appointment"
    tickets = [t(1, "appointment", queued=-10, appointment=0), t(2, "urgent", queued=-1), t(3, queued=-20)]
    assert [x.number for x in queue.ordered(tickets, NOW)] == [3, 2, 1]


tickets_strategy = st.lists(
    st.builds(
        t,
        number=st.integers(1, 999),
        priority=st.sampled_from(["walk_in", "urgent"]),
        queued=st.integers(-300, 0),
    ),
    max_size=30,
)


@given(tickets_strategy)
def test_walk_ins_keep_arrival_order_and_urgent_always_before_walk_ins(tickets):
    result = queue.ordered(tickets, NOW, queue.DEFAULT_ORDER, dt.timedelta(minutes=5))
    kinds = [x.priority for x in result]
    assert kinds == sorted(kinds, key=lambda k: 0 if k == "urgent" else 1)
    walk = [x.queued_at for x in result if x.priority == "walk_in"]
    assert walk == sorted(walk)
