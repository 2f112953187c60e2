"""The ServicePoint's share of data protection: a person's document drop-offs and the tickets of the
person's appointments (found by booking reference) in the Art. 15 copy; erasing the drop-offs with the
person; and the retention job for tickets (SERVICEPOINT_TICKET_RETENTION_DAYS). A ticket carries no name:
the mobile number is deleted when it closes, and its booking reference says nothing once the booking is
gone (APPOINTMENTS_RETENTION_DAYS); the rows are kept for the visit figures, then deleted."""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from willkommen.audit import retention
from willkommen.clients import personal_data
from willkommen.clients.personal_data import Section, rows

from .models import DayCounter, DropOff, Ticket


def export(authority, person):
    from willkommen.appointments.selectors import booking_references_of

    references = booking_references_of(authority, person)
    tickets = Ticket.objects.filter(authority=authority, booking_reference__in=references)
    return Section(
        tables={
            "drop_offs": rows(DropOff.objects.filter(authority=authority, person=person).order_by("received_at", "id")),
            "tickets": rows(tickets.order_by("day", "number"), exclude=("public_id",)),
        }
    )


def erase(authority, person_ids):
    _n, counts = DropOff.objects.filter(authority=authority, person_id__in=person_ids).delete()
    return counts


def apply_retention(authority, now, tally):
    before = timezone.localtime(now).date() - dt.timedelta(days=settings.SERVICEPOINT_TICKET_RETENTION_DAYS)
    retention.delete_in_batches(Ticket.objects.filter(authority=authority, day__lt=before), tally)
    retention.delete_in_batches(DayCounter.objects.filter(authority=authority, day__lt=before), tally)


CONTRIBUTOR = personal_data.Contributor(
    key="servicepoint",
    label=_("ServicePoint visits and documents handed in"),
    models=("servicepoint.DropOff", "servicepoint.Ticket"),
    export=export,
    erase=erase,
)

JOB = retention.Job(
    room="servicepoint",
    label=_("Walk-in tickets"),
    apply=apply_retention,
    order=40,
    periods=(
        retention.Period(
            "SERVICEPOINT_TICKET_RETENTION_DAYS",
            "days",
            _("Walk-in tickets (times, category, language) and the day counters"),
            _(
                "Derived: the tickets carry no name (the mobile number goes when the ticket closes); 2 years keep "
                "the visit figures of this and the previous year for the council's comparison."
            ),
        ),
    ),
)


def register():
    personal_data.register(CONTRIBUTOR)
    retention.register(JOB)
