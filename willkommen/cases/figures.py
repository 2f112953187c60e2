"""Casework figures as SQL aggregates: cases in and out, backlog, processing times against the
targets, automatic messages on time, stopped clocks, four eyes, outcomes and transfers.

Every function takes a ``Scope`` (the cases a user may see, narrowed by the filters, and the period)
and runs a fixed number of queries, whatever the amount of data. Percentiles use PostgreSQL's
``percentile_cont``; SQLite has none, so there the durations are read with one ``values_list`` and
interpolated in Python the same way (linear between closest ranks, as ``percentile_cont``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connections, transaction
from django.db.models import Case as Choose
from django.db.models import Count, F, FilteredRelation, Q, Sum, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from willkommen.core.stats import spread

from . import workflow
from .models import AutoMessage, Decision, DecisionState, DocumentRequest, TimelineKind

# Age bands of the backlog, in days since arrival: (key, lowest, highest or None).
AGE_BANDS = [("0-14", 0, 14), ("15-30", 15, 30), ("31-90", 31, 90), ("91+", 91, None)]
ENDED_WITHOUT_DECISION = (workflow.Status.TRANSFERRED, workflow.Status.WITHDRAWN, workflow.Status.CLOSED)


@dataclass(frozen=True)
class Scope:
    cases: object  # a Case queryset: what the user may see, narrowed by team, Anliegen, location
    start: dt.date
    end: dt.date  # inclusive
    authority_id: int | None = None

    @property
    def since(self):
        return _midnight(self.start)

    @property
    def until(self):
        return _midnight(self.end + dt.timedelta(days=1))


def _midnight(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def _with_end(cases):
    """``cases`` with ``ended_at``: when the case left the backlog, its decision or else the transition
    that ended it without one. The transition comes in by one LEFT JOIN on the partial index
    ``case_timeline_ended`` (a final state has no way out, so a case has at most one such transition),
    not by a subquery per case, so every filter on ``ended_at`` is a plain comparison."""
    return cases.order_by().annotate(
        _ending=FilteredRelation(
            "timeline",
            condition=Q(timeline__kind=TimelineKind.TRANSITION, timeline__to_status__in=ENDED_WITHOUT_DECISION),
        ),
        ended_at=Coalesce(F("decided_at"), Choose(When(status__in=ENDED_WITHOUT_DECISION, then=F("_ending__at")))),
    )


def _open_at(moment):
    """Received before ``moment`` and not ended before it (on cases with ``ended_at``)."""
    return Q(received_at__lt=moment) & (Q(ended_at__isnull=True) | Q(ended_at__gte=moment))


def case_counts(scope: Scope, today: dt.date | None = None):
    """Everything counted over the cases themselves, in one pass (1 query): the backlog at the start, the
    cases decided (on time, with stopped clocks), transferred and received by transfer in the period, the
    automatic messages missing, and the backlog at the end of the period by age band and waiting for
    documents."""
    since, end = scope.since, scope.until
    decided = Q(decided_at__gte=since, decided_at__lt=end)
    today = today or timezone.localdate()
    last = min(scope.end, today - dt.timedelta(days=1))
    still_open = Q(status__in=sorted(workflow.OPEN))
    aggregates = {
        "received_before": Count("pk", filter=Q(received_at__lt=since)),
        "ended_before": Count("pk", filter=Q(ended_at__lt=since)),
        "decided": Count("pk", filter=decided),
        "with_due": Count("pk", filter=decided & Q(due_on__isnull=False)),
        "on_time": Count("pk", filter=decided & Q(due_on__isnull=False, decision_day__lte=F("due_on"))),
        "days_paused": Coalesce(Sum("paused_days", filter=decided), 0),
        "paused_cases": Count("pk", filter=decided & Q(paused_days__gt=0)),
        "interim_missing": Count(
            "pk", filter=still_open & Q(interim_due_on__gte=scope.start, interim_due_on__lte=last)
        ),
        "status_missing": Count(
            "pk", filter=still_open & Q(status_message_due_on__gte=scope.start, status_message_due_on__lte=last)
        ),
        "transfers_out": Count(
            "pk", filter=Q(status=workflow.Status.TRANSFERRED, ended_at__gte=since, ended_at__lt=end)
        ),
        "transfers_in": Count("pk", filter=Q(source="transfer", received_at__gte=since, received_at__lt=end)),
        "clock_stopped": Count(
            "pk",
            filter=_open_at(end)
            & Q(clock_stopped_on__isnull=False, clock_stopped_on__lt=scope.end + dt.timedelta(days=1)),
        ),
    }
    for key, low, high in AGE_BANDS:
        condition = _open_at(end) & Q(received_at__lte=end - dt.timedelta(days=low))
        if high is not None:
            condition &= Q(received_at__gt=end - dt.timedelta(days=high + 1))
        aggregates[key] = Count("pk", filter=condition)
    return _with_end(scope.cases).annotate(decision_day=TruncDate("decided_at")).aggregate(**aggregates)


def flow(scope: Scope, counts=None):
    """Cases in and out per day of the period, and the backlog at the end of each day (3 queries, 2 when
    ``counts`` of ``case_counts`` are given)."""
    counts = counts or case_counts(scope)
    cases = scope.cases.order_by()
    arrivals = dict(
        cases.filter(received_at__gte=scope.since, received_at__lt=scope.until)
        .annotate(day=TruncDate("received_at"))
        .values_list("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    departures = dict(
        _with_end(cases)
        .filter(ended_at__gte=scope.since, ended_at__lt=scope.until)
        .annotate(day=TruncDate("ended_at"))
        .values_list("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    backlog = counts["received_before"] - counts["ended_before"]
    days = []
    day = scope.start
    while day <= scope.end:
        arrived, left = arrivals.get(day, 0), departures.get(day, 0)
        backlog += arrived - left
        days.append({"day": day, "in": arrived, "out": left, "backlog": backlog})
        day += dt.timedelta(days=1)
    return {
        "in": sum(arrivals.values()),
        "out": sum(departures.values()),
        "decided": counts["decided"],
        "backlog_start": counts["received_before"] - counts["ended_before"],
        "backlog_end": backlog,
        "per_day": days,
    }


def backlog_by_age(scope: Scope, counts=None):
    """Cases open at the end of the period by days since arrival, and how many of them wait for
    documents (clock stopped) (1 query, none when ``counts`` of ``case_counts`` are given)."""
    counts = counts or case_counts(scope)
    return {
        "bands": [{"band": key, "count": counts[key]} for key, _low, _high in AGE_BANDS],
        "clock_stopped": counts["clock_stopped"],
    }


def _authority_id(scope):
    return scope.authority_id


def _decided_in(scope):
    return scope.cases.order_by().filter(decided_at__gte=scope.since, decided_at__lt=scope.until)


def processing(scope: Scope, counts=None):
    """Arrival to decision in days (median, p90) overall and per complexity class, and the share
    decided by the due date the deadline code set (``Case.due_on``: 14 days / 3 months, pauses,
    holidays) (3 queries, 2 when ``counts`` of ``case_counts`` are given)."""
    on_time = counts or case_counts(scope)
    decided = _decided_in(scope)
    overall = spread(decided, "decided_at", "received_at", unit=86400)[None]
    by_class = spread(decided, "decided_at", "received_at", unit=86400, group="anliegen__complexity")
    return {
        "overall": overall,
        "by_class": by_class,
        "with_due": on_time["with_due"],
        "on_time": on_time["on_time"],
        "on_time_share": (on_time["on_time"] / on_time["with_due"]) if on_time["with_due"] else None,
    }


def messages(scope: Scope, today: dt.date | None = None, counts=None):
    """Interim answers and status messages whose due date fell in the period: sent, sent by the due
    date, and still missing (open cases past the due date) (2 queries, 1 when ``counts`` of
    ``case_counts`` are given)."""
    counts = counts or case_counts(scope, today)
    sent = dict.fromkeys(("interim", "status"))
    rows = (
        AutoMessage.objects.filter(authority_id=_authority_id(scope), case__in=scope.cases.order_by().values("pk"))
        .filter(due_on__gte=scope.start, due_on__lte=scope.end)
        .annotate(sent_day=TruncDate("sent_at"))
        .values("kind")
        .annotate(n=Count("pk"), on_time=Count("pk", filter=Q(sent_day__lte=F("due_on"))))
        .order_by()
    )
    for row in rows:
        sent[row["kind"]] = row
    missing = {"interim": counts["interim_missing"], "status": counts["status_missing"]}
    result = {}
    for kind in ("interim", "status"):
        row = sent[kind] or {"n": 0, "on_time": 0}
        due = row["n"] + missing[kind]
        result[kind] = {
            "due": due,
            "sent": row["n"],
            "on_time": row["on_time"],
            "missing": missing[kind],
            "on_time_share": (row["on_time"] / due) if due else None,
        }
    return result


def clock(scope: Scope, counts=None):
    """Days the clock stood still for the cases decided in the period, and requests for documents
    made in the period (2 queries, 1 when ``counts`` of ``case_counts`` are given)."""
    counts = counts or case_counts(scope)
    paused = {"days": counts["days_paused"], "cases": counts["paused_cases"], "decided": counts["decided"]}
    requests = DocumentRequest.objects.filter(
        authority_id=_authority_id(scope),
        case__in=scope.cases.order_by().values("pk"),
        requested_at__gte=scope.since,
        requested_at__lt=scope.until,
    ).count()
    return {
        "days": paused["days"],
        "cases": paused["cases"],
        "mean_days": (paused["days"] / paused["decided"]) if paused["decided"] else None,
        "requests": requests,
    }


def four_eyes(scope: Scope):
    """Final decisions of the cases decided in the period: how many needed a second approver, and the
    time from draft to approval in hours (median, p90) (2 queries)."""
    finals = Decision.objects.filter(
        authority_id=_authority_id(scope), case__in=_decided_in(scope).values("pk"), state=DecisionState.FINAL
    )
    counts = finals.order_by().aggregate(total=Count("pk"), needing=Count("pk", filter=Q(needs_approval=True)))
    approved = finals.filter(needs_approval=True, approved_at__isnull=False)
    turnaround = spread(approved, "approved_at", "drafted_at", unit=3600)[None]
    return {
        "decisions": counts["total"],
        "needing": counts["needing"],
        "share": (counts["needing"] / counts["total"]) if counts["total"] else None,
        "turnaround": turnaround,
    }


def outcomes(scope: Scope):
    """Final decisions per Anliegen and outcome for the cases decided in the period (1 query):
    ``{anliegen_id: {outcome: count}}``."""
    rows = (
        Decision.objects.filter(
            authority_id=_authority_id(scope), case__in=_decided_in(scope).values("pk"), state=DecisionState.FINAL
        )
        .values("case__anliegen_id", "outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )
    result = defaultdict(dict)
    for row in rows:
        result[row["case__anliegen_id"]][row["outcome"]] = row["n"]
    return dict(result)


def transfers(scope: Scope, counts=None):
    """Cases handed to another authority in the period, and cases received from one (1 query, none when
    ``counts`` of ``case_counts`` are given)."""
    counts = counts or case_counts(scope)
    return {"out": counts["transfers_out"], "in": counts["transfers_in"]}


def casework(scope: Scope, today: dt.date | None = None):
    """All casework figures for ``scope`` (a fixed number of queries, in one transaction without
    PostgreSQL's JIT compiler: it spent 1–2 s compiling each of these one-off aggregates, more than
    they take to run; see docs/performance.md)."""
    with _without_jit(scope.cases.db):
        counts = case_counts(scope, today)
        return {
            "flow": flow(scope, counts),
            "backlog": backlog_by_age(scope, counts),
            "processing": processing(scope, counts),
            "messages": messages(scope, today, counts),
            "clock": clock(scope, counts),
            "four_eyes": four_eyes(scope),
            "outcomes": outcomes(scope),
            "transfers": transfers(scope, counts),
            "workload": workload(scope),
        }


@contextmanager
def _without_jit(alias):
    connection = connections[alias]
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=alias):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        yield


def workload(scope: Scope):
    """Open cases per caseworker at the end of the period (unassigned ones under ``None``), most first,
    with how many of them are overdue at that day (1 query)."""
    end = scope.until
    rows = (
        _with_end(scope.cases)
        .filter(_open_at(end))
        .values("assignee_id", "assignee__first_name", "assignee__last_name", "assignee__username")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=scope.end, clock_stopped_on__isnull=True)))
        .order_by("-open", "assignee__last_name", "assignee_id")
    )
    return [
        {
            "assignee_id": r["assignee_id"],
            "name": " ".join(x for x in (r["assignee__first_name"], r["assignee__last_name"]) if x)
            or r["assignee__username"]
            or "",
            "open": r["open"],
            "overdue": r["overdue"],
        }
        for r in rows
    ]


def scoped_cases(user, authority, *, team=None, anliegen=None, team_ids=None):
    """The cases ``user`` may see (``permissions.visible_cases``), narrowed by a team, an Anliegen and
    a set of team ids (the teams at a location)."""
    from .permissions import visible_cases

    qs = visible_cases(user, authority)
    if team is not None:
        qs = qs.filter(team=team)
    if anliegen is not None:
        qs = qs.filter(anliegen=anliegen)
    if team_ids is not None:
        qs = qs.filter(team_id__in=team_ids)
    return qs
