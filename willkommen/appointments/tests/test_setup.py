"""The office sets up its appointments (issue 15 item 8): the preview of an offer's slots and the
regeneration after a change that keeps every booking (``appointments/setup.py``)."""

import datetime as dt

import pytest
from django.utils import timezone

from willkommen.appointments import setup
from willkommen.appointments.booking import Terms, hold
from willkommen.appointments.models import Booking, FreeDay, Slot
from willkommen.appointments.setup_forms import OfferForm
from willkommen.appointments.testing import applicant, make_offer
from willkommen.tenancy.models import Closure, OpeningHours

pytestmark = pytest.mark.django_db

CONFIRMED = Terms(confirmed=True, notify=False)


@pytest.fixture(autouse=True)
def _horizon(settings):
    settings.APPOINTMENTS_HORIZON_DAYS = 14


def _next_weekday(weekday=2):
    day = timezone.localdate() + dt.timedelta(days=3)
    while day.weekday() != weekday:
        day += dt.timedelta(days=1)
    return day


def _slot_at(offer, day, hour, minute=0):
    starts = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=setup.summary.tz())
    return Slot.objects.get(
        authority=offer.authority, anliegen=offer.anliegen, location=offer.location, starts_at=starts
    )


def _book(offer, slot, n=0):
    booking, _token = hold(
        offer.authority, slot_id=slot.pk, anliegen=offer.anliegen, applicant=applicant(n), terms=CONFIRMED
    )
    return booking


def _free_day(offer, day):
    return FreeDay.objects.get(authority=offer.authority, anliegen=offer.anliegen, location=offer.location, day=day)


def test_shorter_hours_remove_free_slots_and_keep_the_booked_one(authority):
    offer = make_offer(authority, workstations=2)
    day = _next_weekday()
    late = _slot_at(offer, day, 15, 0)
    booking = _book(offer, late)
    OpeningHours.objects.filter(location=offer.location).update(closes=dt.time(12))

    result = setup.regenerate(offer)

    booking.refresh_from_db()
    late.refresh_from_db()
    assert booking.slot_id == late.pk and booking.status == "confirmed"
    assert late.withdrawn and late.public_taken == 1 and late.public_places >= late.public_taken
    afternoon = Slot.objects.filter(location=offer.location, starts_at__gte=late.starts_at - dt.timedelta(hours=2))
    assert list(afternoon.filter(starts_at__date=day).values_list("pk", flat=True)) == [late.pk]
    assert result["removed"] > 0
    entries = _free_day(offer, day).slots
    assert '"12:00"' not in entries and '"11:40"' in entries and f"[{late.pk}," not in entries


def test_fewer_workstations_never_shrink_a_slot_below_its_bookings(authority):
    offer = make_offer(authority, workstations=2)
    slot = _slot_at(offer, _next_weekday(), 9, 0)
    first, second = _book(offer, slot, 1), _book(offer, slot, 2)
    offer.workstations = 1
    offer.save()

    setup.regenerate(offer)

    slot.refresh_from_db()
    assert (slot.public_places, slot.public_taken) == (2, 2)
    assert set(Booking.objects.filter(slot=slot).values_list("pk", flat=True)) == {first.pk, second.pk}
    other = _slot_at(offer, _next_weekday(), 9, 20)
    assert other.public_places == 1
    for s in Slot.objects.filter(authority=authority):
        assert s.public_taken <= s.public_places and s.invitation_taken <= s.invitation_places


def test_more_workstations_add_places_and_the_summary_follows(authority):
    offer = make_offer(authority, workstations=2)
    day = _next_weekday()
    slot = _slot_at(offer, day, 9, 0)
    booking = _book(offer, slot)
    offer.workstations, offer.urgent_places = 4, 1
    offer.save()

    setup.regenerate(offer)

    slot.refresh_from_db()
    booking.refresh_from_db()
    assert (slot.public_places, slot.urgent_places, slot.public_taken) == (3, 1, 1)
    assert booking.slot_id == slot.pk
    free = _free_day(offer, day)
    assert free.times == 24 and free.places == 24 * 3 - 1
    assert f'[{slot.pk},"09:00",2],' in free.slots


def test_regenerating_twice_changes_nothing(authority):
    offer = make_offer(authority, workstations=2)
    _book(offer, _slot_at(offer, _next_weekday(), 10, 0))
    OpeningHours.objects.filter(location=offer.location, weekday=_next_weekday().weekday()).delete()
    setup.regenerate(offer)
    before = list(Slot.objects.order_by("pk").values())
    days = list(FreeDay.objects.order_by("pk").values())

    assert setup.regenerate(offer) == {"created": 0, "updated": 0, "withdrawn": 0, "removed": 0}
    assert list(Slot.objects.order_by("pk").values()) == before
    assert list(FreeDay.objects.order_by("pk").values()) == days


def test_a_closure_removes_the_free_slots_of_its_days_and_counts_the_bookings(authority):
    offer = make_offer(authority, workstations=2)
    day = _next_weekday()
    booking = _book(offer, _slot_at(offer, day, 10, 0))
    Closure.objects.create(authority=authority, location=offer.location, starts_on=day, ends_on=day)

    setup.regenerate_location(authority, offer.location_id)

    assert list(Slot.objects.filter(starts_at__date=day).values_list("pk", flat=True)) == [booking.slot_id]
    assert _free_day(offer, day).times == 0
    assert list(setup.bookings_between(authority, day, day, offer.location_id)) == [booking]
    assert not setup.bookings_between(authority, day + dt.timedelta(days=1), day + dt.timedelta(days=1)).exists()


def test_the_preview_shows_each_day_with_its_count_and_times_without_saving(authority):
    offer = make_offer(authority, workstations=2)
    form = OfferForm(
        {
            "workstations": 5,
            "invitation_places": 1,
            "urgent_places": 1,
            "reserve_release_hours": 24,
            "mode": "first_come",
            "active": "on",
        },
        instance=offer,
        authority=authority,
    )
    assert form.is_valid(), form.errors
    today = timezone.localdate()

    shown = setup.preview(form.instance, today=today, days=7)

    assert shown["split"] == {"public": 3, "invitation": 1, "urgent": 1}
    weekdays = [today + dt.timedelta(days=n) for n in range(7) if (today + dt.timedelta(days=n)).weekday() < 5]
    assert [row["day"] for row in shown["days"]] == weekdays
    assert all(row["count"] == 24 for row in shown["days"])  # 8:00–16:00 in 20 minutes
    assert shown["days"][0]["times"][:2] == [dt.time(8), dt.time(8, 20)]
    offer.refresh_from_db()
    assert offer.workstations == 2 and not Slot.objects.filter(public_places=3).exists()


def test_the_audit_detail_names_each_changed_field(authority):
    offer = make_offer(authority, workstations=2, generate=False)
    data = {
        "workstations": 3,
        "invitation_places": 0,
        "urgent_places": 0,
        "reserve_release_hours": 24,
        "mode": "allocation",
        "active": "on",
    }
    form = OfferForm(data, instance=offer, authority=authority)
    assert form.is_valid(), form.errors

    detail = setup.change_detail(form)

    assert detail == "workstations: 2 → 3; mode: first come, first served → fair allocation (request window)"


@pytest.mark.parametrize(
    "change,field",
    [
        ({"invitation_places": 2, "urgent_places": 1}, "invitation_places"),
        ({"workstations": 0}, "workstations"),
        ({"workstations": 10_000}, "workstations"),
        ({"mode": "lottery"}, "mode"),
    ],
)
def test_an_impossible_offer_is_refused(authority, change, field):
    offer = make_offer(authority, workstations=2, generate=False)
    data = {
        "workstations": 2,
        "invitation_places": 0,
        "urgent_places": 0,
        "reserve_release_hours": 24,
        "mode": "first_come",
        **change,
    }
    form = OfferForm(data, instance=offer, authority=authority)
    assert not form.is_valid()
    assert field in form.errors
