import datetime as dt

import pytest
from django.utils import timezone, translation

from willkommen.servicepoint import opening, services
from willkommen.servicepoint.models import DayCounter, Outcome, Status, Ticket
from willkommen.tenancy.models import Closure


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def issue(authority, location, category="quick_info", **kw):
    return services.issue_ticket(authority, location, category, **kw)


def test_numbers_run_per_location_and_day(authority, location):
    from willkommen.core.testing import make_location

    from .conftest import open_always

    other = open_always(make_location(authority, "Außenstelle"))
    a = issue(authority, location)
    b = issue(authority, location, "drop_off")
    c = issue(authority, other)
    assert (a.number, b.number, c.number) == (1, 2, 1)
    assert (a.code, b.code) == ("A001", "B002")
    tomorrow = timezone.now() + dt.timedelta(days=1)
    assert issue(authority, location, now=tomorrow).number == 1


def test_cap_stops_walk_ins_and_says_when_to_come_back(authority, location, fake_appointments):
    for _ in range(location.waiting_room_cap):
        issue(authority, location)
    assert services.cap_reached(location, timezone.now())
    with pytest.raises(services.ServicePointError) as refused:
        issue(authority, location, "forms")
    assert "waiting room is full" in refused.value.message
    assert refused.value.come_back_at is not None
    assert Ticket.objects.count() == location.waiting_room_cap
    # appointment holders still get in
    fake_appointments.add("ABC123", location, timezone.now())
    ticket = services.check_in(authority, location, "ABC123")
    assert ticket.priority == "appointment" and ticket.category == "check_in"
    assert services.present_count(location, timezone.now()) == location.waiting_room_cap + 1


def test_cap_counts_waiting_and_called_but_not_served(authority, location):
    tickets = [issue(authority, location) for _ in range(location.waiting_room_cap)]
    called = services.call_next(authority, location, counter="1")
    assert called.pk == tickets[0].pk
    assert services.cap_reached(location, timezone.now())  # called but not yet at the counter
    services.start_service(called)
    assert not services.cap_reached(location, timezone.now())
    assert issue(authority, location).number == location.waiting_room_cap + 1


def test_come_back_at_is_none_after_closing(authority, location):
    from willkommen.tenancy.models import OpeningHours

    location.waiting_room_cap = 1
    location.save()
    issue(authority, location)
    OpeningHours.objects.filter(location=location).update(closes=dt.time(23, 59, 59, 999999))
    now = timezone.now()
    late = timezone.localtime(now).replace(hour=23, minute=58)
    assert services.come_back_at(location, late) is None


def test_closed_location_gives_a_clear_message_and_no_ticket(authority, location):
    today = timezone.localdate()
    Closure.objects.create(authority=authority, location=location, starts_on=today, ends_on=today, reason="Umzug")
    with pytest.raises(services.ServicePointError) as refused:
        issue(authority, location)
    assert "closed" in refused.value.message
    assert not Ticket.objects.exists() and not DayCounter.objects.exists()


def test_public_holiday_closes(authority, location, monkeypatch):
    monkeypatch.setattr(opening, "public_holidays", lambda a, s, e: {s: "Feiertag"})
    with pytest.raises(services.ServicePointError):
        issue(authority, location)


def test_outside_opening_hours_is_closed(authority):
    from willkommen.core.testing import make_location

    location = make_location(authority, "Nur werktags")  # Mon-Fri 8-16
    sunday = timezone.make_aware(dt.datetime(2026, 3, 1, 10, 0))
    monday_early = timezone.make_aware(dt.datetime(2026, 3, 2, 7, 59))
    monday = timezone.make_aware(dt.datetime(2026, 3, 2, 9, 0))
    assert not services.is_open(location, sunday)
    assert not services.is_open(location, monday_early)
    assert services.is_open(location, monday)


def test_ticket_of_another_authority_location_is_refused(authority, other_authority, location):
    with pytest.raises(services.ServicePointError):
        services.issue_ticket(other_authority, location, "quick_info")
    assert not Ticket.objects.exists()


def test_call_next_follows_the_order_and_never_calls_twice(authority, location, fake_appointments):
    walk = issue(authority, location)
    urgent = issue(authority, location, urgent=True)
    fake_appointments.add("APT1", location, timezone.now() - dt.timedelta(minutes=1))
    appointment = services.check_in(authority, location, "APT1")
    called = [services.call_next(authority, location, counter=str(i)) for i in (1, 2, 3, 4)]
    assert [t.pk if t else None for t in called] == [appointment.pk, urgent.pk, walk.pk, None]
    assert called[0].status == Status.CALLED and called[0].counter == "1" and called[0].called_at


def test_no_show_goes_back_once_then_drops_out(authority, location, settings):
    settings.SERVICEPOINT_NO_SHOW_MINUTES = 3
    settings.SERVICEPOINT_NO_SHOW_REQUEUES = 1
    first = issue(authority, location)
    second = issue(authority, location)
    now = timezone.now()
    services.call_next(authority, location, counter="1", now=now)
    assert services.expire_no_shows(now + dt.timedelta(minutes=2)) == 0
    assert services.expire_no_shows(now + dt.timedelta(minutes=4)) == 1
    first.refresh_from_db()
    assert first.status == Status.WAITING and first.recalls == 1
    # back at the end of the queue: the second walk-in is called before
    assert services.call_next(authority, location, counter="1", now=now + dt.timedelta(minutes=5)).pk == second.pk
    again = services.call_next(authority, location, counter="1", now=now + dt.timedelta(minutes=6))
    assert again.pk == first.pk
    services.expire_no_shows(now + dt.timedelta(minutes=10))
    first.refresh_from_db()
    assert first.status == Status.NO_SHOW and first.outcome == Outcome.NO_SHOW


def test_no_show_drops_out_at_once_when_configured(authority, location, settings):
    settings.SERVICEPOINT_NO_SHOW_REQUEUES = 0
    ticket = issue(authority, location)
    services.call_next(authority, location, counter="1")
    assert services.mark_no_show(ticket).status == Status.NO_SHOW


def test_finish_records_times_and_outcome(authority, location, sp_staff):
    ticket = issue(authority, location)
    now = timezone.now()
    services.call_next(authority, location, counter="2", staff=sp_staff, now=now)
    services.start_service(ticket, now=now + dt.timedelta(minutes=1))
    done = services.finish(ticket, Outcome.SOLVED, now=now + dt.timedelta(minutes=5))
    assert done.status == Status.DONE and done.outcome == "solved" and done.staff == sp_staff
    assert (done.finished_at - done.served_at) == dt.timedelta(minutes=4)
    with pytest.raises(services.ServicePointError):
        services.finish(done, Outcome.SOLVED)  # already finished


def test_estimated_wait_grows_with_the_queue(authority, location, settings):
    settings.SERVICEPOINT_DEFAULT_SERVICE_MINUTES = 6
    tickets = [issue(authority, location) for _ in range(3)]
    assert [services.estimated_wait_minutes(t) for t in tickets] == [0, 6, 12]


def test_stale_tickets_of_past_days_are_closed(authority, location):
    ticket = issue(authority, location, now=timezone.now() - dt.timedelta(days=1))
    assert services.cancel_stale() == 1
    ticket.refresh_from_db()
    assert ticket.status == Status.NO_SHOW


# --- check-in: bad input changes nothing ---------------------------------------------------------


def test_forged_code_is_refused_and_nothing_changes(authority, location, fake_appointments):
    with pytest.raises(services.ServicePointError) as refused:
        services.check_in(authority, location, "FORGED-123")
    assert refused.value.message == "Unknown booking reference."
    assert not Ticket.objects.exists()


def test_reused_code_is_refused(authority, location, fake_appointments):
    fake_appointments.add("ONCE", location, timezone.now())
    services.check_in(authority, location, "ONCE")
    with pytest.raises(services.ServicePointError):
        services.check_in(authority, location, "ONCE")
    assert Ticket.objects.count() == 1


def test_reused_code_is_refused_even_if_the_booking_side_lets_it_through(authority, location, fake_appointments):
    fake_appointments.add("TWICE", location, timezone.now())
    services.check_in(authority, location, "TWICE")
    fake_appointments.bookings["TWICE"].checked_in = False
    with pytest.raises(services.ServicePointError) as refused:
        services.check_in(authority, location, "TWICE")
    assert "already been checked in" in refused.value.message
    assert Ticket.objects.count() == 1


def test_check_in_for_another_location_or_day(authority, location, fake_appointments):
    from willkommen.core.testing import make_location

    other = make_location(authority, "Anderswo")
    fake_appointments.add("ELSEWHERE", other, timezone.now())
    fake_appointments.add("TOMORROW", location, timezone.now() + dt.timedelta(days=1))
    for code in ("ELSEWHERE", "TOMORROW"):
        with pytest.raises(services.ServicePointError):
            services.check_in(authority, location, code)
    assert not Ticket.objects.exists()


def test_empty_or_oversized_code(authority, location, fake_appointments):
    for code in ("", "   ", "X" * 201):
        with pytest.raises(services.ServicePointError):
            services.check_in(authority, location, code)
    assert fake_appointments.calls == []
