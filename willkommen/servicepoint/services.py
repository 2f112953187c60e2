"""Commands of the ServicePoint, by topic; other modules and rooms import them from here.

* ``opening.py``: the error, settings, the station of a location, opening hours;
* ``waiting.py``: who is present, the cap, service time and the estimated wait;
* ``tickets.py``: issuing walk-in tickets, check-in of appointments, the mobile number for SMS;
* ``calling.py``: calling, service, outcome, no-shows;
* ``dropoff.py``: documents handed in, their receipt.

Calling is atomic: the next ticket is locked with ``SELECT ... FOR UPDATE SKIP LOCKED`` on
PostgreSQL (a second counter skips the row the first one holds) and re-checked as still
waiting; on SQLite every transaction is IMMEDIATE, so writers run one after the other.
Either way two counters never get the same ticket.
"""

from .calling import call_next, cancel_stale, expire_no_shows, finish, mark_no_show, start_service
from .dropoff import ClientMatch, case_numbers, email_receipt, find_client, receipt_items, receipt_pdf, record_drop_off
from .opening import (
    ServicePointError,
    default_service_minutes,
    is_open,
    no_show_minutes,
    no_show_requeues,
    opening_today,
    station_for,
)
from .tickets import check_in, issue_ticket, set_phone
from .waiting import (
    active_counters,
    cap_reached,
    come_back_at,
    estimated_wait_minutes,
    present_count,
    service_minutes,
    today,
    waiting_by_category,
    waiting_positions,
)

__all__ = [
    "ServicePointError",
    "active_counters",
    "call_next",
    "cancel_stale",
    "cap_reached",
    "check_in",
    "come_back_at",
    "default_service_minutes",
    "email_receipt",
    "estimated_wait_minutes",
    "expire_no_shows",
    "finish",
    "is_open",
    "issue_ticket",
    "mark_no_show",
    "no_show_minutes",
    "no_show_requeues",
    "opening_today",
    "present_count",
    "receipt_items",
    "receipt_pdf",
    "record_drop_off",
    "find_client",
    "ClientMatch",
    "case_numbers",
    "service_minutes",
    "set_phone",
    "start_service",
    "station_for",
    "today",
    "waiting_by_category",
    "waiting_positions",
]
