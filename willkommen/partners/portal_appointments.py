"""Appointments a partner books for a client (scope "book appointments on the client's behalf").

The booking goes through the appointments room's one booking service (``appointments.services.hold``): the
same places of the public channel, the same duplicate rule, confirmed at once for the known person (the partner
signed in with a second factor, so no proof of work) – instead of it the partner account's own rate limit
(``PARTNER_BOOKINGS_PER_MINUTE``, default 10). The partner sees and cancels the active bookings their
organisation made for the client; every page and booking is audited with the consent's purpose.
"""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from willkommen.audit.services import record_read
from willkommen.core.desk import desk_view

from .models import Scope
from .portal_access import consent_for
from .portal_forms import PartnerBookingForm

DAYS_AHEAD = 28


def bookings_by(authority, person_id, organisation):
    """The client's active bookings made by the organisation's accounts."""
    from willkommen.appointments import selectors as appointments

    return (
        appointments.active_bookings_for_person(authority, person_id)
        .filter(booked_by__partner_account__organisation=organisation)
        .select_related("anliegen", "location")
        .order_by("starts_at")
    )


def _slot_choices(authority, anliegen):
    from django.utils.formats import date_format

    from willkommen.appointments import selectors as appointments

    today = timezone.localdate()
    slots = appointments.free_slots(
        authority, anliegen, date_from=today, date_to=today + dt.timedelta(days=DAYS_AHEAD)
    )[:60]
    return [
        (str(s.pk), f"{date_format(timezone.localtime(s.starts_at), 'SHORT_DATETIME_FORMAT')} · {s.location_name}")
        for s in slots
    ]


@desk_view("partner.portal")
def book(request, person_id):
    """GET: the Anliegen that can be booked, then the free times of the chosen one; POST: book it."""
    from willkommen.appointments import selectors as appointments

    organisation, consent = consent_for(request, person_id, Scope.APPOINTMENTS)
    choices = appointments.bookable_anliegen(request.authority)
    slug = request.POST.get("anliegen") or request.GET.get("anliegen") or ""
    anliegen = choices.filter(slug=slug).first() if slug else None
    form = None
    status = 200
    if anliegen is not None:
        form = PartnerBookingForm(request.POST or None, slots=_slot_choices(request.authority, anliegen))
        if request.method == "POST":
            if form.is_valid():
                error = _hold(request, organisation, consent, anliegen, int(form.cleaned_data["slot"]))
                if error is None:
                    messages.success(request, _("The appointment was booked for the client."))
                    return redirect("partners:portal_client", person_id=person_id)
                form.add_error(None, error[0])
                status = error[1]
            else:
                status = 400
    elif request.method == "POST":
        status = 400
    record_read(request, consent.person, purpose=f"partner: {consent.purpose}"[:200], detail=organisation.name)
    return render(
        request,
        "partners/portal_book.html",
        {"person": consent.person, "choices": choices, "anliegen": anliegen, "form": form},
        status=status,
    )


def _hold(request, organisation, consent, anliegen, slot_id):
    """Book through the appointments room; (message, status) when refused, else None."""
    from willkommen.appointments import services as appointments
    from willkommen.appointments.limits import hit

    limit = getattr(settings, "PARTNER_BOOKINGS_PER_MINUTE", 10)
    if not hit("partner-booking", str(request.user.pk), limit):
        return _("Too many bookings in a short time. Please wait a minute."), 429
    person = consent.person
    applicant = appointments.Applicant(
        family_name=person.family_name,
        given_names=person.given_names,
        date_of_birth=person.date_of_birth,
        email=person.email,
        language=person.preferred_language or "de",
    )
    terms = appointments.Terms(
        confirmed=True,
        booked_by=request.user,
        person=person,
        portal_url=request.build_absolute_uri(get_script_prefix()).rstrip("/"),
    )
    try:
        booking, _token = appointments.hold(
            request.authority, slot_id=slot_id, anliegen=anliegen, applicant=applicant, terms=terms
        )
    except appointments.BookingError as exc:
        return exc.message, exc.status
    record_read(request, booking, purpose=f"partner booking: {consent.purpose}"[:200], detail=organisation.name)
    return None


@desk_view("partner.portal")
@require_POST
def cancel(request, person_id, pk):
    from willkommen.appointments import services as appointments

    organisation, consent = consent_for(request, person_id, Scope.APPOINTMENTS)
    booking = bookings_by(request.authority, person_id, organisation).filter(pk=pk).first()
    if booking is None:
        raise Http404
    try:
        appointments.cancel(
            request.authority, booking.reference, staff=request.user, reason=organisation.name, notify=True
        )
    except appointments.BookingError as exc:
        return render(
            request, "core/error.html", {"title": _("This did not work"), "message": exc.message}, status=exc.status
        )
    record_read(
        request, booking, purpose=f"partner booking cancelled: {consent.purpose}"[:200], detail=organisation.name
    )
    messages.success(request, _("The appointment was cancelled."))
    return redirect("partners:portal_client", person_id=person_id)
