"""The calling order as a small pure module: which waiting ticket a counter calls next.

The order is a list of priority classes (setting ``SERVICEPOINT_CALLING_ORDER``), by default
``appointment,urgent,walk_in``: clients with an appointment whose time has come, then urgent
matters, then walk-ins by arrival. Appointment holders who come early wait until their time
(``SERVICEPOINT_APPOINTMENT_EARLY_MINUTES`` before it) and are called after everybody else
until then. The single word ``arrival`` serves strictly by arrival.
"""

import datetime as dt

from django.conf import settings

DEFAULT_ORDER = ("appointment", "urgent", "walk_in")
CLASSES = set(DEFAULT_ORDER)


def parse_order(value):
    """``"urgent, appointment"`` -> ("urgent", "appointment", "walk_in"): unknown words are ignored,
    missing classes are appended in the default order; ``"arrival"`` -> ("arrival",)."""
    words = [w.strip().lower() for w in (value or "").split(",") if w.strip()]
    if words == ["arrival"]:
        return ("arrival",)
    order = []
    for word in words:
        if word in CLASSES and word not in order:
            order.append(word)
    order += [c for c in DEFAULT_ORDER if c not in order]
    return tuple(order)


def configured_order():
    return parse_order(getattr(settings, "SERVICEPOINT_CALLING_ORDER", ",".join(DEFAULT_ORDER)))


def early_window():
    return dt.timedelta(minutes=getattr(settings, "SERVICEPOINT_APPOINTMENT_EARLY_MINUTES", 5))


def sort_key(ticket, now, order=None, early=None):
    """Key for sorting waiting tickets: the smallest is called first."""
    order = order or configured_order()
    early = early if early is not None else early_window()
    if order == ("arrival",):
        return (0, ticket.queued_at, ticket.number)
    if ticket.priority == "appointment" and ticket.appointment_at is not None:
        if ticket.appointment_at > now + early:
            # Came early: after everybody else until the appointment time comes.
            return (len(order), ticket.appointment_at, ticket.number)
        return (order.index("appointment"), ticket.appointment_at, ticket.number)
    priority = ticket.priority if ticket.priority in order else "walk_in"
    return (order.index(priority), ticket.queued_at, ticket.number)


def ordered(tickets, now, order=None, early=None):
    return sorted(tickets, key=lambda t: sort_key(t, now, order, early))
