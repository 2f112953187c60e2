"""Calling: the next ticket to a counter (atomic; see ``services.py``), service, outcome, no-shows and the
closing of tickets left over from past days."""

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import queue, sms
from .models import Outcome, Status, Ticket
from .opening import ServicePointError, no_show_minutes, no_show_requeues
from .waiting import _waiting, today


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
