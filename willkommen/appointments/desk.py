"""Staff pages under /desk/appointments/: day and week calendar per location, day list for printing,
booking on behalf, invitations, follow-ups, attended/no-show, cancel and move with notice."""

import datetime as dt

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from willkommen.accounts.decorators import desk_view
from willkommen.audit.services import record_read
from willkommen.catalogue.models import Anliegen
from willkommen.clients.visibility import Resource, visible
from willkommen.tenancy.models import Location

from . import case_intake, selectors, services
from .forms import InvitationForm, MarkForm, OnBehalfForm, ReasonForm
from .models import Booking, Slot
from .views import portal_url

CAPABILITY = "appointments.manage"


def _error(request, message, status=400, errors=()):
    return render(
        request, "core/error.html", {"title": _("Not done"), "message": message, "errors": errors}, status=status
    )


def _location(request):
    locations = list(Location.objects.filter(authority=request.authority, active=True).order_by("name"))
    wanted = request.GET.get("location") or request.POST.get("location")
    chosen = next((loc for loc in locations if str(loc.pk) == wanted), locations[0] if locations else None)
    return locations, chosen


def _day(request):
    try:
        return dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return timezone.localdate()


def _bookings(request, queryset):
    """Bookings within the visibility policy (``clients/visibility.py``, resource ``bookings``)."""
    return visible(queryset, request.user, request.authority, Resource.BOOKINGS)


def _booking(request, pk):
    booking = _bookings(request, Booking.objects.filter(pk=pk)).select_related("anliegen", "location", "slot").first()
    if booking is None:
        raise Http404
    return booking


@desk_view(CAPABILITY)
def calendar(request):
    """Day view of one location: every slot with its places and the bookings in it."""
    locations, location = _location(request)
    day = _day(request)
    bookings = list(_bookings(request, selectors.bookings_on(request.authority, location, day))) if location else []
    record_read(request, *bookings, purpose="appointments calendar")
    start, end = selectors.day_bounds(day)
    slots = (
        Slot.objects.filter(authority=request.authority, location=location, starts_at__gte=start, starts_at__lt=end)
        .select_related("anliegen")
        .prefetch_related("anliegen__texts")
        .order_by("starts_at", "anliegen__order")
        if location
        else []
    )
    by_slot = {}
    for booking in bookings:
        by_slot.setdefault(booking.slot_id, []).append(booking)
    rows = [{"slot": s, "bookings": by_slot.get(s.pk, [])} for s in slots]
    return render(
        request,
        "appointments/desk/calendar.html",
        {
            "locations": locations,
            "location": location,
            "day": day,
            "previous": day - dt.timedelta(days=1),
            "next": day + dt.timedelta(days=1),
            "rows": rows,
            "bookings": bookings,
        },
    )


@desk_view(CAPABILITY)
def week(request):
    locations, location = _location(request)
    day = _day(request)
    monday = day - dt.timedelta(days=day.weekday())
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    bookings = (
        list(_bookings(request, selectors.bookings_between(request.authority, location, days[0], days[-1])))
        if location
        else []
    )
    record_read(request, *bookings, purpose="appointments week")
    columns = [
        {"day": d, "bookings": [b for b in bookings if timezone.localtime(b.starts_at).date() == d]} for d in days
    ]
    return render(
        request,
        "appointments/desk/week.html",
        {
            "locations": locations,
            "location": location,
            "columns": columns,
            "previous": monday - dt.timedelta(days=7),
            "next": monday + dt.timedelta(days=7),
        },
    )


@desk_view(CAPABILITY)
def day_list(request):
    """The printable day list of a location."""
    locations, location = _location(request)
    day = _day(request)
    bookings = list(_bookings(request, selectors.bookings_on(request.authority, location, day))) if location else []
    record_read(request, *bookings, purpose="appointments day list")
    return render(request, "appointments/desk/day_list.html", {"location": location, "day": day, "bookings": bookings})


@desk_view(CAPABILITY)
def booking_detail(request, pk):
    booking = _booking(request, pk)
    record_read(request, booking, purpose="appointment detail")
    today = timezone.localdate()
    free = selectors.free_slots(
        request.authority,
        booking.anliegen,
        location=booking.location,
        date_from=today,
        date_to=today + dt.timedelta(days=90),
        channel="invitation",
    )[:100]
    return render(
        request,
        "appointments/desk/booking.html",
        {
            "booking": booking,
            "free": free,
            "reason_form": ReasonForm(),
            "follow_ups": booking.booking_set.all(),
            "open_case_url": case_intake.open_case_url(booking)
            if not booking.case_id and request.user.can("cases.open")
            else "",
        },
    )


@desk_view(CAPABILITY)
@require_POST
def mark(request, pk):
    booking = _booking(request, pk)
    form = MarkForm(request.POST)
    if not form.is_valid():
        return _error(request, _("Unknown status."))
    try:
        services.mark(request.authority, booking, form.cleaned_data["status"], staff=request.user)
    except services.BookingError as exc:
        return _error(request, exc.message, exc.status)
    return redirect("appointments:desk-booking", pk=booking.pk)


@desk_view(CAPABILITY)
@require_POST
def cancel(request, pk):
    booking = _booking(request, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.cancel(request.authority, booking.reference, staff=request.user, reason=reason)
    except services.BookingError as exc:
        return _error(request, exc.message, exc.status)
    return redirect("appointments:desk-booking", pk=booking.pk)


@desk_view(CAPABILITY)
@require_POST
def move(request, pk):
    booking = _booking(request, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        slot_id = int(request.POST.get("slot", ""))
        services.move(request.authority, booking.reference, slot_id=slot_id, staff=request.user, reason=reason)
    except ValueError:
        return _error(request, _("Please choose a time."))
    except services.BookingError as exc:
        return _error(request, exc.message, exc.status)
    return redirect("appointments:desk-booking", pk=booking.pk)


@desk_view(CAPABILITY)
@require_POST
def follow_up(request, pk):
    """Two clicks: from the booking page choose a time, press the button."""
    booking = _booking(request, pk)
    try:
        slot_id = int(request.POST.get("slot", ""))
        new = services.follow_up(request.authority, booking, slot_id=slot_id, staff=request.user)
    except ValueError:
        return _error(request, _("Please choose a time."))
    except services.BookingError as exc:
        return _error(request, exc.message, exc.status)
    return redirect("appointments:desk-booking", pk=new.pk)


@desk_view(CAPABILITY)
def book_on_behalf(request, slot_id):
    slot = (
        Slot.objects.filter(authority=request.authority, pk=slot_id, withdrawn=False)
        .select_related("location", "anliegen")
        .first()
    )
    if slot is None:
        raise Http404
    form = OnBehalfForm(request.POST or None, authority=request.authority, initial={"language": "de"})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        terms = services.Terms(
            channel=data.pop("channel"), confirmed=True, booked_by=request.user, portal_url=portal_url(request)
        )
        try:
            booking, _token = services.hold(
                request.authority,
                slot_id=slot.pk,
                anliegen=slot.anliegen,
                applicant=services.Applicant(**data),
                terms=terms,
            )
        except services.BookingError as exc:
            return _error(request, exc.message, exc.status)
        return redirect("appointments:desk-booking", pk=booking.pk)
    return render(
        request,
        "appointments/desk/book.html",
        {"slot": slot, "form": form, "places": {c: slot.free(c) for c in ("public", "invitation", "urgent")}},
        status=400 if request.method == "POST" else 200,
    )


@desk_view(CAPABILITY)
def invite(request):
    """Invite a client (Terminladung): a fixed slot, or a personal link to invitation-only places."""
    anliegen_list = list(
        Anliegen.objects.filter(authority=request.authority, active=True)
        .prefetch_related("texts")
        .order_by("order", "slug")
    )
    locations, location = _location(request)
    form = InvitationForm(request.POST or None, authority=request.authority, initial={"language": "de"})
    chosen = next((a for a in anliegen_list if str(a.pk) == request.POST.get("anliegen")), None)
    if request.method == "POST":
        if chosen is None:
            form.is_valid()
            form.add_error(None, _("Please choose the Anliegen."))
        elif form.is_valid():
            data = form.cleaned_data
            try:
                invitee = services.Applicant(
                    family_name=data["family_name"],
                    given_names=data["given_names"],
                    date_of_birth=data["date_of_birth"],
                    email=data["email"],
                    language=data["language"],
                )
                invitation, _token, booking = services.invite(
                    request.authority,
                    anliegen=chosen,
                    location=location,
                    invitee=invitee,
                    deadline=data["deadline"],
                    slot_id=data.get("slot"),
                    staff=request.user,
                    portal_url=portal_url(request),
                )
            except services.BookingError as exc:
                return _error(request, exc.message, exc.status)
            if booking is not None:
                return redirect("appointments:desk-booking", pk=booking.pk)
            return render(request, "appointments/desk/invited.html", {"invitation": invitation})
    with translation.override(translation.get_language()):
        return render(
            request,
            "appointments/desk/invite.html",
            {"form": form, "anliegen_list": anliegen_list, "locations": locations, "location": location},
            status=400 if request.method == "POST" else 200,
        )
