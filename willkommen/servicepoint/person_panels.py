"""The ServicePoint's section of the person view (slot ``clients.person``, core/panels.py): the tickets of
the person's visits (a ticket carries no name: found by the booking reference of the person's bookings, or
by a document drop-off of the person) and the drop-offs with their receipts. Tickets only for staff who may
read tickets (visibility policy ``TICKETS``), drop-offs only for those who may read drop-offs
(``DROP_OFFS``: the ServicePoint, and casework for the persons its teams handle), both filtered in SQL; a
drop-off not linked to a case offers "open a case" to whoever may open cases.

The case page (slot ``cases.case``) lists the drop-offs of the case's person the same way: those filed
under this case, and those not under any case yet with their "open a case" link."""

from django.db.models import Q
from django.template.loader import render_to_string

from willkommen.clients.visibility import Resource, may_read, visible

from .case_intake import open_case_url
from .models import DropOff, Ticket

ORDER = 60
LAST = 10


def person_visits(request, person):
    user = getattr(request, "user", None)
    if person is None or user is None or not user.is_authenticated:
        return ""
    see_tickets, see_drop_offs = may_read(user, Resource.TICKETS), may_read(user, Resource.DROP_OFFS)
    if not see_tickets and not see_drop_offs:
        return ""
    tickets, drop_offs = [], []
    if see_tickets:
        from willkommen.appointments.selectors import booking_references_of

        references = booking_references_of(request.authority, person)
        person_drop_offs = DropOff.objects.filter(authority=request.authority, person=person).values("ticket_id")
        found = Q(pk__in=person_drop_offs)
        if references:
            found |= Q(booking_reference__in=references)
        tickets = list(
            visible(Ticket.objects.filter(found), user, request.authority, Resource.TICKETS, person_field=None)
            .select_related("location")
            .order_by("-day", "-number")[:LAST]
        )
    if see_drop_offs:
        drop_offs = _drop_offs(request, DropOff.objects.filter(person=person))
    if not tickets and not drop_offs:
        return ""
    return render_to_string(
        "servicepoint/person/visits.html",
        {"person": person, "tickets": tickets, "drop_offs": drop_offs},
        request=request,
    )


def _drop_offs(request, queryset):
    """The drop-offs of ``queryset`` the user may read (newest first, audited by the page that shows the
    person), each with its ``open_case_url`` when it is under no case and the user may open cases."""
    rows = list(
        visible(queryset, request.user, request.authority, Resource.DROP_OFFS)
        .select_related("case", "ticket")
        .order_by("-received_at", "-pk")[:LAST]
    )
    may_open = request.user.can("cases.open")
    for row in rows:
        row.open_case_url = open_case_url(row) if may_open and not row.case_id else ""
    return rows


def case_drop_offs(request, case):
    """The case page's section: the person's drop-offs filed under this case or under no case yet."""
    from willkommen.audit.services import record_read

    user = getattr(request, "user", None)
    if case is None or user is None or not user.is_authenticated or not may_read(user, Resource.DROP_OFFS):
        return ""
    drop_offs = _drop_offs(
        request, DropOff.objects.filter(person_id=case.person_id).filter(Q(case_id=case.pk) | Q(case__isnull=True))
    )
    if not drop_offs:
        return ""
    record_read(request, *drop_offs, purpose="Case page: documents handed in at the ServicePoint")
    return render_to_string("servicepoint/case/drop_offs.html", {"case": case, "drop_offs": drop_offs}, request=request)


def register():
    from willkommen.core import panels

    panels.register("clients.person", person_visits, order=ORDER)
    panels.register("cases.case", case_drop_offs, order=ORDER)
