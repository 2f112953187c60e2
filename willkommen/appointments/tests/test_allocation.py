"""Fair allocation mode: urgency first, reproducible with a recorded seed, no place twice."""

import datetime as dt

from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from willkommen.appointments import allocation
from willkommen.appointments.allocation import Place, Wish, allocate
from willkommen.appointments.models import AllocationRequest, AllocationRound, Booking, Status
from willkommen.appointments.testing import applicant, make_offer

DAY = dt.date(2027, 3, 1)
T0 = dt.datetime(2027, 2, 1, 9, tzinfo=dt.UTC)


def place(slot_id, day_offset, count=1, hour=9):
    day = DAY + dt.timedelta(days=day_offset)
    return Place(slot_id, day, dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC), count)


def wish(wid, earliest=0, latest=30, permit=None, waited_minutes=0):
    return Wish(
        wid,
        DAY + dt.timedelta(days=earliest),
        DAY + dt.timedelta(days=latest),
        permit,
        T0 + dt.timedelta(minutes=waited_minutes),
    )


def test_permit_expiring_soonest_goes_first_then_waiting_time():
    wishes = [
        wish(1, permit=None, waited_minutes=0),
        wish(2, permit=DAY + dt.timedelta(days=40)),
        wish(3, permit=DAY + dt.timedelta(days=10)),
        wish(4, permit=DAY + dt.timedelta(days=40), waited_minutes=-60),  # filed earlier (waiting longer)
    ]
    assignments, waiting = allocate(wishes, [place(100, 0), place(101, 1)], seed=7)
    assert assignments == {3: 100, 4: 101}
    assert waiting == [2, 1]


def test_same_seed_same_result_and_ties_are_random():
    wishes = [wish(i) for i in range(1, 21)]
    places = [place(100 + i, i) for i in range(5)]
    first = allocate(wishes, places, seed=12345)
    assert allocate(list(reversed(wishes)), places, seed=12345) == first  # order of filing is irrelevant
    winners = {frozenset(allocate(wishes, places, seed=s)[0]) for s in range(20)}
    assert len(winners) > 1  # different seeds pick different winners among equals


def test_nobody_gets_a_place_outside_their_dates():
    assignments, waiting = allocate([wish(1, earliest=5, latest=6)], [place(100, 0), place(101, 7)], seed=1)
    assert assignments == {} and waiting == [1]


wish_strategy = st.builds(
    lambda wid, a, b, permit, waited: wish(wid, min(a, b), max(a, b), permit, waited),
    st.integers(1, 10_000),
    st.integers(0, 20),
    st.integers(0, 20),
    st.one_of(st.none(), st.dates(DAY, DAY + dt.timedelta(days=60))),
    st.integers(-1000, 1000),
)


@settings(max_examples=150, deadline=None)
@given(
    wishes=st.lists(wish_strategy, max_size=40, unique_by=lambda w: w.id),
    counts=st.lists(st.integers(1, 3), min_size=0, max_size=15),
    seed=st.integers(0, 2**62),
)
def test_property_no_place_twice_and_within_dates(wishes, counts, seed):
    places = [place(1000 + i, i, count) for i, count in enumerate(counts)]
    by_slot = {p.slot_id: p for p in places}
    assignments, waiting = allocate(wishes, places, seed)
    given_out = {}
    for wish_id, slot_id in assignments.items():
        given_out[slot_id] = given_out.get(slot_id, 0) + 1
    assert all(given_out[s] <= by_slot[s].count for s in given_out)  # no place given twice
    wishes_by_id = {w.id: w for w in wishes}
    for wish_id, slot_id in assignments.items():
        w = wishes_by_id[wish_id]
        assert w.earliest <= by_slot[slot_id].day <= w.latest
    assert set(assignments) | set(waiting) == set(wishes_by_id) and not set(assignments) & set(waiting)
    assert allocate(wishes, places, seed) == (assignments, waiting)


def test_round_books_places_records_the_seed_and_informs_everyone(
    authority, mailoutbox, django_capture_on_commit_callbacks
):
    offer = make_offer(authority, workstations=1, mode="allocation", horizon=10)
    now = timezone.now()
    current = AllocationRound.objects.create(
        authority=authority,
        anliegen=offer.anliegen,
        location=offer.location,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(hours=23),
    )
    from willkommen.appointments.models import Slot

    first = Slot.objects.filter(authority=authority, starts_at__gte=now + dt.timedelta(days=3)).earliest("starts_at")
    tomorrow = timezone.localtime(first.starts_at).date()  # the first working day three days ahead
    for n in range(3):
        allocation.file_request(
            authority,
            current,
            family_name=f"Antrag{n}",
            given_names="",
            date_of_birth=dt.date(1985, 1, 1),
            email=f"a{n}@example.org",
            language="en",
            earliest=tomorrow,
            latest=tomorrow,
            permit_expires=tomorrow + dt.timedelta(days=n),
        )
    # Only two places on that day within the acceptable window: limit the round to two.
    day_slots = Slot.objects.filter(authority=authority, starts_at__date__gte=tomorrow).order_by("starts_at")
    keep = [s.pk for s in day_slots if timezone.localtime(s.starts_at).date() == tomorrow][:2]
    Slot.objects.filter(authority=authority).exclude(pk__in=keep).update(withdrawn=True)
    with django_capture_on_commit_callbacks(execute=True):
        result = allocation.run(current, seed=42, now=now + dt.timedelta(hours=24))
    current.refresh_from_db()
    assert current.seed == 42 and current.ran_at is not None
    assert result["booked"] == 2 and result["waiting"] == 1
    requests = {r.family_name: r for r in AllocationRequest.objects.filter(round=current)}
    assert requests["Antrag0"].booking and requests["Antrag1"].booking  # most urgent first
    assert requests["Antrag2"].booking is None and requests["Antrag2"].waitlist_position == 1
    assert all(r.informed_at for r in requests.values())
    assert Booking.objects.filter(status=Status.CONFIRMED).count() == 2
    recipients = {m.to[0] for m in mailoutbox}
    assert recipients == {"a0@example.org", "a1@example.org", "a2@example.org"}
    assert allocation.run(current) is None  # once only


def test_allocation_mode_refuses_direct_public_booking(client, authority):
    offer = make_offer(authority, mode="allocation")
    from willkommen.appointments import services
    from willkommen.appointments.models import Slot

    slot = Slot.objects.filter(authority=authority, starts_at__gt=timezone.now()).first()
    import pytest

    with pytest.raises(services.BookingError, match="allocation"):
        services.hold(authority, slot_id=slot.pk, anliegen=offer.anliegen, applicant=applicant())
    assert client.get(f"/appointments/{offer.anliegen.slug}/times/").status_code == 302
