"""The ServicePoint's section of the person view (slot ``clients.person``, core/panels.py): the tickets of
the person's visits (a ticket carries no name: found by the booking reference of the person's bookings, or
by a document drop-off of the person) and the drop-offs with their receipts. Tickets only for staff who may
read tickets (visibility policy ``TICKETS``), drop-offs only for those who may read drop-offs
(``DROP_OFFS``), both filtered in SQL."""

from django.db.models import Q
from django.template.loader import render_to_string

from willkommen.clients.visibility import Resource, may_read, visible

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
        drop_offs = list(
            visible(DropOff.objects.filter(person=person), user, request.authority, Resource.DROP_OFFS)
            .select_related("case", "ticket")
            .order_by("-received_at", "-pk")[:LAST]
        )
    if not tickets and not drop_offs:
        return ""
    return render_to_string(
        "servicepoint/person/visits.html",
        {"person": person, "tickets": tickets, "drop_offs": drop_offs},
        request=request,
    )


def register():
    from willkommen.core import panels

    panels.register("clients.person", person_visits, order=ORDER)
