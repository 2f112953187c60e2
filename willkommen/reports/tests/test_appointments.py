"""Appointment figures on a hand-made fixture; every number counted by hand."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from willkommen.appointments import selectors
from willkommen.appointments.models import Booking, FreeDay, Slot
from willkommen.catalogue.testing import make_anliegen
from willkommen.core.testing import make_location, make_staff, verified_login

START, END = dt.date(2026, 3, 2), dt.date(2026, 3, 6)
TODAY = dt.date(2026, 3, 1)


def at(day, hour=9):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


class World:
    def __init__(self, authority):
        self.authority = authority
        self.location = make_location(authority)
        self.anliegen = make_anliegen(authority)
        self.n = 0

    def slot(self, day, hour, public=4, invitation=2, urgent=1, withdrawn=False):
        return Slot.objects.create(
            authority=self.authority,
            location=self.location,
            anliegen=self.anliegen,
            starts_at=at(day, hour),
            ends_at=at(day, hour) + dt.timedelta(minutes=20),
            public_places=public,
            invitation_places=invitation,
            urgent_places=urgent,
            reserve_release_at=at(day, hour) - dt.timedelta(hours=24),
            withdrawn=withdrawn,
        )

    def booking(self, slot, status, channel="public", booked_days_before=7):
        self.n += 1
        booking = Booking.objects.create(
            authority=self.authority,
            reference=f"B{self.authority.pk}-{self.n}",
            slot=slot,
            anliegen=slot.anliegen,
            location=slot.location,
            starts_at=slot.starts_at,
            channel=channel,
            status=status,
            family_name="Haddad",
            date_of_birth=dt.date(1990, 1, 1),
            email="a@example.org",
            identity_key=f"identity-{self.n}",
        )
        Booking.objects.filter(pk=booking.pk).update(created_at=slot.starts_at - dt.timedelta(days=booked_days_before))
        return booking


@pytest.fixture
def world(authority, other_authority):
    w = World(authority)
    s1 = w.slot(d := dt.date(2026, 3, 3), 9)
    s2 = w.slot(d, 10)
    w.slot(d, 11, withdrawn=True)  # not offered: does not count
    w.slot(dt.date(2026, 3, 9), 9)  # after the period
    # places in the period: public 8, invitation 4, urgent 2
    w.booking(s1, "attended", booked_days_before=2)
    w.booking(s1, "attended", booked_days_before=4)
    w.booking(s1, "no_show", booked_days_before=10)
    w.booking(s1, "cancelled", booked_days_before=20)
    w.booking(s1, "expired", booked_days_before=1)  # never confirmed: not counted
    w.booking(s2, "checked_in", channel="invitation", booked_days_before=6)
    w.booking(s2, "confirmed", channel="urgent", booked_days_before=1)
    FreeDay.objects.create(
        authority=authority, anliegen=w.anliegen, location=w.location, day=dt.date(2026, 3, 12), places=3
    )
    FreeDay.objects.create(
        authority=authority, anliegen=w.anliegen, location=w.location, day=dt.date(2026, 3, 10), places=0
    )
    stranger = World(other_authority)
    w.stranger = stranger
    stranger.booking(stranger.slot(d, 9), "no_show")
    return w


def test_figures(world):
    r = selectors.appointment_figures(world.authority, START, END, today=TODAY)
    channels = {c["channel"]: c for c in r["channels"]}
    assert channels["public"] == {"channel": "public", "places": 8, "taken": 3, "utilisation": 3 / 8}
    assert channels["invitation"]["taken"] == 1 and channels["invitation"]["utilisation"] == 0.25
    assert channels["urgent"]["taken"] == 1 and r["urgent_used"] == 0.5
    assert (r["booked"], r["came"], r["no_show"], r["cancelled"]) == (6, 3, 1, 1)
    assert r["no_show_rate"] == pytest.approx(1 / 4)  # 1 of 4 due (3 came, 1 did not)
    assert r["cancel_rate"] == pytest.approx(1 / 6)
    lead = r["lead"][world.anliegen.pk]  # 1, 2, 4, 6, 10, 20 days
    assert lead["n"] == 6 and lead["median"] == pytest.approx(5) and lead["p90"] == pytest.approx(15)
    assert r["next_free"] == {world.anliegen.pk: 11}  # 12 March, the first day with a free public place


def test_location_filter(world):
    other = make_location(world.authority, "Außenstelle")
    r = selectors.appointment_figures(world.authority, START, END, location=other, today=TODAY)
    assert r["booked"] == 0 and r["next_free"] == {}


@pytest.fixture
def head(client, world):
    return verified_login(client, make_staff(world.authority, "hanna", role="head_of_office"))


def test_page_exports_and_constant_queries(head, world):
    from openpyxl import load_workbook

    params = {"start": START, "end": END}
    head.get(reverse("reports:appointments"), params)
    with CaptureQueriesContext(connection) as small:
        response = head.get(reverse("reports:appointments"), params, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200 and "No-show rate (%)" in html and "25.0" in html
    slot = world.slot(dt.date(2026, 3, 4), 9)
    for status in ("attended", "no_show", "cancelled", "confirmed"):
        world.booking(slot, status)
    with CaptureQueriesContext(connection) as large:
        head.get(reverse("reports:appointments"), params)
    assert len(large.captured_queries) == len(small.captured_queries)
    text = head.get(reverse("reports:appointments_csv"), {**params, "table": "channels"}, HTTP_ACCEPT_LANGUAGE="en")
    assert text.content.decode("utf-8-sig").splitlines()[0] == "Channel,Places,Taken,Utilisation (%)"  # English: commas
    book = load_workbook(io.BytesIO(head.get(reverse("reports:appointments_xlsx"), params).content))
    assert len(book.sheetnames) == 3
    assert head.get(reverse("reports:appointments"), {"start": END, "end": START}).status_code == 400


def test_refused_attempts_and_allocation_rounds(world, other_authority, head):
    from willkommen.appointments.models import AllocationRequest, AllocationRound, BlockedAttempt

    def at(day, hour=10):
        return timezone.make_aware(dt.datetime(2026, 3, day, hour))

    for day, authority in ((3, world.authority), (4, world.authority), (9, world.authority), (3, other_authority)):
        attempt = BlockedAttempt.objects.create(authority=authority, reason="pow")
        BlockedAttempt.objects.filter(pk=attempt.pk).update(at=at(day))
    ran = AllocationRound.objects.create(
        authority=world.authority,
        anliegen=world.anliegen,
        location=world.location,
        opens_at=at(1),
        closes_at=at(4),
        ran_at=at(4, 11),
    )
    not_run = AllocationRound.objects.create(
        authority=world.authority, anliegen=world.anliegen, location=world.location, opens_at=at(1), closes_at=at(5)
    )
    booking = Booking.objects.filter(authority=world.authority).first()
    for i, (round_, served, position) in enumerate(
        [(ran, booking, None), (ran, None, 1), (ran, None, 2), (ran, None, None), (not_run, None, None)]
    ):
        AllocationRequest.objects.create(
            authority=world.authority,
            round=round_,
            family_name=f"P{i}",
            date_of_birth=dt.date(1990, 1, 1),
            email=f"p{i}@example.org",
            identity_key=f"k{i}",
            earliest=START,
            latest=END,
            waiting_since=at(2),
            booking=served,
            waitlist_position=position,
        )
    r = selectors.appointment_figures(world.authority, START, END, today=TODAY)
    assert r["blocked"] == 2  # the 9th is after the period, the other authority's never counts
    assert r["rounds"] == {"rounds": 1, "requests": 4, "served": 1, "waiting": 2}
    other = make_location(world.authority, "Außenstelle")
    assert (
        selectors.appointment_figures(world.authority, START, END, location=other, today=TODAY)["rounds"]["requests"]
        == 0
    )
    html = head.get(
        reverse("reports:appointments"), {"start": START, "end": END}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Booking attempts refused (limits, proof of work)" in html and "Allocation requests served" in html
