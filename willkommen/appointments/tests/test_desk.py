"""Office side: per-role access, tenant isolation, calendar, day list, invitations, follow-ups, marks."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from willkommen.accounts.roles import Role
from willkommen.appointments import services
from willkommen.appointments.models import Booking, Invitation, Slot, Status
from willkommen.appointments.testing import applicant, make_offer, person
from willkommen.audit.models import AuditEntry
from willkommen.core.testing import make_staff, verified_login


@pytest.fixture
def booking(authority, future_slot):
    booking, _ = services.hold(
        authority,
        slot_id=future_slot.pk,
        anliegen=future_slot.anliegen,
        applicant=applicant(1),
        terms=services.Terms(confirmed=True),
    )
    return booking


def day_of(booking):
    return timezone.localtime(booking.starts_at).date().isoformat()


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_calendar_access_per_role(client, authority, booking, role):
    user = make_staff(authority, f"user-{role}", role=role)
    verified_login(client, user)
    response = client.get(reverse("appointments:desk"), {"date": day_of(booking)})
    if user.can("appointments.manage"):
        assert response.status_code == 200
        assert booking.family_name in response.content.decode()
    else:
        assert response.status_code == 403


def test_anonymous_is_sent_to_login(client, booking):
    response = client.get(reverse("appointments:desk"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_other_authority_booking_is_404(client, other_authority, booking):
    stranger = make_staff(other_authority, "olga", role="caseworker")
    verified_login(client, stranger)
    response = client.get(f"/a/{other_authority.slug}" + reverse("appointments:desk-booking", args=[booking.pk]))
    assert response.status_code == 404
    response = client.post(f"/a/{other_authority.slug}" + reverse("appointments:desk-cancel", args=[booking.pk]))
    assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED


def test_reads_are_audited_and_day_list_prints(staff_client, authority, booking):
    response = staff_client.get(reverse("appointments:desk-day-list"), {"date": day_of(booking)})
    assert response.status_code == 200 and booking.reference in response.content.decode()
    assert AuditEntry.objects.filter(authority=authority, action="read", object_id=str(booking.pk)).exists()
    week = staff_client.get(reverse("appointments:desk-week"), {"date": day_of(booking)})
    assert booking.family_name in week.content.decode()


def test_mark_attended_and_no_show(staff_client, booking):
    url = reverse("appointments:desk-mark", args=[booking.pk])
    assert staff_client.post(url, {"status": "attended"}).status_code == 302
    booking.refresh_from_db()
    assert booking.status == Status.ATTENDED
    assert staff_client.post(url, {"status": "cancelled"}).status_code == 400


def test_cancel_with_notice(staff_client, booking, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("appointments:desk-cancel", args=[booking.pk]), {"reason": "Krankheit"})
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED
    assert "Krankheit" in mailoutbox[-1].body


def test_follow_up_in_two_clicks(staff_client, authority, booking):
    page = staff_client.get(reverse("appointments:desk-booking", args=[booking.pk])).content.decode()
    slot_id = re.search(r'name="slot" value="(\d+)"', page).group(1)
    response = staff_client.post(reverse("appointments:desk-follow-up", args=[booking.pk]), {"slot": slot_id})
    assert response.status_code == 302
    follow = Booking.objects.exclude(pk=booking.pk).get()
    assert follow.follow_up_of == booking and follow.status == Status.CONFIRMED
    assert follow.family_name == booking.family_name


def test_book_on_behalf_from_the_urgent_reserve(staff_client, authority):
    offer = make_offer(authority, workstations=2, urgent=1)
    slot = Slot.objects.filter(authority=authority, anliegen=offer.anliegen, starts_at__gt=timezone.now()).first()
    data = {**person(5), "date_of_birth": "1990-01-01", "language": "de", "channel": "urgent"}
    response = staff_client.post(reverse("appointments:desk-book", args=[slot.pk]), data)
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.channel == "urgent" and booking.status == Status.CONFIRMED


def test_invitation_link_offers_invitation_only_places(
    staff_client, client, authority, mailoutbox, django_capture_on_commit_callbacks
):
    offer = make_offer(authority, workstations=1, invitation=1)
    deadline = (timezone.localdate() + timezone.timedelta(days=10)).isoformat()
    data = {
        **person(7),
        "date_of_birth": "1990-01-01",
        "language": "en",
        "deadline": deadline,
        "anliegen": offer.anliegen.pk,
        "location": offer.location.pk,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("appointments:desk-invite"), data)
    assert response.status_code == 200
    invitation = Invitation.objects.get()
    link = re.search(r"https?://\S+/appointments/invitation/\S+/", mailoutbox[-1].body).group(0)
    path = link.split("testserver", 1)[1]
    page = client.get(path)
    assert page.status_code == 200
    slot_id = re.search(r'name="slot" value="(\d+)"', page.content.decode()).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(path, {"slot": slot_id}).status_code == 200
    booking = Booking.objects.get()
    assert booking.channel == "invitation" and booking.invitation == invitation
    assert booking.family_name == "Nachname7" and booking.status == Status.CONFIRMED
    assert client.post(path, {"slot": slot_id}).status_code == 410  # used once
    assert "/appointments/booking/" in mailoutbox[-1].body  # confirmation with cancel/move links


def test_invitation_to_a_fixed_slot(staff_client, authority, future_slot):
    deadline = (timezone.localdate() + timezone.timedelta(days=10)).isoformat()
    data = {
        **person(8),
        "date_of_birth": "1990-01-01",
        "language": "de",
        "deadline": deadline,
        "anliegen": future_slot.anliegen.pk,
        "location": future_slot.location.pk,
        "slot": future_slot.pk,
    }
    response = staff_client.post(reverse("appointments:desk-invite"), data)
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.slot == future_slot and booking.booked_by is not None
