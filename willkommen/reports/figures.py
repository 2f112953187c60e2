"""Visit figures of the ServicePoint, computed from plain ticket rows (see
``willkommen.servicepoint.selectors.visit_rows``). Pure functions, no request in sight."""

import math
from collections import defaultdict

CATEGORIES = ["quick_info", "drop_off", "forms", "booking", "check_in"]


def percentile(values, q):
    """The q-th percentile (0-100) with linear interpolation between closest ranks (as
    numpy's default); None for no values."""
    data = sorted(v for v in values if v is not None)
    if not data:
        return None
    if len(data) == 1:
        return float(data[0])
    position = (len(data) - 1) * q / 100
    low = math.floor(position)
    high = math.ceil(position)
    return float(data[low] + (data[high] - data[low]) * (position - low))


def median(values):
    return percentile(values, 50)


def minutes(start, end):
    if start is None or end is None:
        return None
    return (end - start).total_seconds() / 60


def summarise(rows):
    """Figures for one group of ticket rows."""
    waits = [minutes(r["issued_at"], r["called_at"]) for r in rows if r["status"] != "no_show"]
    services = [minutes(r["served_at"], r["finished_at"]) for r in rows if r["status"] == "done"]
    quick_done = [r for r in rows if r["category"] == "quick_info" and r["status"] == "done"]
    solved = [r for r in quick_done if r["outcome"] == "solved"]
    by_category = {c: 0 for c in CATEGORIES}
    for r in rows:
        by_category[r["category"]] = by_category.get(r["category"], 0) + 1
    return {
        "visits": len(rows),
        "by_category": by_category,
        "wait_median": median(waits),
        "wait_p90": percentile(waits, 90),
        "service_median": median(services),
        "service_p90": percentile(services, 90),
        "quick_solved_share": (len(solved) / len(quick_done)) if quick_done else None,
        "no_shows": sum(1 for r in rows if r["status"] == "no_show"),
    }


def by_key(rows, key):
    groups = defaultdict(list)
    for r in rows:
        groups[r[key]].append(r)
    return [{key: k, **summarise(groups[k])} for k in sorted(groups)]


def report(rows):
    by_hour = by_key(rows, "hour")
    staffing = staffing_by_hour(rows)
    for group in by_hour:
        group.update(staffing.get(group["hour"], {"counter_hours": 0, "staff_hours": 0}))
        hours = group["counter_hours"]
        group["visits_per_counter_hour"] = group["visits"] / hours if hours else None
    return {"total": summarise(rows), "by_day": by_key(rows, "day"), "by_hour": by_hour}


def staffing_by_hour(rows):
    """Per hour of the day: counter hours and staff hours at work (a counter, or a staff member, that
    called at least one ticket in that hour of a day counts one hour), summed over the days of the period –
    the staffing against the visitor flow of the same hour."""
    from django.utils import timezone

    counters, staff = defaultdict(set), defaultdict(set)
    for r in rows:
        if r.get("called_at") is None:
            continue
        hour = timezone.localtime(r["called_at"]).hour
        if r.get("counter"):
            counters[hour].add((r["day"], r["counter"]))
        if r.get("staff_id"):
            staff[hour].add((r["day"], r["staff_id"]))
    return {
        hour: {"counter_hours": len(counters[hour]), "staff_hours": len(staff[hour])}
        for hour in set(counters) | set(staff)
    }


def bars(items, value_key, label_key, width=600, bar_height=22, gap=6, label_width=90):
    """Geometry for a horizontal SVG bar chart (no inline styles: plain SVG attributes)."""
    values = [item[value_key] or 0 for item in items]
    top = max(values) if values else 0
    chart = []
    for i, item in enumerate(items):
        value = item[value_key] or 0
        length = 0 if not top else (width - label_width - 60) * value / top
        chart.append(
            {
                "label": item[label_key],
                "value": value,
                "y": i * (bar_height + gap),
                "text_y": i * (bar_height + gap) + bar_height * 0.72,
                "x": label_width,
                "length": round(length, 1),
                "value_x": label_width + round(length, 1) + 6,
            }
        )
    return {
        "bars": chart,
        "width": width,
        "height": max(1, len(items)) * (bar_height + gap),
        "bar_height": bar_height,
    }
