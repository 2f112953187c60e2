"""Percentiles in SQL where the database has them: PostgreSQL's ``percentile_cont``; SQLite has none, so
there the values are read with one ``values_list`` and interpolated in Python the same way (linear
between closest ranks). Used by the figures of the rooms."""

import math
from collections import defaultdict

from django.db import connection
from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F, FloatField, Func


def percentile(values, q):
    """The q-th percentile (0-100), linear interpolation between closest ranks (as percentile_cont)."""
    data = sorted(v for v in values if v is not None)
    if not data:
        return None
    position = (len(data) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return float(data[low] + (data[high] - data[low]) * (position - low))


class PercentileCont(Aggregate):
    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


class EpochSeconds(Func):
    template = "EXTRACT(EPOCH FROM %(expressions)s)"
    output_field = FloatField()


def has_percentile():
    return connection.vendor == "postgresql"


def duration(later, earlier):
    return ExpressionWrapper(F(later) - F(earlier), output_field=DurationField())


def spread(qs, later, earlier, *, unit, group=None):
    """Count, median and 90th percentile of ``later - earlier`` (two datetime fields) in units of ``unit``
    seconds, overall or per ``group`` (a field name): ``{key: {"n", "median", "p90"}}``, key None when
    not grouped. One query."""
    if has_percentile():
        seconds = EpochSeconds(duration(later, earlier))
        aggregates = {
            "n": Count("pk"),
            "median": PercentileCont(seconds, 0.5),
            "p90": PercentileCont(seconds, 0.9),
        }
        if group:
            found = {r[group]: r for r in qs.order_by().values(group).annotate(**aggregates)}
        else:
            found = {None: qs.order_by().aggregate(**aggregates)}
        return {
            key: {
                "n": r["n"],
                "median": None if r["median"] is None else r["median"] / unit,
                "p90": None if r["p90"] is None else r["p90"] / unit,
            }
            for key, r in found.items()
        }
    values = defaultdict(list)
    fields = [group] if group else []
    for row in qs.order_by().annotate(_span=duration(later, earlier)).values_list(*fields, "_span"):
        values[row[0] if group else None].append(row[-1].total_seconds() / unit)
    if not group and None not in values:
        values[None] = []
    return {key: {"n": len(v), "median": percentile(v, 50), "p90": percentile(v, 90)} for key, v in values.items()}
