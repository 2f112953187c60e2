"""Issuing tickets: walk-in tickets (refused when closed or the waiting room is full), check-in of an
appointment (the cap does not apply) and the client's mobile number for the SMS."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from . import sms
from .models import WALK_IN_CATEGORIES, Category, DayCounter, Priority, Status, Ticket
from .opening import ServicePointError, _require_open
from .waiting import cap_reached, come_back_at, today


def _next_number(location, day):
    counter, _created = DayCounter.objects.get_or_create(authority=location.authority, location=location, day=day)
    DayCounter.objects.filter(pk=counter.pk).update(last_number=F("last_number") + 1)
    return DayCounter.objects.values_list("last_number", flat=True).get(pk=counter.pk)


def _phone(value):
    """The mobile number normalised (E.164), "" when none; a ServicePointError with a clear message if
    invalid. Without an SMS gateway nothing is kept (a number that cannot be used is not stored)."""
    try:
        phone = sms.normalise_phone(value)
    except ValidationError as error:
        raise ServicePointError(str(error.messages[0])) from None
    return phone if sms.available() else ""


def _create_ticket(
    location, category, *, now, language, priority, issued_by=None, appointment_at=None, reference="", phone=""
):
    day = today(now)
    ticket = Ticket.objects.create(
        authority=location.authority,
        location=location,
        day=day,
        number=_next_number(location, day),
        category=category,
        priority=priority,
        language=language,
        appointment_at=appointment_at,
        booking_reference=reference,
        issued_at=now,
        queued_at=now,
        issued_by=issued_by,
        phone=phone,
    )
    if phone:
        sms.phone_given(ticket, now)
    return ticket


def issue_ticket(authority, location, category, *, language="de", urgent=False, issued_by=None, phone="", now=None):
    """A walk-in ticket. Refused when the location is closed or the waiting room is full.

    ``phone``: optional mobile number for the SMS when the turn is near (see ``sms.py``)."""
    now = now or timezone.now()
    if location.authority_id != authority.pk:
        raise ServicePointError(_("This location does not belong to this authority."))
    if category not in WALK_IN_CATEGORIES:
        raise ServicePointError(_("Please choose what you have come for."))
    phone = _phone(phone)
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    _require_open(location, now)
    with transaction.atomic():
        if cap_reached(location, now):
            back = come_back_at(location, now)
            if back:
                message = _(
                    "The waiting room is full. Please come back at %(time)s. Clients with an appointment can still check in."
                ) % {"time": time_format(back, "H:i")}
            else:
                message = _(
                    "The waiting room is full and no more walk-in tickets are issued today. "
                    "Please come back on another day. Clients with an appointment can still check in."
                )
            raise ServicePointError(message, come_back_at=back)
        return _create_ticket(
            location,
            category,
            now=now,
            language=language,
            priority=Priority.URGENT if urgent else Priority.WALK_IN,
            issued_by=issued_by,
            phone=phone,
        )


def check_in(authority, location, code, *, language="de", staff=None, phone="", now=None):
    """Check in an existing appointment by its reference or QR code and give a ticket.

    The booking itself is checked (and marked checked-in) by the appointments room; the cap
    does not apply: appointment holders always get in."""
    now = now or timezone.now()
    code = (code or "").strip()
    if not code or len(code) > 200:
        raise ServicePointError(_("Please enter the booking reference from your confirmation."))
    if location.authority_id != authority.pk:
        raise ServicePointError(_("This location does not belong to this authority."))
    phone = _phone(phone)
    _require_open(location, now)
    try:
        from willkommen.appointments import services as appointment_services
    except ImportError:
        appointment_services = None
    if appointment_services is None or not hasattr(appointment_services, "check_in"):
        raise ServicePointError(_("Check-in is not available at the moment. Please take a ticket for information."))
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with transaction.atomic():
        try:
            booking = appointment_services.check_in(authority, location, code, staff=staff, now=now)
        except appointment_services.CheckInError as error:
            raise ServicePointError(str(getattr(error, "message", error))) from None
        reference = getattr(booking, "reference", "")[:20]
        if Ticket.objects.filter(authority=authority, location=location, day=today(now), booking_reference=reference):
            # Reused code: the booking already has its ticket today. Undo the whole check-in.
            transaction.set_rollback(True)
            raise ServicePointError(_("This appointment has already been checked in."))
        return _create_ticket(
            location,
            Category.CHECK_IN,
            now=now,
            language=getattr(booking, "language", language) or language,
            priority=Priority.APPOINTMENT,
            issued_by=staff,
            appointment_at=getattr(booking, "starts_at", None),
            reference=reference,
            phone=phone,
        )


def set_phone(ticket, phone, *, now=None):
    """The client leaves (or, with "", deletes) a mobile number for the SMS while waiting."""
    now = now or timezone.now()
    phone = _phone(phone)
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().filter(authority=ticket.authority, pk=ticket.pk).first()
        if ticket is None:
            raise ServicePointError(_("This ticket has changed in the meantime. Please reload the page."))
        if phone and ticket.status != Status.WAITING:
            raise ServicePointError(_("Your number has already been called."))
        ticket.phone = phone
        ticket.save(update_fields=["phone"])
        if phone:
            sms.phone_given(ticket, now)
    return ticket
