"""Retention periods as data, and the job that applies them (pure date arithmetic here).

Archived files are deleted 10 years after moving away, 5 years after death (domain.md);
naturalisation is treated like moving away (the file is no longer needed by this office).
"""

import datetime as dt

RETENTION_YEARS = {
    "moved_away": 10,
    "death": 5,
    "naturalised": 10,
}


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def delete_after(reason, event_date):
    """The first day on which an archived file may be deleted."""
    if reason not in RETENTION_YEARS or event_date is None:
        return None
    return add_years(event_date, RETENTION_YEARS[reason]) + dt.timedelta(days=1)
