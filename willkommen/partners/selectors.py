"""Queries of the partners room, each filtered in SQL by authority and by what the user may see.

- outgoing requests: those on cases the user may see (the cases room's ``visible_cases``);
- incoming requests: those another authority on the platform addressed to the user's authority, for
  staff who work cases there – and nothing else of that authority's case;
- figures: answer times per recipient type (median, 90th percentile) and the open requests overdue.
"""

import math

from django.db.models import Q
from django.utils import timezone

from willkommen.cases import selectors as cases

from .models import AuthorityRequest, RecipientType, RequestStatus


def outgoing(user, authority):
    visible = cases.visible_cases(user, authority)
    return AuthorityRequest.objects.filter(authority=authority, case__in=visible.values("pk")).select_related(
        "case", "case__person", "to_authority"
    )


def of_case(user, case):
    return outgoing(user, case.authority).filter(case=case)


def incoming(user, authority):
    """Requests other authorities addressed to ``authority`` on the platform; empty for anyone who does not
    work cases there."""
    if user.authority_id != getattr(authority, "pk", authority) or not user.can("cases.work"):
        return AuthorityRequest.objects.none()
    return AuthorityRequest.objects.filter(to_authority=authority).select_related("authority", "case__person")


def visible_to(user, authority):
    """Every request ``user`` may open: outgoing ones on cases they see, or incoming ones addressed here."""
    mine = Q(pk__in=outgoing(user, authority).values("pk"))
    if user.authority_id == getattr(authority, "pk", authority) and user.can("cases.work"):
        mine |= Q(to_authority=authority)
    return AuthorityRequest.objects.filter(mine).select_related("authority", "case__person", "to_authority")


def percentile(sorted_values, fraction):
    """The nearest-rank percentile of an ascending list (None for an empty one)."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


def median(sorted_values):
    n = len(sorted_values)
    if not n:
        return None
    middle = n // 2
    return sorted_values[middle] if n % 2 else (sorted_values[middle - 1] + sorted_values[middle]) / 2


def answer_times(authority):
    """Per recipient type: answered requests, median and 90th percentile of the days from sending to the
    answer, open requests and how many of them are overdue."""
    today = timezone.localdate()
    rows = AuthorityRequest.objects.filter(authority=authority).values_list(
        "recipient_type", "status", "sent_on", "answered_at", "due_on"
    )
    days, open_, overdue = {}, {}, {}
    for recipient_type, status, sent_on, answered_at, due_on in rows:
        if status == RequestStatus.ANSWERED and answered_at:
            days.setdefault(recipient_type, []).append((timezone.localtime(answered_at).date() - sent_on).days)
        elif status == RequestStatus.OPEN:
            open_[recipient_type] = open_.get(recipient_type, 0) + 1
            if due_on < today:
                overdue[recipient_type] = overdue.get(recipient_type, 0) + 1
    result = []
    for value, label in RecipientType.choices:
        values = sorted(days.get(value, []))
        result.append(
            {
                "recipient_type": value,
                "label": label,
                "answered": len(values),
                "median_days": median(values),
                "p90_days": percentile(values, 0.9),
                "open": open_.get(value, 0),
                "overdue": overdue.get(value, 0),
            }
        )
    return result


def overdue(authority):
    """Open requests whose answer date has passed, oldest due first."""
    return (
        AuthorityRequest.objects.filter(authority=authority, status=RequestStatus.OPEN, due_on__lt=timezone.localdate())
        .select_related("case", "to_authority")
        .order_by("due_on", "pk")
    )
