"""The booking flow and its bad input: each refusal is a clear 4xx and books nothing."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from willkommen.appointments import protection, services
from willkommen.appointments.models import BlockedAttempt, Booking, Slot, Status
from willkommen.appointments.testing import make_offer, person
from willkommen.catalogue.testing import make_anliegen


def slot_places(slot):
    slot.refresh_from_db()
    return slot.public_taken


def details(n=0, **extra):
    data = person(n, **extra)
    data["date_of_birth"] = data["date_of_birth"].isoformat()
    return {**data, "language": "de", "phone": "", "interpreter_language": ""}


def links(mail):
    return re.findall(r"https?://\S+", mail.body)


def test_portal_flow_without_javascript(client, authority, future_slot, mailoutbox, django_capture_on_commit_callbacks):
    anliegen = future_slot.anliegen
    assert anliegen.slug in client.get(reverse("appointments:index")).content.decode()
    questions = client.get(reverse("appointments:questions", args=[anliegen.slug]))
    assert questions.status_code == 200 and 'name="married"' in questions.content.decode()
    times = client.get(reverse("appointments:times", args=[anliegen.slug]), {"married": "yes"})
    page = times.content.decode()
    assert times.status_code == 200
    assert "Heiratsurkunde" in page or "marriage" in page.lower()  # the personalised checklist
    book_url = reverse("appointments:book", args=[anliegen.slug, future_slot.pk])
    assert book_url in page or times.context["slots"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(book_url + "?married=yes", {**details(1), "married": "yes"})
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.status == Status.HELD and booking.answers == {"married": True}
    assert not booking.proof_of_work
    assert slot_places(future_slot) == 1
    confirm_link = next(u for u in links(mailoutbox[-1]) if u.endswith("/confirm/"))
    path = confirm_link.split("testserver", 1)[1]
    assert client.get(path).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path)
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED
    confirmation = mailoutbox[-1]
    names = [a[0] for a in confirmation.attachments]
    assert f"{booking.reference}.ics" in names and f"{booking.reference}.pdf" in names
    detail = path.rsplit("confirm/", 1)[0]
    ics = client.get(detail + "appointment.ics")
    assert ics["Content-Type"].startswith("text/calendar") and b"BEGIN:VEVENT" in ics.content
    assert booking.reference.encode() in ics.content
    pdf = client.get(detail + "appointment.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(detail + "cancel/").status_code == 200
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED
    assert slot_places(future_slot) == 0


def test_booking_with_proof_of_work(client, future_slot):
    payload = protection.solve(protection.new_challenge("127.0.0.1"))
    url = reverse("appointments:book", args=[future_slot.anliegen.slug, future_slot.pk])
    assert client.post(url, {**details(1), "altcha": payload}).status_code == 302
    assert Booking.objects.get().proof_of_work
    # The same solved challenge is not accepted twice.
    response = client.post(url, {**details(2), "altcha": payload})
    assert response.status_code == 400
    assert Booking.objects.count() == 1


def test_wrong_proof_of_work_books_nothing(client, authority, future_slot):
    client.cookies["willkommen_language"] = "en"
    url = reverse("appointments:book", args=[future_slot.anliegen.slug, future_slot.pk])
    challenge = protection.new_challenge("127.0.0.1")
    payload = protection.solve(challenge)
    import base64
    import json

    forged = json.loads(base64.b64decode(payload))
    forged["solution"]["counter"] += 1
    for bad in ["garbage", base64.b64encode(json.dumps(forged).encode()).decode()]:
        response = client.post(url, {**details(1), "altcha": bad})
        assert response.status_code == 400
        assert "robots" in response.content.decode()
    assert Booking.objects.count() == 0
    assert BlockedAttempt.objects.filter(authority=authority, reason="bad_proof_of_work").count() == 2


def test_difficulty_rises_with_the_request_rate():
    easy = protection.new_challenge("10.0.0.1")["parameters"]["keyPrefix"]
    for _ in range(12):
        protection.new_challenge("10.0.0.2")
    hard = protection.new_challenge("10.0.0.2")["parameters"]["keyPrefix"]
    assert len(hard) > len(easy)


def test_twenty_bookings_from_one_address_in_a_minute(client, authority, offer):
    """Without proof of work the limit is stricter; beyond the limit nothing is booked (429)."""
    slots = list(Slot.objects.filter(authority=authority, starts_at__gt=timezone.now()).order_by("starts_at")[:20])
    statuses = []
    for n, slot in enumerate(slots):
        url = reverse("appointments:book", args=[slot.anliegen.slug, slot.pk])
        statuses.append(client.post(url, details(n)).status_code)
    assert statuses[: protection.LIMIT_WITHOUT_PROOF] == [302] * protection.LIMIT_WITHOUT_PROOF
    assert set(statuses[protection.LIMIT_WITHOUT_PROOF :]) == {429}
    assert Booking.objects.count() == protection.LIMIT_WITHOUT_PROOF
    assert BlockedAttempt.objects.filter(reason="rate_limit").count() == 20 - protection.LIMIT_WITHOUT_PROOF
    # Another address is not affected.
    url = reverse("appointments:book", args=[slots[-1].anliegen.slug, slots[-1].pk])
    assert client.post(url, details(99), REMOTE_ADDR="10.9.9.9").status_code == 302


def test_slot_of_another_anliegen_or_authority(client, authority, other_authority, future_slot):
    other = make_offer(authority, anliegen=make_anliegen(authority, "work"), location=future_slot.location)
    other_slot = Slot.objects.filter(anliegen=other.anliegen, starts_at__gt=timezone.now()).first()
    foreign = make_offer(other_authority)
    foreign_slot = Slot.objects.filter(authority=other_authority, starts_at__gt=timezone.now()).first()
    with pytest.raises(services.BookingError) as exc:
        services.hold(authority, slot_id=other_slot.pk, anliegen=future_slot.anliegen, **person())
    assert exc.value.status == 400
    with pytest.raises(services.BookingError):
        services.hold(authority, slot_id=foreign_slot.pk, anliegen=future_slot.anliegen, **person())
    with pytest.raises(services.BookingError):
        services.hold(authority, slot_id=foreign_slot.pk, anliegen=foreign.anliegen, **person())
    # Portal: the other authority's slot is simply unknown here.
    url = reverse("appointments:book", args=[future_slot.anliegen.slug, foreign_slot.pk])
    assert client.post(url, details(1)).status_code == 404
    url = reverse("appointments:book", args=[future_slot.anliegen.slug, other_slot.pk])
    assert client.post(url, details(1)).status_code == 404
    assert Booking.objects.count() == 0


def test_past_slot(authority, offer):
    past = Slot.objects.filter(authority=authority).order_by("starts_at").first()
    with pytest.raises(services.BookingError, match="past"):
        services.hold(
            authority,
            slot_id=past.pk,
            anliegen=offer.anliegen,
            now=past.starts_at + dt.timedelta(minutes=1),
            **person(),
        )
    assert Booking.objects.count() == 0


def test_tampered_token_and_expired_hold(client, authority, future_slot):
    booking, token = services.hold(authority, slot_id=future_slot.pk, anliegen=future_slot.anliegen, **person())
    for bad in [token[:-1] + ("A" if token[-1] != "A" else "B"), "x", ""]:
        with pytest.raises(services.BookingError) as exc:
            services.confirm(authority, booking.reference, bad)
        assert exc.value.status == 404
    url = reverse("appointments:confirm", args=[booking.reference, token[:-2] + "zz"])
    assert client.post(url).status_code == 404
    with pytest.raises(services.BookingError):
        services.cancel(authority, booking.reference, "wrong")
    booking.refresh_from_db()
    assert booking.status == Status.HELD
    later = timezone.now() + dt.timedelta(minutes=services.HOLD_MINUTES + 1)
    with pytest.raises(services.BookingError) as exc:
        services.confirm(authority, booking.reference, token, now=later)
    assert exc.value.status == 410
    booking.refresh_from_db()
    assert booking.status == Status.EXPIRED
    assert slot_places(future_slot) == 0


def test_expire_holds_job_returns_places(authority, future_slot):
    booking, _token = services.hold(authority, slot_id=future_slot.pk, anliegen=future_slot.anliegen, **person())
    assert services.expire_holds(timezone.now()) == 0
    assert services.expire_holds(timezone.now() + dt.timedelta(minutes=31)) == 1
    booking.refresh_from_db()
    assert booking.status == Status.EXPIRED and slot_places(future_slot) == 0


def test_one_active_booking_per_person_and_anliegen(authority, offer, future_slot):
    services.hold(authority, slot_id=future_slot.pk, anliegen=offer.anliegen, **person(1))
    other_slot = Slot.objects.filter(authority=authority, starts_at__gt=future_slot.starts_at).first()
    # Same person, written differently: still the same person.
    with pytest.raises(services.BookingError) as exc:
        services.hold(
            authority,
            slot_id=other_slot.pk,
            anliegen=offer.anliegen,
            **person(1, family_name="  NACHNAME1 ", email="CLIENT1@example.org"),
        )
    assert exc.value.status == 409
    assert Booking.objects.count() == 1
    assert BlockedAttempt.objects.filter(reason="duplicate").count() == 1


def test_move_keeps_the_person_and_frees_the_old_place(authority, future_slot):
    booking, token = services.hold(authority, slot_id=future_slot.pk, anliegen=future_slot.anliegen, **person())
    target = Slot.objects.filter(authority=authority, starts_at__gt=future_slot.starts_at).first()
    moved = services.move(authority, booking.reference, token, slot_id=target.pk)
    assert moved.slot_id == target.pk and moved.family_name == booking.family_name
    assert slot_places(future_slot) == 0 and slot_places(target) == 1


def test_reminder_sent_once(authority, future_slot, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.hold(authority, slot_id=future_slot.pk, anliegen=future_slot.anliegen, confirmed=True, **person())
    before = future_slot.starts_at - dt.timedelta(hours=47)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(before) == 1
        assert services.send_reminders(before) == 0
    assert "Erinnerung" in mailoutbox[-1].subject or "Reminder" in mailoutbox[-1].subject
    assert services.send_reminders(future_slot.starts_at - dt.timedelta(hours=72)) == 0


def test_pages_and_errors_in_the_clients_language(client, authority, future_slot):
    client.cookies["willkommen_language"] = "de"
    page = client.get(reverse("appointments:times", args=[future_slot.anliegen.slug])).content.decode()
    assert "Schritt 2 von 3" in page
    url = reverse("appointments:book", args=[future_slot.anliegen.slug, future_slot.pk])
    response = client.post(url, {**details(1), "email": "kaputt"})
    assert response.status_code == 400 and Booking.objects.count() == 0
    client.cookies["willkommen_language"] = "ar"
    page = client.get(reverse("appointments:index")).content.decode()
    assert 'dir="rtl"' in page and "حجز موعد" in page


def test_pages_listing_free_times_do_not_query_per_time(client, authority, future_slot, django_assert_max_num_queries):
    """The move page lists up to 200 free times with their location; the places and the location name
    come with the free-slot query, not one query per time."""
    booking, token = services.hold(authority, slot_id=future_slot.pk, anliegen=future_slot.anliegen, **person())
    url = reverse("appointments:move", args=[booking.reference, token])
    with django_assert_max_num_queries(15):
        page = client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count('name="slot"') > 20
    assert future_slot.location.name in page.content.decode()
