"""The ServicePoint's visit figures as SQL aggregates: in total, per day and per hour of the day, with the
counters and staff at work per hour. The same numbers as ``reports.figures.report`` over
``selectors.visit_rows`` (a test holds them equal), without reading a row per ticket.

Four queries, whatever the number of tickets: the total, per day, per hour, staffing per hour.
Percentiles use PostgreSQL's ``percentile_cont`` (linear between closest ranks, as
``reports.figures.percentile``); SQLite has none, so there the durations are read with one more
``values_list`` and interpolated in Python the same way.
"""

from collections import defaultdict

from django.db.models import Case as Choose
from django.db.models import CharField, Count, Q, Value, When
from django.db.models.functions import Cast, Concat, ExtractHour

from willkommen.core.stats import EpochSeconds, PercentileCont, duration, has_percentile, percentile

from .models import Category, Outcome, Status, Ticket

CATEGORIES = ["quick_info", "drop_off", "forms", "booking", "check_in"]


def _wait():
    """Minutes from issue to call, for every ticket but a no-show (NULL otherwise)."""
    return Choose(When(~Q(status=Status.NO_SHOW), then=EpochSeconds(duration("called_at", "issued_at")) / 60.0))


def _service():
    """Minutes at the counter, for finished tickets (NULL otherwise)."""
    return Choose(When(status=Status.DONE, then=EpochSeconds(duration("finished_at", "served_at")) / 60.0))


def _aggregates():
    quick_done = Q(category=Category.QUICK_INFO, status=Status.DONE)
    aggregates = {
        "visits": Count("pk"),
        "no_shows": Count("pk", filter=Q(status=Status.NO_SHOW)),
        "quick_done": Count("pk", filter=quick_done),
        "quick_solved": Count("pk", filter=quick_done & Q(outcome=Outcome.SOLVED)),
        **{f"cat_{c}": Count("pk", filter=Q(category=c)) for c in CATEGORIES},
    }
    if has_percentile():
        aggregates.update(
            wait_median=PercentileCont(_wait(), 0.5),
            wait_p90=PercentileCont(_wait(), 0.9),
            service_median=PercentileCont(_service(), 0.5),
            service_p90=PercentileCont(_service(), 0.9),
        )
    return aggregates


def _summary(row, spreads=None):
    if spreads is not None:
        row = {**row, **spreads}
    quick = row["quick_done"]
    return {
        "visits": row["visits"],
        "by_category": {c: row[f"cat_{c}"] for c in CATEGORIES},
        "wait_median": row.get("wait_median"),
        "wait_p90": row.get("wait_p90"),
        "service_median": row.get("service_median"),
        "service_p90": row.get("service_p90"),
        "quick_solved_share": (row["quick_solved"] / quick) if quick else None,
        "no_shows": row["no_shows"],
    }


def _minutes(start, end):
    return None if start is None or end is None else (end - start).total_seconds() / 60


def _python_spreads(tickets):
    """SQLite: the waiting and service minutes per (None | day | hour), read once and interpolated."""
    waits, services = defaultdict(list), defaultdict(list)
    fields = ("day", "hour", "status", "issued_at", "called_at", "served_at", "finished_at")
    for day, hour, status, issued, called, served, finished in (
        tickets.annotate(hour=ExtractHour("issued_at")).values_list(*fields).iterator()
    ):
        wait = _minutes(issued, called) if status != Status.NO_SHOW else None
        service = _minutes(served, finished) if status == Status.DONE else None
        for key in (None, ("day", day), ("hour", hour)):
            if wait is not None:
                waits[key].append(wait)
            if service is not None:
                services[key].append(service)

    def spread(key):
        w, s = waits.get(key, []), services.get(key, [])
        return {
            "wait_median": percentile(w, 50),
            "wait_p90": percentile(w, 90),
            "service_median": percentile(s, 50),
            "service_p90": percentile(s, 90),
        }

    return spread


def _staffing(tickets):
    """Per hour of the call: distinct (day, counter) and (day, staff member) pairs, summed over the days."""
    day = Cast("day", CharField())
    rows = (
        tickets.filter(called_at__isnull=False)
        .annotate(hour=ExtractHour("called_at"))
        .values("hour")
        .annotate(
            counter_hours=Count(Concat(day, Value("|"), "counter"), distinct=True, filter=~Q(counter="")),
            staff_hours=Count(
                Concat(day, Value("|"), Cast("staff_id", CharField())),
                distinct=True,
                filter=Q(staff_id__isnull=False),
            ),
        )
        .order_by()
    )
    return {r["hour"]: {"counter_hours": r["counter_hours"], "staff_hours": r["staff_hours"]} for r in rows}


def visit_figures(authority, start, end, location=None):
    """``{"total", "by_day", "by_hour"}`` for the tickets issued from ``start`` to ``end`` (inclusive), as
    ``reports.figures.report`` computes them from the rows."""
    tickets = Ticket.objects.filter(authority=authority, day__gte=start, day__lte=end).order_by()
    if location is not None:
        tickets = tickets.filter(location=location)
    spread = None if has_percentile() else _python_spreads(tickets)

    def extra(key):
        return None if spread is None else spread(key)

    total = _summary(tickets.aggregate(**_aggregates()), extra(None))
    by_day = [
        {"day": r["day"], **_summary(r, extra(("day", r["day"])))}
        for r in tickets.values("day").annotate(**_aggregates()).order_by("day")
    ]
    staffing = _staffing(tickets)
    by_hour = []
    for r in tickets.annotate(hour=ExtractHour("issued_at")).values("hour").annotate(**_aggregates()).order_by("hour"):
        group = {"hour": r["hour"], **_summary(r, extra(("hour", r["hour"])))}
        group.update(staffing.get(r["hour"], {"counter_hours": 0, "staff_hours": 0}))
        hours = group["counter_hours"]
        group["visits_per_counter_hour"] = group["visits"] / hours if hours else None
        by_hour.append(group)
    return {"total": total, "by_day": by_day, "by_hour": by_hour}
