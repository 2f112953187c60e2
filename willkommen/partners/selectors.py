"""Queries of the partners room, each filtered in SQL by authority and by what the user may see.

- outgoing requests: those on cases the user may see (the cases room's ``visible_cases``);
- incoming requests: those another authority on the platform addressed to the user's authority, for
  staff who work cases there – and nothing else of that authority's case;
- figures: answer times per recipient type (median, 90th percentile) and the open requests overdue.
"""

import math

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import TruncDate
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


def _rank_value(bins, rank):
    """The value at 1-based ``rank`` of an ascending histogram [(value, count), ...]."""
    seen = 0
    for value, count in bins:
        seen += count
        if seen >= rank:
            return value
    return None


def percentile_of_counts(bins, fraction):
    """The nearest-rank percentile of an ascending histogram [(value, count), ...] (None when empty)."""
    total = sum(count for _value, count in bins)
    if not total:
        return None
    return _rank_value(bins, max(1, math.ceil(fraction * total)))


def median_of_counts(bins):
    """The median of an ascending histogram [(value, count), ...]: the middle value, or the mean of the two
    middle ones (None when empty)."""
    total = sum(count for _value, count in bins)
    if not total:
        return None
    low, high = _rank_value(bins, (total + 1) // 2), _rank_value(bins, total // 2 + 1)
    return low if low == high else (low + high) / 2


def answer_times(authority):
    """Per recipient type: answered requests, median and 90th percentile of the days from sending to the
    answer, open requests and how many of them are overdue.

    Two aggregating queries, however many requests there are: the answered ones counted per type and
    number of days (a histogram, at most one row per type and distinct day count), the open and overdue
    ones counted per type. The percentiles are read off the histogram."""
    today = timezone.localdate()
    rows = AuthorityRequest.objects.filter(authority=authority)
    days = ExpressionWrapper(TruncDate("answered_at") - F("sent_on"), output_field=DurationField())
    histogram = {}
    answered = (
        rows.filter(status=RequestStatus.ANSWERED, answered_at__isnull=False)
        .annotate(days=days)
        .values("recipient_type", "days")
        .annotate(n=Count("pk"))
        .order_by("recipient_type", "days")
    )
    for row in answered:
        histogram.setdefault(row["recipient_type"], []).append((row["days"].days, row["n"]))
    counts = {
        row["recipient_type"]: row
        for row in rows.filter(status=RequestStatus.OPEN)
        .values("recipient_type")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
        .order_by()
    }
    result = []
    for value, label in RecipientType.choices:
        bins = histogram.get(value, [])
        found = counts.get(value, {})
        result.append(
            {
                "recipient_type": value,
                "label": label,
                "answered": sum(n for _days, n in bins),
                "median_days": median_of_counts(bins),
                "p90_days": percentile_of_counts(bins, 0.9),
                "open": found.get("open", 0),
                "overdue": found.get("overdue", 0),
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
