"""The booking POST and the free-place answers send a fixed, small number of SQL statements, whatever the
number of slots, bookings or days (the lean path of ledger.py and the summary of availability.py):

* booking POST that wins (201): 5 statements – the slot's read, then in one transaction the conditional
  UPDATE of the slot, the upsert of its waiting-room windows, the INSERT of the booking and the UPDATE of
  the day's summary (plus BEGIN and COMMIT, which Django sends outside the cursor);
* booking POST that loses (409, place gone): 1 statement – the slot's read;
* GET slots/ and days/: 5 statements uncached (the Anliegen, the offers, the nearly full windows, the
  summary rows, the slots of the first days), 0 once cached.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from willkommen.appointments import protection
from willkommen.appointments.models import Slot
from willkommen.appointments.testing import make_offer
from willkommen.catalogue.testing import make_anliegen
from willkommen.core.testing import make_location

BOOKING_WINS, BOOKING_LOSES, FREE_ANSWER = 5, 1, 5


def _post(api, slot, n):
    body = {
        "slot": slot.pk,
        "anliegen": slot.anliegen.slug,
        "family_name": f"Nachname{n}",
        "given_names": "Amina",
        "date_of_birth": "1990-01-01",
        "email": f"client{n}@example.org",
        "language": "de",
        "altcha": protection.solve(protection.new_challenge(f"10.1.0.{n}")),
    }
    with CaptureQueriesContext(connection) as ctx:
        response = api.post("/api/v1/appointments/bookings/", body, format="json")
    return response.status_code, _statements(ctx)


def _statements(ctx):
    """Inside the test's own transaction BEGIN and COMMIT become SAVEPOINT and RELEASE: not counted."""
    return sum(1 for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"])


@pytest.fixture
def slots(authority):
    offer = make_offer(authority, workstations=1, horizon=20)
    return list(
        Slot.objects.filter(anliegen=offer.anliegen, starts_at__gt=timezone.now() + dt.timedelta(days=2)).order_by(
            "starts_at"
        )[:6]
    )


def test_a_booking_post_sends_five_statements_when_it_wins_and_one_when_it_loses(authority, slots):
    api = APIClient()
    api.get("/api/v1/appointments/challenge/")  # the authority is looked up once per process, then kept
    results = [_post(api, slot, n) for n, slot in enumerate(slots[:3], start=1)]
    assert results == [(201, BOOKING_WINS)] * 3
    # Many more bookings and slots later: still the same.
    make_offer(
        authority,
        anliegen=make_anliegen(authority, "work"),
        location=make_location(authority, "Zweigstelle"),
        workstations=3,
        horizon=60,
    )
    results = [_post(api, slot, n) for n, slot in enumerate(slots[3:], start=10)]
    assert results == [(201, BOOKING_WINS)] * 3
    losers = [_post(api, slot, n) for n, slot in enumerate(slots, start=100)]
    assert losers == [(409, BOOKING_LOSES)] * 6


def _count(api, path, params):
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(path, params)
    assert response.status_code == 200
    return _statements(ctx)


@pytest.mark.parametrize("kind", ["slots", "days"])
def test_free_place_answers_send_a_fixed_number_of_statements(authority, slots, settings, kind):
    settings.APPOINTMENTS_FREE_CACHE_SECONDS = 0
    api = APIClient()
    path = f"/api/v1/appointments/{kind}/"
    today = timezone.localdate()
    params = {"anliegen": slots[0].anliegen.slug, "date_from": today, "date_to": today + dt.timedelta(days=90)}
    api.get("/api/v1/appointments/challenge/")
    small = _count(api, path, params)
    for n in range(2, 11):  # nine more locations with ninety days of slots each
        make_offer(
            authority,
            anliegen=slots[0].anliegen,
            location=make_location(authority, f"Standort {n}"),
            horizon=90,
        )
    assert small == _count(api, path, params) == FREE_ANSWER
    settings.APPOINTMENTS_FREE_CACHE_SECONDS = 30
    _count(api, path, params)
    assert _count(api, path, params) == 0
