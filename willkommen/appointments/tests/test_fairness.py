"""Release time at a shared address: 200 different people behind one public address (a shared accommodation, a
counselling centre) all book while places remain, and bots behind the same address get no more than their
share (see limits.py). Each client has its own database connection; PostgreSQL only."""

import datetime as dt
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from django.utils import timezone

from willkommen.appointments import limits, protection
from willkommen.appointments.models import Booking, Slot
from willkommen.appointments.testing import make_offer
from willkommen.core.testing import make_authority, make_location

PEOPLE = 200
PLACES = 120
ADDRESS = "203.0.113.7"  # everyone: the accommodation's one public address


def _body(slot, family_name, email, proof):
    return {
        "slot": slot.pk,
        "anliegen": slot.anliegen.slug,
        "family_name": family_name,
        "given_names": "Amina",
        "date_of_birth": "1990-01-01",
        "email": email,
        "language": "de",
        **({"altcha": proof} if proof else {}),
    }


def _post(body):
    from rest_framework.test import APIClient

    response = APIClient(REMOTE_ADDR=ADDRESS).post("/api/v1/appointments/bookings/", body, format="json")
    return response.status_code, response.json().get("code")


def _people(bodies):
    """One of 20 phones in the accommodation's network, each used by 10 people one after the other."""
    try:
        return [_post(body) for body in bodies]
    finally:
        connections.close_all()


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_hundred_people_behind_one_address_all_book_while_bots_get_their_share(monkeypatch, settings):
    from willkommen.appointments import notifications

    settings.APPOINTMENTS_POW_STEPS = (100_000,)  # the proofs are solved in Python here: keep them cheap
    monkeypatch.setattr(notifications, "send_confirm_request", lambda booking_id, token: None)
    authority = make_authority()
    offer = make_offer(authority, location=make_location(authority, cap=1000), workstations=2, horizon=30)
    slots = list(
        Slot.objects.filter(anliegen=offer.anliegen, starts_at__gt=timezone.now() + dt.timedelta(days=1)).order_by(
            "starts_at"
        )[: PLACES // 2]
    )
    proofs = [protection.solve(protection.new_challenge(f"10.50.{i // 250}.{i % 250}")) for i in range(PEOPLE + 20)]
    people = [_body(slots[n % len(slots)], f"Person{n}", f"person{n}@example.org", proofs.pop()) for n in range(PEOPLE)]
    # Bot 1: one mailbox, a new name and a freshly solved proof for every attempt, at full speed.
    mailbox_bot = [_body(slots[n % len(slots)], f"Bot{n}", "bot@example.org", proofs.pop()) for n in range(20)]
    # Bot 2: a new mailbox every time, but no proof of work (it does not run the widget).
    no_proof_bot = [_body(slots[n % len(slots)], f"Nopow{n}", f"x{n}@bots.example", None) for n in range(40)]

    results = {"people": [], "mailbox": [], "no_proof": []}
    minutes = {}  # the one-minute windows of the limits each bot's run touched
    lock = threading.Lock()

    def bot(kind, bodies):
        started = time.time()
        for body in bodies:  # one request after the other, without a pause
            outcome = _post(body)
            with lock:
                results[kind].append(outcome)
        minutes[kind] = int(time.time() // limits.WINDOW) - int(started // limits.WINDOW) + 1
        connections.close_all()

    bots = [threading.Thread(target=bot, args=args) for args in (("mailbox", mailbox_bot), ("no_proof", no_proof_bot))]
    for thread in bots:
        thread.start()
    with ThreadPoolExecutor(max_workers=20) as pool:  # 200 people at the same minute
        results["people"] = [r for rs in pool.map(_people, [people[i::20] for i in range(20)]) for r in rs]
    for thread in bots:
        thread.join(timeout=120)

    people_status = [status for status, _code in results["people"]]
    mailbox = [status for status, _code in results["mailbox"]]
    no_proof = [status for status, _code in results["no_proof"]]
    bot_places = mailbox.count(201) + no_proof.count(201)
    # Nobody of the 200 was refused by a limit: all served while places remained, then a clean "gone".
    assert 429 not in people_status, people_status
    assert people_status.count(201) == PLACES - bot_places
    assert set(people_status) <= {201, 409}
    assert all(code == "gone" for status, code in results["people"] if status == 409)
    # The mailbox bot: no more attempts than one e-mail address is allowed per minute, and no more places
    # than one e-mail address may hold.
    assert len(mailbox) - mailbox.count(429) <= limits.email_limit() * minutes["mailbox"]
    assert mailbox.count(201) <= limits.email_active_limit()
    # The bot without proof of work: the address's stricter limit for attempts without proof.
    assert len(no_proof) - no_proof.count(429) <= limits.booking_limit_per_address(False) * minutes["no_proof"]
    # And never a place given twice.
    assert Booking.objects.filter(authority=authority).count() == PLACES
    assert all(s.public_taken <= s.public_places for s in Slot.objects.filter(pk__in=[s.pk for s in slots]))
