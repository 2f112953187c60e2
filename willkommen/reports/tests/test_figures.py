import datetime as dt
import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from willkommen.reports import figures

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def row(category="quick_info", wait=10, service=5, status="done", outcome="solved", hour=9, day=None):
    issued = T0.replace(hour=hour)
    called = issued + dt.timedelta(minutes=wait)
    served = called + dt.timedelta(minutes=1) if status == "done" else None
    return {
        "day": day or issued.date(),
        "hour": hour,
        "category": category,
        "status": status,
        "outcome": outcome,
        "issued_at": issued,
        "called_at": called,
        "served_at": served,
        "finished_at": served + dt.timedelta(minutes=service) if served else None,
    }


def test_percentile_interpolates_between_ranks():
    assert figures.percentile([], 50) is None
    assert figures.percentile([7], 90) == 7.0
    assert figures.median([1, 3, 2]) == 2.0
    assert figures.median([1, 2, 3, 4]) == 2.5
    assert figures.percentile(range(1, 11), 90) == pytest.approx(9.1)
    assert figures.percentile([10, 20], 0) == 10.0 and figures.percentile([10, 20], 100) == 20.0


@given(st.lists(st.floats(min_value=0, max_value=1e4, allow_nan=False), min_size=1, max_size=60))
def test_median_agrees_with_statistics_and_p90_is_between_median_and_max(values):
    assert figures.median(values) == pytest.approx(statistics.median(values))
    assert figures.median(values) - 1e-9 <= figures.percentile(values, 90) <= max(values) + 1e-9


def test_summary_of_a_day():
    rows = [
        row(wait=5, service=4),
        row(wait=15, service=8, outcome="referred"),
        row("drop_off", wait=25, service=2, outcome="documents_received", hour=10),
        row("forms", wait=40, status="no_show", outcome="no_show", hour=10),
    ]
    result = figures.report(rows)
    total = result["total"]
    assert total["visits"] == 4
    assert total["by_category"]["quick_info"] == 2 and total["by_category"]["forms"] == 1
    assert total["wait_median"] == 15.0  # no-shows do not count as waiting time served
    assert total["wait_p90"] == pytest.approx(23.0)
    assert total["service_median"] == 4.0
    assert total["quick_solved_share"] == 0.5
    assert total["no_shows"] == 1
    assert [h["hour"] for h in result["by_hour"]] == [9, 10]
    assert [h["visits"] for h in result["by_hour"]] == [2, 2]
    assert result["by_day"][0]["visits"] == 4


def test_no_quick_issues_means_no_share():
    assert figures.summarise([row("forms")])["quick_solved_share"] is None


def test_bars_scale_to_the_largest_value():
    chart = figures.bars(
        [{"k": "a", "v": 2}, {"k": "b", "v": 4}, {"k": "c", "v": None}], "v", "k", width=300, label_width=40
    )
    lengths = [b["length"] for b in chart["bars"]]
    assert lengths == [100.0, 200.0, 0]


def test_counters_and_staff_at_work_per_hour_against_the_visits():
    from django.utils import timezone

    def visit(day, hour, minute, counter, staff):
        issued = timezone.make_aware(dt.datetime(2026, 3, day, hour, minute))
        return {
            **row(hour=hour, day=dt.date(2026, 3, day)),
            "issued_at": issued,
            "called_at": issued + dt.timedelta(minutes=5),
            "counter": counter,
            "staff_id": staff,
        }

    rows = [
        visit(2, 9, 0, "1", 5),
        visit(2, 9, 20, "1", 5),  # the same counter in the same hour: one counter hour
        visit(2, 9, 30, "2", 6),
        visit(3, 9, 10, "1", 6),
        visit(3, 10, 0, "1", 6),
        {**visit(3, 11, 0, "", None), "called_at": None, "status": "no_show"},  # never called: no one at work
    ]
    by_hour = {g["hour"]: g for g in figures.report(rows)["by_hour"]}
    assert (by_hour[9]["visits"], by_hour[9]["counter_hours"], by_hour[9]["staff_hours"]) == (4, 3, 3)
    assert by_hour[9]["visits_per_counter_hour"] == pytest.approx(4 / 3)
    assert (by_hour[10]["counter_hours"], by_hour[10]["visits_per_counter_hour"]) == (1, 1.0)
    assert by_hour[11]["counter_hours"] == 0 and by_hour[11]["visits_per_counter_hour"] is None
