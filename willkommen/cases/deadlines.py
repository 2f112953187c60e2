"""Deadlines of a case as small pure functions: no database, no request, no clock.

Days are calendar days; where a rule says months, they are calendar months (:func:`add_months`:
31 January + 1 month = 28/29 February, the end of the shorter month). A deadline that falls on a Saturday, a Sunday or a
public holiday of the authority's federal state moves to the next working day (the caller
passes the holidays in as a set of dates, see ``holiday_set``). The processing clock stops
while the client owes documents and restarts when they arrive: every day of such a pause
pushes the target back by one day.

- simple Anliegen: processing target 14 days;
- complex Anliegen: processing target 3 calendar months and an interim answer within 14 days;
- a status message is due 28 days after the last message to the client.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

SIMPLE = "simple"
COMPLEX = "complex"
TARGET_DAYS = {SIMPLE: 14}
TARGET_MONTHS = {COMPLEX: 3}
INTERIM_ANSWER_DAYS = 14
STATUS_MESSAGE_INTERVAL_DAYS = 28
DUE_SOON_DAYS = 7


@dataclass(frozen=True)
class Pause:
    """The clock stood still from ``start`` (documents requested) until ``end`` (documents arrived).

    ``end`` is None while the client still owes the documents. Days are counted as ``end - start``:
    requested and delivered on the same day costs nothing."""

    start: date
    end: date | None = None

    def days(self, today: date) -> int:
        end = self.end or today
        return max((end - self.start).days, 0)


def is_working_day(day: date, holidays=frozenset()) -> bool:
    return day.weekday() < 5 and day not in holidays


def next_working_day(day: date, holidays=frozenset()) -> date:
    """``day`` itself if it is a working day, else the next one."""
    while not is_working_day(day, holidays):
        day += timedelta(days=1)
    return day


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months; a day the target month lacks becomes its last day
    (31 Jan + 1 month = 28 Feb, or 29 Feb in a leap year)."""
    return day + relativedelta(months=months)


def target_date(
    received: date, complexity: str, override_days: int | None = None, override_months: int | None = None
) -> date:
    """The processing target without pauses and working days: the Anliegen's own figure if set (months
    before days), else by class (simple 14 days, complex 3 calendar months)."""
    if override_months:
        return add_months(received, int(override_months))
    if override_days:
        return received + timedelta(days=int(override_days))
    if complexity in TARGET_MONTHS:
        return add_months(received, TARGET_MONTHS[complexity])
    return received + timedelta(days=TARGET_DAYS.get(complexity, TARGET_DAYS[SIMPLE]))


def _merged_pause_days(pauses, today: date) -> int:
    """Days covered by the pauses, overlapping pauses counted once."""
    spans = sorted((p.start, p.end or today) for p in pauses)
    total = 0
    current_start = current_end = None
    for start, end in spans:
        if end <= start:
            continue
        if current_end is None or start > current_end:
            if current_end is not None:
                total += (current_end - current_start).days
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_end is not None:
        total += (current_end - current_start).days
    return total


def paused_days(pauses, today: date) -> int:
    return _merged_pause_days(list(pauses), today)


def clock_stopped(pauses) -> bool:
    return any(p.end is None for p in pauses)


def due_date(
    received: date,
    complexity: str,
    *,
    pauses=(),
    holidays=frozenset(),
    today: date | None = None,
    override_days: int | None = None,
    override_months: int | None = None,
) -> date:
    """When the decision is due: received + target (days, or calendar months) + days the clock stood
    still, moved off weekends and holidays. While a pause is open the date moves on with ``today``."""
    today = today or received
    target = target_date(received, complexity, override_days, override_months)
    raw = target + timedelta(days=paused_days(pauses, today))
    return next_working_day(raw, holidays)


def interim_answer_due(received: date, complexity: str, *, holidays=frozenset(), days: int | None = None):
    """Complex cases get an interim answer within 14 days; simple ones need none (None)."""
    if complexity != COMPLEX:
        return None
    return next_working_day(received + timedelta(days=days or INTERIM_ANSWER_DAYS), holidays)


def next_status_message_due(received: date, last_message: date | None = None) -> date:
    """The four-weekly status message: 28 days after the last message to the client (or the receipt)."""
    return (last_message or received) + timedelta(days=STATUS_MESSAGE_INTERVAL_DAYS)


def days_left(due: date | None, today: date) -> int | None:
    return None if due is None else (due - today).days


def urgency(
    today: date,
    *,
    due: date | None,
    permit_expires: date | None = None,
    stay_at_stake: bool = False,
    clock_stopped: bool = False,
) -> int:
    """Rank for the work queue, lower is more urgent:
    0 permit expires within 30 days, 1 benefits or legal stay at stake, 2 overdue, 3 due soon, 4 other."""
    if permit_expires is not None and permit_expires <= today + timedelta(days=30):
        return 0
    if stay_at_stake:
        return 1
    if not clock_stopped and due is not None:
        if due < today:
            return 2
        if due <= today + timedelta(days=DUE_SOON_DAYS):
            return 3
    return 4


def holiday_set(authority, start: date, end: date) -> frozenset:
    """Public holidays of the authority's state between ``start`` and ``end`` (plus a year of margin)."""
    calendar = authority.holidays(range(start.year, end.year + 2))
    return frozenset(calendar.keys())
