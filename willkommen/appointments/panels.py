"""The appointments room's panels on lower rooms' pages (``core/panels.py``): "Invite to an appointment"
on the case page (``cases.case``) and among the person view's actions (``clients.person.actions``), and the
person's bookings as a section of the person view (``clients.person``)."""

from django.template.loader import render_to_string

from willkommen.cases.selectors import anliegen_texts
from willkommen.clients.visibility import Resource, may_read, visible

from .models import Booking
from .renewal_desk import CAPABILITY

MAX_BOOKINGS = 10


def _link(request, person_id, case_id=None):
    if not request.user.is_authenticated or not request.user.can(CAPABILITY):
        return ""
    return render_to_string(
        "appointments/desk/_invite_link.html", {"person_id": person_id, "case_id": case_id}, request=request
    )


def case_invite(request, case):
    return _link(request, case.person_id, case.pk) if case is not None else ""


def person_invite(request, person):
    if person is None or not request.user.is_authenticated or not request.user.can(CAPABILITY):
        return ""
    return render_to_string("appointments/person/actions.html", {"person": person}, request=request)


def person_bookings(request, person):
    """Section "Appointments": the person's bookings, newest first, each linked to its desk page. Only for
    staff who may read bookings (visibility policy ``BOOKINGS``), filtered in SQL."""
    user = getattr(request, "user", None)
    if person is None or user is None or not user.is_authenticated or not may_read(user, Resource.BOOKINGS):
        return ""
    rows = list(
        visible(Booking.objects.filter(person=person), user, request.authority, Resource.BOOKINGS)
        .select_related("anliegen", "location")
        .prefetch_related(anliegen_texts())
        .order_by("-starts_at", "-pk")[: MAX_BOOKINGS + 1]
    )
    if not rows:
        return ""
    return render_to_string(
        "appointments/person/bookings.html",
        {"person": person, "bookings": rows[:MAX_BOOKINGS], "more": len(rows) > MAX_BOOKINGS},
        request=request,
    )


def my_bookings(request, person):
    """Section "Appointments" of the client's overview (slot ``portal.my``): the person's bookings, newest
    first, filtered in SQL by the person and the authority (the page has checked the client's sign-in)."""
    authority = getattr(request, "authority", None)
    if person is None or authority is None or person.authority_id != authority.pk:
        return ""
    rows = list(
        Booking.objects.filter(authority=authority, person=person)
        .select_related("anliegen", "location")
        .prefetch_related(anliegen_texts())
        .order_by("-starts_at", "-pk")[:MAX_BOOKINGS]
    )
    return render_to_string("appointments/person/my_bookings.html", {"bookings": rows}, request=request)


def register():
    from django.utils.translation import gettext_lazy as _

    from willkommen.audit.office_views import register_link
    from willkommen.core import panels

    # the hub of the office's set-up (/desk/office/): offers, allocation rounds, opening hours, closures
    register_link(_("Appointment offers"), "appointments:setup-offers", "office.setup", order=10)
    register_link(_("Allocation rounds"), "appointments:setup-rounds", "office.setup", order=11)
    register_link(_("Opening hours"), "appointments:setup-hours", "office.setup", order=12)
    register_link(_("Closures"), "appointments:setup-closures", "office.setup", order=13)
    panels.register("cases.case", case_invite)
    panels.register("clients.person", person_bookings, order=50)
    panels.register("clients.person.actions", person_invite, order=30)
    panels.register("portal.my", my_bookings, order=20)
