import datetime as dt

from django.utils import timezone
from rest_framework.test import APIClient

from willkommen.appointments import protection
from willkommen.appointments.models import Booking, Slot, Status
from willkommen.appointments.testing import make_offer


def body(slot, n=1, **extra):
    return {
        "slot": slot.pk,
        "anliegen": slot.anliegen.slug,
        "family_name": f"Nachname{n}",
        "given_names": "Amina",
        "date_of_birth": "1990-01-01",
        "email": f"client{n}@example.org",
        "language": "en",
        **extra,
    }


def test_slots_lists_free_places(authority, future_slot):
    api = APIClient()
    day = timezone.localtime(future_slot.starts_at).date()
    response = api.get(
        "/api/v1/appointments/slots/", {"anliegen": future_slot.anliegen.slug, "date_from": day, "date_to": day}
    )
    assert response.status_code == 200
    rows = {row["id"]: row for row in response.json()}
    assert rows[future_slot.pk]["free"] == 2
    assert api.get("/api/v1/appointments/slots/", {"anliegen": "nope"}).status_code == 404
    bad = api.get("/api/v1/appointments/slots/", {"anliegen": future_slot.anliegen.slug, "date_from": "soon"})
    assert bad.status_code == 400


def test_days_counts_free_times_per_location_and_day(authority, future_slot):
    api = APIClient()
    day = timezone.localtime(future_slot.starts_at).date()
    params = {"anliegen": future_slot.anliegen.slug, "date_from": day, "date_to": day}
    slots = api.get("/api/v1/appointments/slots/", params).json()
    days = api.get("/api/v1/appointments/days/", params)
    assert days.status_code == 200
    assert days.json() == [
        {
            "location": future_slot.location_id,
            "day": day.isoformat(),
            "slots": len(slots),
            "places": sum(row["free"] for row in slots),
        }
    ]
    too_long = {**params, "date_to": (day + dt.timedelta(days=93)).isoformat()}
    assert api.get("/api/v1/appointments/days/", too_long).status_code == 400
    assert api.get("/api/v1/appointments/days/", {**params, "location": "x"}).status_code == 400


def test_booking_201_409_400_and_token_endpoints(authority, offer, mailoutbox, django_capture_on_commit_callbacks):
    api = APIClient()
    slot = Slot.objects.filter(authority=authority, starts_at__gt=timezone.now() + dt.timedelta(days=1)).first()
    proofs = [protection.solve(protection.new_challenge("127.0.0.1")) for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        first = api.post("/api/v1/appointments/bookings/", body(slot, 1, altcha=proofs[0]), format="json")
    assert first.status_code == 201, first.json()
    assert "token" not in first.json() and first.json()["status"] == "held"
    api.post("/api/v1/appointments/bookings/", body(slot, 2, altcha=proofs[1]), format="json")
    gone = api.post("/api/v1/appointments/bookings/", body(slot, 3, altcha=proofs[2]), format="json")
    assert gone.status_code == 409 and gone.json()["code"] == "gone"
    invalid = api.post("/api/v1/appointments/bookings/", body(slot, 4, email="not-an-email"), format="json")
    assert invalid.status_code == 400 and "email" in invalid.json()["errors"]
    assert Booking.objects.count() == 2
    # Confirm with the token from the e-mail.
    reference = first.json()["reference"]
    token = next(w for w in mailoutbox[0].body.split() if "/confirm/" in w).rstrip("/").split("/")[-2]
    assert api.post(f"/api/v1/appointments/bookings/{reference}/confirm/", {"token": "x"}).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = api.post(f"/api/v1/appointments/bookings/{reference}/confirm/", {"token": token})
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    target = Slot.objects.filter(authority=authority, starts_at__gt=slot.starts_at).first()
    moved = api.post(f"/api/v1/appointments/bookings/{reference}/move/", {"token": token, "slot": target.pk})
    assert moved.status_code == 200 and moved.json()["starts_at"]
    cancelled = api.post(f"/api/v1/appointments/bookings/{reference}/cancel/", {"token": token})
    assert cancelled.status_code == 200
    assert Booking.objects.get(reference=reference).status == Status.CANCELLED


def test_booking_of_another_authority_is_unknown(authority, other_authority, future_slot):
    make_offer(other_authority)
    foreign = Slot.objects.filter(authority=other_authority, starts_at__gt=timezone.now()).first()
    api = APIClient()
    response = api.post("/api/v1/appointments/bookings/", body(foreign, 1, anliegen="study"), format="json")
    assert response.status_code == 400
    assert Booking.objects.count() == 0


def test_schema_lists_the_endpoints(client, db):
    schema = client.get("/api/schema/").content.decode()
    for path in [
        "/api/v1/appointments/slots/",
        "/api/v1/appointments/days/",
        "/api/v1/appointments/bookings/",
        "/api/v1/appointments/bookings/{reference}/confirm/",
        "/api/v1/appointments/bookings/{reference}/move/",
        "/api/v1/appointments/allocation/{slug}/requests/",
    ]:
        assert path in schema
