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


def _times(answer):
    """{slot id: (day, "HH:MM", free)} from the compact answer."""
    return {slot_id: (d["day"], hhmm, free) for d in answer["days"] for slot_id, hhmm, free in d["slots"]}


def test_slots_lists_free_places_compactly(authority, future_slot):
    api = APIClient()
    day = timezone.localtime(future_slot.starts_at).date()
    response = api.get(
        "/api/v1/appointments/slots/", {"anliegen": future_slot.anliegen.slug, "date_from": day, "date_to": day}
    )
    assert response.status_code == 200
    answer = response.json()
    assert answer["time_zone"] == "Europe/Berlin" and answer["minutes"] == future_slot.anliegen.appointment_minutes
    assert answer["locations"] == [{"id": future_slot.location_id, "name": future_slot.location.name}]
    local = timezone.localtime(future_slot.starts_at)
    assert _times(answer)[future_slot.pk] == (day.isoformat(), f"{local:%H:%M}", 2)
    assert api.get("/api/v1/appointments/slots/", {"anliegen": "nope"}).status_code == 404
    bad = api.get("/api/v1/appointments/slots/", {"anliegen": future_slot.anliegen.slug, "date_from": "soon"})
    assert bad.status_code == 400


def test_days_counts_free_times_per_location_and_day(authority, future_slot):
    api = APIClient()
    day = timezone.localtime(future_slot.starts_at).date()
    params = {"anliegen": future_slot.anliegen.slug, "date_from": day, "date_to": day}
    times = _times(api.get("/api/v1/appointments/slots/", params).json())
    days = api.get("/api/v1/appointments/days/", params)
    assert days.status_code == 200
    assert days.json() == [
        {
            "location": future_slot.location_id,
            "day": day.isoformat(),
            "slots": len(times),
            "places": sum(free for _day, _hhmm, free in times.values()),
        }
    ]
    too_long = {**params, "date_to": (day + dt.timedelta(days=93)).isoformat()}
    assert api.get("/api/v1/appointments/days/", too_long).status_code == 400
    assert api.get("/api/v1/appointments/days/", {**params, "location": "x"}).status_code == 400


def test_free_place_answers_are_cached_with_etags_and_follow_bookings(
    authority, future_slot, settings, django_capture_on_commit_callbacks
):
    from willkommen.appointments import services
    from willkommen.appointments.testing import applicant

    settings.APPOINTMENTS_FREE_CACHE_SECONDS = 30
    api = APIClient()
    params = {"anliegen": future_slot.anliegen.slug}
    for path in ("/api/v1/appointments/slots/", "/api/v1/appointments/days/"):
        first = api.get(path, params)
        assert first["Cache-Control"] == "public, max-age=30" and first["ETag"]
        assert api.get(path, params, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    before = api.get("/api/v1/appointments/slots/", params)
    with django_capture_on_commit_callbacks(execute=True):  # a new version once the booking commits
        services.hold(authority, slot_id=future_slot.pk, anliegen=future_slot.anliegen, applicant=applicant(1))
    after = api.get("/api/v1/appointments/slots/", params, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    assert _times(after.json())[future_slot.pk][2] == 1


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
