"""Retention periods as data, and the job that applies them (pure date arithmetic here).

Archived files are deleted 10 years after moving away, 5 years after death (domain.md);
naturalisation is treated like moving away (the file is no longer needed by this office).
The years are settings (EFILE_RETENTION_YEARS_*, explained in settings.py).
"""

import datetime as dt

from django.conf import settings

RETENTION_SETTINGS = {
    "moved_away": "EFILE_RETENTION_YEARS_MOVED_AWAY",
    "death": "EFILE_RETENTION_YEARS_DEATH",
    "naturalised": "EFILE_RETENTION_YEARS_NATURALISED",
}


def retention_years(reason):
    return getattr(settings, RETENTION_SETTINGS[reason])


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def delete_after(reason, event_date):
    """The first day on which an archived file may be deleted."""
    if reason not in RETENTION_SETTINGS or event_date is None:
        return None
    return add_years(event_date, retention_years(reason)) + dt.timedelta(days=1)
