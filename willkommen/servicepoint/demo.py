"""Demo data: a ServicePoint for every location and two weeks of past visits for the figures."""

import datetime as dt
import random

from django.utils import timezone

from willkommen.tenancy.models import Location

from .models import WALK_IN_CATEGORIES, DayCounter, DropOff, Outcome, Priority, Station, Status, Ticket

OUTCOMES = {
    "quick_info": [Outcome.SOLVED, Outcome.SOLVED, Outcome.SOLVED, Outcome.REFERRED],
    "drop_off": [Outcome.DOCUMENTS_RECEIVED],
    "forms": [Outcome.FORMS_HANDED_OUT],
    "booking": [Outcome.APPOINTMENT_BOOKED],
}


def load(authority):
    rng = random.Random(authority.slug)
    for location in Location.objects.filter(authority=authority):
        Station.objects.get_or_create(authority=authority, location=location)
        if Ticket.objects.filter(authority=authority, location=location).exists():
            continue
        today = timezone.localdate()
        for back in range(1, 15):
            day = today - dt.timedelta(days=back)
            if day.weekday() >= 5:
                continue
            number = 0
            for _ in range(rng.randint(15, 30)):
                number += 1
                category = rng.choice(WALK_IN_CATEGORIES)
                issued = timezone.make_aware(dt.datetime.combine(day, dt.time(8))) + dt.timedelta(
                    minutes=rng.randint(0, 7 * 60)
                )
                called = issued + dt.timedelta(minutes=rng.randint(1, 45))
                served = called + dt.timedelta(minutes=1)
                finished = served + dt.timedelta(minutes=rng.randint(2, 15))
                no_show = rng.random() < 0.07
                Ticket.objects.create(
                    authority=authority,
                    location=location,
                    day=day,
                    number=number,
                    category=category,
                    priority=Priority.WALK_IN,
                    status=Status.NO_SHOW if no_show else Status.DONE,
                    language=rng.choice(["de", "de", "en", "ar", "tr", "uk"]),
                    issued_at=issued,
                    queued_at=issued,
                    called_at=called,
                    served_at=None if no_show else served,
                    finished_at=finished,
                    counter=str(rng.randint(1, 3)),
                    outcome=Outcome.NO_SHOW if no_show else rng.choice(OUTCOMES[category]),
                )
            DayCounter.objects.update_or_create(
                authority=authority, location=location, day=day, defaults={"last_number": number}
            )
    drop_off_without_case(authority)


def drop_off_without_case(authority):
    """One drop-off at a ticket, by a person with no case yet: its page offers "Open a case for these
    documents" (issue 12 item 2). Once per authority."""
    from willkommen.clients.models import Person

    if DropOff.objects.filter(authority=authority).exists():
        return
    person = Person.objects.filter(authority=authority, email="").order_by("pk").first()
    person = person or Person.objects.filter(authority=authority).order_by("pk").first()
    if person is None:
        return
    ticket = Ticket.objects.filter(authority=authority, category="drop_off").order_by("-day", "number").first()
    DropOff.objects.create(
        authority=authority,
        person=person,
        ticket=ticket,
        items=[{"title": "Reisepass (Kopie)", "document_type": "passport"}, {"title": "Duldung (Kopie)"}],
    )
