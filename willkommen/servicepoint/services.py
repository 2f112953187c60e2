"""Commands of the ServicePoint: issuing tickets, check-in, calling, no-shows and drop-off.

Calling is atomic: the next ticket is locked with ``SELECT ... FOR UPDATE SKIP LOCKED`` on
PostgreSQL (a second counter skips the row the first one holds) and re-checked as still
waiting; on SQLite every transaction is IMMEDIATE, so writers run one after the other.
Either way two counters never get the same ticket.
"""

import datetime as dt
import math
import statistics

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from willkommen.tenancy.models import Closure
from willkommen.tenancy.selectors import public_holidays

from . import queue, sms
from .models import (
    PRESENT_STATUSES,
    WALK_IN_CATEGORIES,
    Category,
    DayCounter,
    DropOff,
    Outcome,
    Priority,
    Station,
    Status,
    Ticket,
)


class ServicePointError(Exception):
    """A request the ServicePoint refuses; ``message`` is translated and shown to the user."""

    def __init__(self, message, *, come_back_at=None):
        super().__init__(message)
        self.message = message
        self.come_back_at = come_back_at


def _setting(name, default):
    return getattr(settings, name, default)


def no_show_minutes():
    return _setting("SERVICEPOINT_NO_SHOW_MINUTES", 5)


def no_show_requeues():
    """How often a called client who did not come goes back into the queue before dropping out."""
    return _setting("SERVICEPOINT_NO_SHOW_REQUEUES", 1)


def default_service_minutes():
    return _setting("SERVICEPOINT_DEFAULT_SERVICE_MINUTES", 6)


def station_for(location):
    station, _created = Station.objects.get_or_create(authority=location.authority, location=location)
    return station


# --- opening ------------------------------------------------------------------------------------


def opening_today(location, now):
    """(opens, closes) local times of today, or None when the location is closed today."""
    local = timezone.localtime(now)
    day = local.date()
    if day in public_holidays(location.authority, day, day):
        return None
    closed = (
        Closure.objects.filter(
            authority=location.authority, starts_on__lte=day, ends_on__gte=day, location__in=[location]
        ).exists()
        or Closure.objects.filter(
            authority=location.authority, starts_on__lte=day, ends_on__gte=day, location__isnull=True
        ).exists()
    )
    if closed:
        return None
    hours = [h for h in location.opening_hours.all() if h.weekday == day.weekday()]
    if not hours:
        return None
    return min(h.opens for h in hours), max(h.closes for h in hours)


def is_open(location, now):
    if not location.active:
        return False
    local = timezone.localtime(now)
    day = local.date()
    if opening_today(location, now) is None:
        return False
    return any(h.opens <= local.time() < h.closes for h in location.opening_hours.all() if h.weekday == day.weekday())


def _require_open(location, now):
    if not is_open(location, now):
        raise ServicePointError(
            _("The ServicePoint of this location is closed now. Please come back during the opening hours.")
        )


# --- figures used while waiting -------------------------------------------------------------------


def today(now):
    return timezone.localtime(now).date()


def present_count(location, now):
    """Clients in the waiting room: waiting or called tickets, checked-in appointments included."""
    return Ticket.objects.filter(
        authority=location.authority, location=location, day=today(now), status__in=PRESENT_STATUSES
    ).count()


def cap_reached(location, now):
    return present_count(location, now) >= location.waiting_room_cap


def service_minutes(location, now):
    """Median service time of today's finished tickets, else the configured default."""
    rows = Ticket.objects.filter(
        authority=location.authority,
        location=location,
        day=today(now),
        served_at__isnull=False,
        finished_at__isnull=False,
    ).values_list("served_at", "finished_at")
    minutes = [(end - start).total_seconds() / 60 for start, end in rows]
    return max(1.0, statistics.median(minutes)) if minutes else float(default_service_minutes())


def active_counters(location, now):
    counters = (
        Ticket.objects.filter(
            authority=location.authority,
            location=location,
            called_at__gte=now - dt.timedelta(hours=1),
        )
        .exclude(counter="")
        .values("counter")
        .distinct()
        .count()
    )
    return max(1, counters)


def _waiting(location, now):
    return list(
        Ticket.objects.filter(authority=location.authority, location=location, day=today(now), status=Status.WAITING)
    )


def estimated_wait_minutes(ticket, now=None):
    now = now or timezone.now()
    if ticket.status != Status.WAITING:
        return 0
    waiting = queue.ordered(_waiting(ticket.location, now), now)
    ahead = next((i for i, t in enumerate(waiting) if t.pk == ticket.pk), len(waiting))
    per_ticket = service_minutes(ticket.location, now)
    return math.ceil(ahead * per_ticket / active_counters(ticket.location, now))


def waiting_by_category(location, now=None):
    """Per category: how many wait, and the estimated wait of a walk-in ticket taken now (the same for
    every walk-in category, as they share one line; None for check-ins, who go by appointment time)."""
    now = now or timezone.now()
    waiting = _waiting(location, now)
    newcomer = Ticket(location=location, priority=Priority.WALK_IN, queued_at=now, number=2**31 - 1)
    newcomer_key = queue.sort_key(newcomer, now)
    ahead = sum(1 for t in waiting if queue.sort_key(t, now) < newcomer_key)
    minutes = math.ceil(ahead * service_minutes(location, now) / active_counters(location, now))
    return [
        {
            "category": value,
            "label": label,
            "waiting": sum(1 for t in waiting if t.category == value),
            "estimated_minutes": minutes if value in WALK_IN_CATEGORIES else None,
        }
        for value, label in Category.choices
    ]


def waiting_positions(location, now=None):
    """{ticket id: (tickets ahead, estimated minutes)} for today's waiting tickets, in one pass."""
    now = now or timezone.now()
    waiting = queue.ordered(_waiting(location, now), now)
    per_ticket = service_minutes(location, now)
    counters = active_counters(location, now)
    return {t.pk: (i, math.ceil(i * per_ticket / counters)) for i, t in enumerate(waiting)}


def come_back_at(location, now):
    """When the waiting room is likely below its cap again (local time), or None if not today."""
    excess = present_count(location, now) - location.waiting_room_cap + 1
    minutes = math.ceil(max(1, excess) * service_minutes(location, now) / active_counters(location, now))
    local = timezone.localtime(now) + dt.timedelta(minutes=minutes)
    local = local + dt.timedelta(minutes=(5 - local.minute % 5) % 5)
    local = local.replace(second=0, microsecond=0)
    hours = opening_today(location, now)
    if hours is None or local.time() >= hours[1] or local.date() != timezone.localtime(now).date():
        return None
    return local


# --- issuing ------------------------------------------------------------------------------------


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


# --- calling --------------------------------------------------------------------------------------


def _lock(queryset):
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True)
    if connection.features.has_select_for_update:
        return queryset.select_for_update()
    return queryset


def call_next(authority, location, *, counter, staff=None, now=None):
    """Call the next waiting ticket to ``counter``; returns it, or None when nobody waits."""
    now = now or timezone.now()
    counter = (counter or "").strip()[:30]
    if not counter:
        raise ServicePointError(_("Please enter your counter."))
    with transaction.atomic():
        candidates = queue.ordered(_waiting(location, now), now)
        for candidate in candidates:
            ticket = _lock(Ticket.objects.filter(authority=authority, pk=candidate.pk, status=Status.WAITING)).first()
            if ticket is None:
                continue  # another counter holds or took it
            ticket.status = Status.CALLED
            ticket.called_at = now
            ticket.counter = counter
            ticket.staff = staff
            ticket.save(update_fields=["status", "called_at", "counter", "staff"])
            sms.send_called(ticket)
            # Everybody behind moved up one place: the "near" SMS, once this call is visible to all.
            # robust: a failure there is logged (the periodic job catches up), the call stands.
            transaction.on_commit(lambda: sms.notify_near(location, now), robust=True)
            return ticket
    return None


def _locked_ticket(ticket, statuses):
    found = _lock(Ticket.objects.filter(authority=ticket.authority, pk=ticket.pk, status__in=statuses)).first()
    if found is None:
        raise ServicePointError(_("This ticket has changed in the meantime. Please reload the page."))
    return found


def start_service(ticket, *, staff=None, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        ticket = _locked_ticket(ticket, [Status.CALLED])
        ticket.status = Status.SERVING
        ticket.served_at = now
        if staff is not None:
            ticket.staff = staff
        ticket.save(update_fields=["status", "served_at", "staff"])
    return ticket


def finish(ticket, outcome, *, staff=None, now=None):
    now = now or timezone.now()
    if outcome not in Outcome.values or outcome == Outcome.NO_SHOW:
        raise ServicePointError(_("Please choose an outcome."))
    with transaction.atomic():
        ticket = _locked_ticket(ticket, [Status.CALLED, Status.SERVING])
        if ticket.served_at is None:
            ticket.served_at = now
        ticket.status = Status.DONE
        ticket.finished_at = now
        ticket.outcome = outcome
        ticket.phone = ""  # data minimisation: the number was only for today's SMS
        if staff is not None:
            ticket.staff = staff
        ticket.save(update_fields=["status", "served_at", "finished_at", "outcome", "staff", "phone"])
    return ticket


def mark_no_show(ticket, *, now=None):
    """A called client did not come: back into the queue (at its end) or, after the configured
    number of returns, out of it."""
    now = now or timezone.now()
    with transaction.atomic():
        ticket = _locked_ticket(ticket, [Status.CALLED])
        if ticket.recalls < no_show_requeues():
            ticket.status = Status.WAITING
            ticket.recalls += 1
            ticket.queued_at = now
            ticket.called_at = None
            ticket.counter = ""
            ticket.staff = None
            ticket.save(update_fields=["status", "recalls", "queued_at", "called_at", "counter", "staff"])
        else:
            ticket.status = Status.NO_SHOW
            ticket.outcome = Outcome.NO_SHOW
            ticket.finished_at = now
            ticket.phone = ""
            ticket.save(update_fields=["status", "outcome", "finished_at", "phone"])
    return ticket


def expire_no_shows(now=None):
    """Called tickets not served within SERVICEPOINT_NO_SHOW_MINUTES; returns how many were handled."""
    now = now or timezone.now()
    limit = now - dt.timedelta(minutes=no_show_minutes())
    handled = 0
    for ticket in Ticket.objects.filter(status=Status.CALLED, called_at__lt=limit):
        try:
            mark_no_show(ticket, now=now)
            handled += 1
        except ServicePointError:
            continue
    return handled


def cancel_stale(now=None):
    """Tickets of past days still waiting or called are closed as no-shows (the figures count them);
    mobile numbers left on tickets of past days are deleted."""
    now = now or timezone.now()
    closed = Ticket.objects.filter(day__lt=today(now), status__in=[Status.WAITING, Status.CALLED]).update(
        status=Status.NO_SHOW, outcome=Outcome.NO_SHOW, finished_at=now
    )
    Ticket.objects.filter(day__lt=today(now)).exclude(phone="").update(phone="")
    return closed


# --- drop-off -------------------------------------------------------------------------------------


def record_drop_off(authority, person, files, *, staff, case=None, ticket=None):
    """Add the handed-in documents to the person's e-file (and the case, if named).

    ``files``: list of (uploaded_file, document_type, title). All or nothing: if one file is
    refused, none is kept and the e-file's ``UploadRejected`` is raised."""
    from willkommen.efile import services as efile

    if person.authority_id != authority.pk or (case is not None and case.authority_id != authority.pk):
        raise ServicePointError(_("The person or case was not found."))
    if not files:
        raise ServicePointError(_("Please add at least one document."))
    with transaction.atomic():
        items = []
        for uploaded, document_type, title in files:
            document = efile.add_document(
                authority,
                person,
                uploaded,
                document_type=document_type,
                source="servicepoint",
                case=case,
                uploaded_by=staff,
                title=title,
            )
            items.append(
                {
                    "document_id": document.pk,
                    "title": title,
                    "document_type": document_type,
                    "file_name": document.original_name,
                    "sha256": document.sha256,
                }
            )
        return DropOff.objects.create(
            authority=authority, person=person, case=case, ticket=ticket, items=items, received_by=staff
        )


def receipt_items(drop_off):
    """The received documents with their type in the active language."""
    from willkommen.efile.models import document_type_label

    return [
        {**item, "label": item.get("title") or document_type_label(item.get("document_type", "other"))}
        for item in drop_off.items
    ]


def receipt_pdf(drop_off, language="de"):
    from willkommen.letters.pdf import render_pdf

    return render_pdf(
        "servicepoint/receipt_pdf.html",
        {
            "drop_off": drop_off,
            "authority": drop_off.authority,
            "person": drop_off.person,
            "items": receipt_items(drop_off),
        },
        language=language,
    )


def email_receipt(drop_off, email, language="de"):
    from willkommen.messaging.services import send_to_client

    with transaction.atomic():
        send_to_client(
            drop_off.authority,
            email=email,
            person=drop_off.person,
            case=drop_off.case,
            subject=_("Receipt for your documents"),
            body=_("Attached is the receipt listing the documents you handed in at the ServicePoint."),
            language=language,
            attachments=[(f"receipt-{drop_off.pk}.pdf", receipt_pdf(drop_off, language), "application/pdf")],
        )
        DropOff.objects.filter(pk=drop_off.pk).update(receipt_emailed_to=email)
