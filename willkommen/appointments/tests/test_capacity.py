"""Slot generation: holidays, closures, durations, channel split, reserve release, waiting-room cap."""

import datetime as dt
import zoneinfo

import pytest
from django.conf import settings

from willkommen.appointments import availability, capacity, selectors, services
from willkommen.appointments.generation import generate_for_offer
from willkommen.appointments.models import Channel, Slot, WaitingWindow
from willkommen.appointments.testing import applicant, make_offer
from willkommen.catalogue.testing import make_anliegen
from willkommen.core.testing import make_location
from willkommen.tenancy.models import Closure

TZ = zoneinfo.ZoneInfo(settings.TIME_ZONE)
MONDAY = dt.date(2027, 1, 4)  # 6 January (Epiphany) is a public holiday in Bavaria, not in NRW


def local(day, hour, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


def days_with_slots(offer):
    return sorted(
        {s.starts_at.astimezone(TZ).date() for s in Slot.objects.filter(authority=offer.authority, withdrawn=False)}
    )


def test_slot_times_skip_a_duration_that_does_not_fit_before_closing():
    periods = [capacity.Period(0, dt.time(8), dt.time(16))]
    times = capacity.slot_times(periods, MONDAY, 50)
    assert len(times) == 9
    assert times[0][0].time() == dt.time(8)
    assert times[-1][1].time() == dt.time(15, 30)  # 15:30–16:20 would end after closing
    assert capacity.slot_times(periods, MONDAY + dt.timedelta(days=1), 50) == []  # closed on Tuesday
    lunch_break = [capacity.Period(0, dt.time(8), dt.time(12)), capacity.Period(0, dt.time(13), dt.time(15, 45))]
    afternoon = [s.time() for s, _e in capacity.slot_times(lunch_break, MONDAY, 30) if s.hour >= 12]
    assert afternoon == [dt.time(13), dt.time(13, 30), dt.time(14), dt.time(14, 30), dt.time(15)]


def test_public_holidays_of_the_federal_state_have_no_slots(authority, other_authority):
    bavaria = make_offer(authority, today=MONDAY, horizon=4)
    nrw = make_offer(other_authority, today=MONDAY, horizon=4)
    assert dt.date(2027, 1, 6) not in days_with_slots(bavaria)
    assert days_with_slots(bavaria) == [
        dt.date(2027, 1, 4),
        dt.date(2027, 1, 5),
        dt.date(2027, 1, 7),
        dt.date(2027, 1, 8),
    ]
    assert dt.date(2027, 1, 6) in days_with_slots(nrw)


def test_closures_of_a_location_and_of_all_locations(authority):
    offer = make_offer(authority, generate=False)
    Closure.objects.create(
        authority=authority,
        location=offer.location,
        starts_on=dt.date(2027, 1, 4),
        ends_on=dt.date(2027, 1, 5),
        reason="Umzug",
    )
    Closure.objects.create(
        authority=authority,
        location=None,
        starts_on=dt.date(2027, 1, 8),
        ends_on=dt.date(2027, 1, 8),
        reason="Personalversammlung",
    )
    other_location = make_location(authority, "Außenstelle")
    Closure.objects.create(
        authority=authority, location=other_location, starts_on=dt.date(2027, 1, 7), ends_on=dt.date(2027, 1, 7)
    )
    generate_for_offer(offer, today=MONDAY, horizon=4)
    assert days_with_slots(offer) == [dt.date(2027, 1, 7)]


def test_regeneration_withdraws_closed_slots_but_keeps_bookings(authority):
    offer = make_offer(authority, today=MONDAY, horizon=4)
    slot = Slot.objects.filter(authority=authority, starts_at=local(dt.date(2027, 1, 7), 9)).get()
    booking, _ = services.hold(
        authority, slot_id=slot.pk, anliegen=offer.anliegen, now=local(MONDAY, 7), applicant=applicant()
    )
    Closure.objects.create(
        authority=authority, location=offer.location, starts_on=dt.date(2027, 1, 7), ends_on=dt.date(2027, 1, 7)
    )
    result = generate_for_offer(offer, today=MONDAY, horizon=4)
    slot.refresh_from_db()
    assert slot.withdrawn and slot.public_taken == 1
    assert result["withdrawn"] == 24  # 8–16 in 20-minute steps
    booking.refresh_from_db()
    assert booking.status == "held"
    # Running again changes nothing.
    assert generate_for_offer(offer, today=MONDAY, horizon=4) == {"created": 0, "updated": 0, "withdrawn": 0}


def test_channel_split_and_slot_count(authority):
    offer = make_offer(authority, workstations=5, invitation=1, urgent=2, minutes=30, today=MONDAY, horizon=0)
    slots = Slot.objects.filter(authority=authority)
    assert slots.count() == 16
    assert {(s.public_places, s.invitation_places, s.urgent_places) for s in slots} == {(2, 1, 2)}
    assert capacity.channel_split(2, 3, 3) == {"public": 0, "invitation": 2, "urgent": 0}
    assert offer.public_places == 2


def test_invitation_places_are_not_sold_publicly(authority):
    offer = make_offer(authority, workstations=2, invitation=1, today=MONDAY, horizon=0)
    slot = Slot.objects.filter(authority=authority).first()
    now = local(MONDAY, 6)
    services.hold(authority, slot_id=slot.pk, anliegen=offer.anliegen, now=now, applicant=applicant(1))
    with pytest.raises(services.SlotGone):
        services.hold(authority, slot_id=slot.pk, anliegen=offer.anliegen, now=now, applicant=applicant(2))
    invited, _ = services.hold(
        authority,
        slot_id=slot.pk,
        anliegen=offer.anliegen,
        now=now,
        applicant=applicant(3),
        terms=services.Terms(channel=Channel.INVITATION),
    )
    assert invited.channel == Channel.INVITATION


def test_urgent_reserve_is_released_hours_before(authority):
    offer = make_offer(authority, workstations=2, urgent=1, release=24, today=MONDAY, horizon=3)
    slot = Slot.objects.filter(authority=authority, starts_at=local(dt.date(2027, 1, 5), 10)).get()
    early = local(MONDAY, 9)  # 25 hours before
    services.hold(authority, slot_id=slot.pk, anliegen=offer.anliegen, now=early, applicant=applicant(1))
    with pytest.raises(services.SlotGone):
        services.hold(authority, slot_id=slot.pk, anliegen=offer.anliegen, now=early, applicant=applicant(2))
    late = local(MONDAY, 10)  # exactly 24 hours before: released
    booking, _ = services.hold(authority, slot_id=slot.pk, anliegen=offer.anliegen, now=late, applicant=applicant(2))
    assert booking.channel == Channel.URGENT
    with pytest.raises(services.SlotGone):
        services.hold(authority, slot_id=slot.pk, anliegen=offer.anliegen, now=late, applicant=applicant(3))


def test_staff_may_use_the_urgent_reserve_at_any_time(authority):
    offer = make_offer(authority, workstations=1, urgent=1, today=MONDAY, horizon=1)
    slot = Slot.objects.filter(authority=authority).first()
    booking, _ = services.hold(
        authority,
        slot_id=slot.pk,
        anliegen=offer.anliegen,
        now=local(MONDAY, 6),
        applicant=applicant(),
        terms=services.Terms(channel=Channel.URGENT, confirmed=True),
    )
    assert booking.channel == Channel.URGENT and booking.status == "confirmed"


def test_waiting_room_cap_limits_all_anliegen_together(authority):
    location = make_location(authority, cap=3)
    study = make_offer(authority, location=location, workstations=2, minutes=30, today=MONDAY, horizon=0)
    work = make_offer(
        authority,
        anliegen=make_anliegen(authority, "work"),
        location=location,
        workstations=2,
        minutes=15,
        today=MONDAY,
        horizon=0,
    )
    now = local(MONDAY, 6)
    study_slot = Slot.objects.get(anliegen=study.anliegen, starts_at=local(MONDAY, 9))
    work_915 = Slot.objects.get(anliegen=work.anliegen, starts_at=local(MONDAY, 9, 15))
    work_930 = Slot.objects.get(anliegen=work.anliegen, starts_at=local(MONDAY, 9, 30))
    services.hold(authority, slot_id=study_slot.pk, anliegen=study.anliegen, now=now, applicant=applicant(1))
    services.hold(authority, slot_id=study_slot.pk, anliegen=study.anliegen, now=now, applicant=applicant(2))
    # The 30-minute study appointments occupy 9:00 and 9:15: one place left at 9:15, none taken at 9:30.
    services.hold(authority, slot_id=work_915.pk, anliegen=work.anliegen, now=now, applicant=applicant(3))
    with pytest.raises(services.SlotGone):
        services.hold(authority, slot_id=work_915.pk, anliegen=work.anliegen, now=now, applicant=applicant(4))
    services.hold(authority, slot_id=work_930.pk, anliegen=work.anliegen, now=now, applicant=applicant(4))
    taken = dict(
        WaitingWindow.objects.filter(location=location, starts_at__lt=local(MONDAY, 10)).values_list(
            "starts_at", "taken"
        )
    )
    assert taken[local(MONDAY, 9)] == 2 and taken[local(MONDAY, 9, 15)] == 3 and taken[local(MONDAY, 9, 30)] == 1
    assert max(taken.values()) <= location.waiting_room_cap
    # The free-slot search hides the full windows as well.
    from willkommen.appointments.selectors import free_slots

    listed = {s.pk: s for s in free_slots(authority, work.anliegen, date_from=MONDAY, date_to=MONDAY, now=now)}
    assert work_915.pk not in listed and work_930.pk in listed
    # The free places counted in SQL agree with the per-slot check, the cap included: at 9:30 the window
    # holds one client (cap 3), the slot has one public place left.
    for slot in listed.values():
        assert slot.free_places == selectors.places_for(Slot.objects.get(pk=slot.pk), "public", now)
    assert listed[work_930.pk].free_places == 1
    work_945 = Slot.objects.get(anliegen=work.anliegen, starts_at=local(MONDAY, 9, 45))
    assert listed[work_945.pk].free_places == 2


def _counts_per_day(slots, key):
    """Free times and places per ``key(slot, local day)`` counted from the slot list."""
    counts = {}
    for slot in slots:
        row = counts.setdefault(key(slot, slot.starts_at.astimezone(TZ).date()), {"slots": 0, "places": 0})
        row["slots"] += 1
        row["places"] += slot.free_places
    return counts


def test_free_days_counts_in_sql_what_the_slot_list_shows(authority):
    location = make_location(authority, cap=3)
    offer = make_offer(authority, location=location, workstations=2, minutes=30, today=MONDAY, horizon=3)
    now = local(MONDAY, 6)
    first = Slot.objects.filter(anliegen=offer.anliegen, starts_at__gte=local(MONDAY, 9)).order_by("starts_at")[0]
    for n in range(2):
        services.hold(authority, slot_id=first.pk, anliegen=offer.anliegen, now=now, applicant=applicant(n))
    end = MONDAY + dt.timedelta(days=3)
    slots = selectors.free_slots(authority, offer.anliegen, date_from=MONDAY, date_to=end, now=now)
    days = selectors.free_days(authority, offer.anliegen, date_from=MONDAY, date_to=end, now=now)
    expected = _counts_per_day(slots, lambda slot, day: day)
    assert {d["day"]: {"slots": d["slots"], "places": d["places"]} for d in days} == expected
    assert all(d["location"] == location.pk for d in days)
    assert first.pk not in {s.pk for s in slots}
    assert selectors.days_with_places(authority, offer.anliegen, location, MONDAY, end, now=now) == sorted(expected)


def test_a_nearly_full_waiting_room_on_a_later_day_is_read_from_the_slots(authority):
    """A day after the first days is answered from the summary, unless its waiting room may hold fewer clients
    than a slot shows free places (availability._tight_days, one statement for all locations): then from the
    slots. Two locations, each with its own cap; the day counts agree with the slot list everywhere."""
    small = make_location(authority, "Klein", cap=3)
    large = make_location(authority, "Groß", cap=40)
    offer = make_offer(authority, location=small, workstations=2, minutes=30, today=MONDAY, horizon=5)
    make_offer(authority, anliegen=offer.anliegen, location=large, workstations=2, minutes=30, today=MONDAY, horizon=5)
    now = local(MONDAY, 6)
    thursday = MONDAY + dt.timedelta(days=3)  # after the first days (the reserve's release time): a settled day
    first = Slot.objects.get(anliegen=offer.anliegen, location=small, starts_at=local(thursday, 9))
    for n in range(2):
        services.hold(authority, slot_id=first.pk, anliegen=offer.anliegen, now=now, applicant=applicant(n))
    end = MONDAY + dt.timedelta(days=5)
    slots = selectors.free_slots(authority, offer.anliegen, date_from=MONDAY, date_to=end, now=now)
    days = selectors.free_days(authority, offer.anliegen, date_from=MONDAY, date_to=end, now=now)
    expected = _counts_per_day(slots, lambda slot, day: (slot.location_id, day))
    assert {(d["location"], d["day"]): {"slots": d["slots"], "places": d["places"]} for d in days} == expected
    # the cap of 3 leaves one client for 9:15 (the 9:00 appointments run into it): fewer places that day
    assert expected[(small.pk, thursday)]["places"] < expected[(large.pk, thursday)]["places"]
    scope = availability.Scope(authority, offer.anliegen, None, MONDAY, end, now, offer.mode)
    wednesday = MONDAY + dt.timedelta(days=2)
    assert availability._tight_days(scope, availability._offers(scope), wednesday) == {(small.pk, thursday)}


def test_windows_cover_the_whole_appointment():
    assert capacity.windows(local(MONDAY, 9, 10), local(MONDAY, 9, 40)) == [
        local(MONDAY, 9),
        local(MONDAY, 9, 15),
        local(MONDAY, 9, 30),
    ]
