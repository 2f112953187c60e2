"""'Open case' from a ServicePoint drop-off (the documents a client handed in at the counter, with its ticket)
or from a bare walk-in ticket at the counter: the prefilled desk intake link and the link back (hooks of the
cases room, ``cases.intake.register_origin``)."""

from urllib.parse import urlencode

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

ORIGIN = "dropoff"
TICKET_ORIGIN = "ticket"


def open_case_url(drop_off):
    """``/desk/cases/new/`` prefilled from ``drop_off``: its person, way in ``servicepoint`` and the day the
    documents were handed in (the Anliegen is chosen at the desk: a drop-off names none)."""
    params = {
        "person": drop_off.person_id,
        "source": "servicepoint",
        "received_on": timezone.localdate(drop_off.received_at).isoformat(),
        "origin": f"{ORIGIN}:{drop_off.pk}",
    }
    return f"{reverse('cases:open')}?{urlencode(params)}"


def link(authority, actor, object_id, case):
    """Link the drop-off to the case just opened and file its documents (the e-file documents recorded for
    it) under the case, so they are on the case's timeline; the label names its ticket when there is one."""
    from willkommen.cases.intake import IntakeRefused
    from willkommen.efile.services import file_under_case

    from .models import DropOff

    with transaction.atomic():
        found = (
            DropOff.objects.select_for_update(of=("self",))
            .select_related("ticket")
            .filter(authority=authority, pk=object_id)
            .first()
        )
        if found is None:
            raise IntakeRefused(_("This drop-off does not exist."))
        if found.case_id and found.case_id != case.pk:
            raise IntakeRefused(_("This drop-off is already linked to another case."))
        if found.person_id != case.person_id:
            raise IntakeRefused(_("This drop-off belongs to another person."))
        found.case = case
        found.save(update_fields=["case"])
        ids = [item["document_id"] for item in found.items if item.get("document_id")]
        file_under_case(authority, case.person, ids, case)
    if found.ticket:
        return _("ServicePoint drop-off %(number)s (ticket %(ticket)s)") % {
            "number": found.pk,
            "ticket": found.ticket.code,
        }
    return _("ServicePoint drop-off %(number)s") % {"number": found.pk}


# --- a bare walk-in ticket ------------------------------------------------------------------------


def ticket_open_case_url(ticket, person_id=None):
    """``/desk/cases/new/`` prefilled from a walk-in ticket being served: way in ``counter``, the day the
    ticket was issued, the person when known (from a drop-off of the ticket), else the person search. A
    ticket names no Anliegen: it is chosen at the desk."""
    params = {"person": person_id} if person_id else {}
    params.update(
        source="counter",
        received_on=timezone.localdate(ticket.issued_at).isoformat(),
        origin=f"{TICKET_ORIGIN}:{ticket.pk}",
    )
    return f"{reverse('cases:open')}?{urlencode(params)}"


def add_open_case_urls(user, tickets):
    """Set ``open_case_url`` on each ticket at the counter from which a case may be opened: a walk-in (no
    booking: a booking's case is opened from the booking) being served, not linked to a case yet, for a
    user who may open cases; '' on the others."""
    from .models import DropOff, Status

    allowed = user.can("cases.open")
    open_ones = [
        t
        for t in tickets
        if allowed and not t.booking_reference and not t.case_id and t.status in (Status.CALLED, Status.SERVING)
    ]
    persons = dict(
        DropOff.objects.filter(ticket__in=[t.pk for t in open_ones])
        .order_by("pk")
        .values_list("ticket_id", "person_id")
    )  # the latest drop-off of the ticket names the person
    for t in tickets:
        t.open_case_url = ticket_open_case_url(t, persons.get(t.pk)) if t in open_ones else ""
    return tickets


def link_ticket(authority, actor, object_id, case):
    """Link the walk-in ticket to the case just opened at the counter."""
    from willkommen.cases.intake import IntakeRefused

    from .models import Ticket

    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().filter(authority=authority, pk=object_id).first()
        if ticket is None:
            raise IntakeRefused(_("This ticket does not exist."))
        if ticket.case_id and ticket.case_id != case.pk:
            raise IntakeRefused(_("This ticket is already linked to another case."))
        ticket.case = case
        ticket.save(update_fields=["case"])
    return _("ServicePoint ticket %(code)s") % {"code": ticket.code}
