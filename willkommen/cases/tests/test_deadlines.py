"""The pure deadline module: targets, weekends, holidays of the state, clock stops and restarts."""

from datetime import date, timedelta

import holidays as holidays_lib
from hypothesis import given
from hypothesis import strategies as st

from willkommen.cases import deadlines as d
from willkommen.cases.deadlines import Pause

BY = frozenset(holidays_lib.Germany(subdiv="BY", years=range(2025, 2028)).keys())
BE = frozenset(holidays_lib.Germany(subdiv="BE", years=range(2025, 2028)).keys())


def test_simple_target_is_14_calendar_days():
    # Mon 2026-03-02 + 14 = Mon 2026-03-16, a working day
    assert d.due_date(date(2026, 3, 2), "simple") == date(2026, 3, 16)


def test_complex_target_is_3_calendar_months_and_anliegen_override_wins():
    assert d.due_date(date(2026, 3, 2), "complex") == date(2026, 6, 2)  # not 90 days (31 May, a Sunday)
    assert d.due_date(date(2026, 3, 2), "complex", override_days=30) == date(2026, 4, 1)
    assert d.due_date(date(2026, 3, 2), "simple", override_months=3) == date(2026, 6, 2)
    assert d.due_date(date(2026, 3, 2), "complex", override_days=30, override_months=1) == date(2026, 4, 2)


def test_calendar_months_end_at_the_end_of_a_shorter_month():
    assert d.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert d.add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)  # leap year
    assert d.add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert d.add_months(date(2026, 8, 31), 1) == date(2026, 9, 30)
    assert d.add_months(date(2026, 3, 15), 12) == date(2027, 3, 15)
    assert d.due_date(date(2026, 12, 1), "complex") == date(2027, 3, 1)
    assert d.due_date(date(2026, 11, 30), "complex") == date(2027, 3, 1)  # Sun 28 Feb moves to Monday


def test_end_on_saturday_moves_to_monday():
    # Sat 2026-03-14 = 2026-02-28 (Sat) + 14
    assert d.due_date(date(2026, 2, 28), "simple") == date(2026, 3, 16)


def test_end_on_sunday_moves_to_monday():
    assert d.due_date(date(2026, 3, 1), "simple") == date(2026, 3, 16)


def test_holiday_of_the_state_moves_the_end():
    # 2026-01-06 (Epiphany) is a holiday in Bavaria, not in Berlin; 2025-12-23 + 14 = 2026-01-06 (Tue)
    assert d.due_date(date(2025, 12, 23), "simple", holidays=BY) == date(2026, 1, 7)
    assert d.due_date(date(2025, 12, 23), "simple", holidays=BE) == date(2026, 1, 6)


def test_easter_holidays_and_weekend_chain():
    # Good Friday 2026-04-03, Easter Monday 2026-04-06: Fri -> Sat, Sun, Mon -> Tue 2026-04-07
    assert d.due_date(date(2026, 3, 20), "simple", holidays=BE) == date(2026, 4, 7)


def test_clock_stops_while_documents_owed_and_restarts():
    received = date(2026, 3, 2)
    closed = [Pause(date(2026, 3, 5), date(2026, 3, 12))]  # 7 days waiting for the client
    assert d.due_date(received, "simple", pauses=closed) == date(2026, 3, 23)
    assert d.paused_days(closed, date(2026, 4, 1)) == 7


def test_open_pause_moves_the_due_date_with_today():
    received = date(2026, 3, 2)
    open_pause = [Pause(date(2026, 3, 5))]
    assert d.clock_stopped(open_pause)
    assert d.due_date(received, "simple", pauses=open_pause, today=date(2026, 3, 10)) == date(2026, 3, 23)
    assert d.due_date(received, "simple", pauses=open_pause, today=date(2026, 3, 20)) == date(2026, 3, 31)


def test_several_pauses_add_up_and_overlaps_count_once():
    pauses = [Pause(date(2026, 3, 3), date(2026, 3, 6)), Pause(date(2026, 3, 10), date(2026, 3, 12))]
    assert d.paused_days(pauses, date(2026, 4, 1)) == 5
    overlapping = [Pause(date(2026, 3, 3), date(2026, 3, 8)), Pause(date(2026, 3, 6), date(2026, 3, 10))]
    assert d.paused_days(overlapping, date(2026, 4, 1)) == 7


def test_same_day_pause_costs_nothing():
    assert d.paused_days([Pause(date(2026, 3, 3), date(2026, 3, 3))], date(2026, 4, 1)) == 0


def test_interim_answer_only_for_complex_and_off_holidays():
    assert d.interim_answer_due(date(2026, 3, 2), "simple") is None
    assert d.interim_answer_due(date(2026, 3, 2), "complex") == date(2026, 3, 16)
    # 2026-04-20 + 14 = 2026-05-04 Mon; 2026-04-17 + 14 = 2026-05-01 (Labour Day, Fri) -> Mon 05-04
    assert d.interim_answer_due(date(2026, 4, 17), "complex", holidays=BY) == date(2026, 5, 4)


def test_status_message_28_days_after_last_message():
    assert d.next_status_message_due(date(2026, 3, 2)) == date(2026, 3, 30)
    assert d.next_status_message_due(date(2026, 3, 2), date(2026, 3, 20)) == date(2026, 4, 17)


def test_urgency_order():
    today = date(2026, 3, 10)
    assert d.urgency(today, due=today + timedelta(days=60), permit_expires=today + timedelta(days=30)) == 0
    assert d.urgency(today, due=today + timedelta(days=60), permit_expires=today + timedelta(days=31)) == 4
    assert d.urgency(today, due=today + timedelta(days=60), stay_at_stake=True) == 1
    assert d.urgency(today, due=today - timedelta(days=1)) == 2
    assert d.urgency(today, due=today - timedelta(days=1), clock_stopped=True) == 4
    assert d.urgency(today, due=today + timedelta(days=7)) == 3
    assert d.urgency(today, due=today + timedelta(days=8)) == 4


@given(
    received=st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31)),
    complexity=st.sampled_from(["simple", "complex"]),
    pause_len=st.integers(min_value=0, max_value=60),
)
def test_due_date_is_a_working_day_never_before_target_and_pauses_push_it(received, complexity, pause_len):
    base = d.due_date(received, complexity, holidays=BY)
    assert d.is_working_day(base, BY)
    target = d.target_date(received, complexity)
    assert target == (d.add_months(received, 3) if complexity == "complex" else received + timedelta(days=14))
    assert base >= target
    assert (base - target).days <= 5
    paused = d.due_date(
        received, complexity, pauses=[Pause(received, received + timedelta(days=pause_len))], holidays=BY
    )
    assert paused >= base
    assert paused >= target + timedelta(days=pause_len)
