"""No overbooking, ever: many clients with their own database connections race through the API for the
last places; exactly the free places are taken, everyone else gets a clean 409, the waiting-room cap holds."""

import datetime as dt
import threading

import pytest
from django.db import connections
from django.utils import timezone

from willkommen.appointments import services
from willkommen.appointments.models import Booking, Slot, WaitingWindow
from willkommen.appointments.testing import applicant, make_offer, person
from willkommen.catalogue.testing import make_anliegen
from willkommen.core.testing import make_authority, make_location

CLIENTS = 60


@pytest.mark.django_db(transaction=True)
def test_concurrent_clients_never_overbook_and_the_waiting_room_cap_holds(monkeypatch, settings):
    settings.APPOINTMENTS_HORIZON_DAYS = 7
    from willkommen.appointments import notifications

    # The race is about places; the confirmation e-mails are tested elsewhere.
    monkeypatch.setattr(notifications, "send_confirm_request", lambda booking_id, token: None)
    authority = make_authority()
    location = make_location(authority, cap=5)
    tomorrow = timezone.localdate() + dt.timedelta(days=3)
    study = make_offer(authority, location=location, workstations=4, minutes=15, horizon=5)
    work = make_offer(
        authority, anliegen=make_anliegen(authority, "work"), location=location, workstations=4, minutes=15, horizon=5
    )
    starts = (
        Slot.objects.filter(anliegen=study.anliegen, starts_at__date__gte=tomorrow)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    slots = [Slot.objects.get(anliegen=o.anliegen, starts_at=starts) for o in (study, work)]
    # One place is already gone: 4 + 4 places per channel, but the waiting room holds only 5.
    services.hold(authority, slot_id=slots[0].pk, anliegen=study.anliegen, applicant=applicant(999))

    barrier = threading.Barrier(CLIENTS)
    results = []
    lock = threading.Lock()

    def client(n):
        from rest_framework.test import APIClient

        slot = slots[n % 2]
        api = APIClient(REMOTE_ADDR=f"10.0.{n // 200}.{n % 200 + 1}")  # every client its own address
        body = {
            "slot": slot.pk,
            "anliegen": slot.anliegen.slug,
            "date_of_birth": "1990-01-01",
            "language": "de",
            **{k: v for k, v in person(n).items() if k != "date_of_birth"},
        }
        try:
            barrier.wait(timeout=30)
            response = api.post("/api/v1/appointments/bookings/", body, format="json")
            if response.status_code == 201:
                outcome = ("booked", response.json()["reference"])
            elif response.status_code == 409 and response.json()["code"] == "gone":
                outcome = ("gone", None)
            else:
                outcome = ("error", f"{response.status_code} {response.content[:200]!r}")
        except Exception as exc:  # noqa: BLE001 (any other result fails the test below)
            outcome = ("error", repr(exc))
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    kinds = [kind for kind, _ in results]
    assert kinds.count("error") == 0, [r for r in results if r[0] == "error"][:3]
    assert len(results) == CLIENTS
    assert kinds.count("booked") == 4  # exactly the free places of the waiting room
    assert kinds.count("gone") == CLIENTS - 4
    assert Booking.objects.filter(authority=authority, starts_at=starts).count() == 5
    refreshed = [Slot.objects.get(pk=s.pk) for s in slots]
    assert sum(s.public_taken for s in refreshed) == 5
    assert all(s.public_taken <= s.public_places for s in refreshed)
    window = WaitingWindow.objects.get(location=location, starts_at=starts)
    assert window.taken == 5 == location.waiting_room_cap
    booked = {ref for kind, ref in results if kind == "booked"}
    assert len(booked) == 4
