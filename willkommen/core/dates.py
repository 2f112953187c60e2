"""Dates as clients read them: the day, the month's name and the year in the language of the page
("12. April 1999", "12 April 1999", "12 أبريل، 1999", "12 квітня 1999 р."), never "1999-04-12".

Django's ``DATE_FORMAT`` of each language, except English, which follows GOV.UK ("12 April 1999" rather
than the American "April 12, 1999"). Digits stay the Latin ones the project prints everywhere (also in
Arabic and Persian, isolated by ``<bdi>``); a date input may stay ISO."""

import datetime as dt

from django.utils import dateformat, formats, timezone, translation

DATE_FORMATS = {"en": "j F Y"}
TIME_FORMATS = {"en": "H:i", "ar": "H:i"}
SEPARATORS = {"ar": "، ", "fa": "، "}


def _language():
    return (translation.get_language() or "de").split("-")[0]


def as_date(value):
    """A date from a date, a datetime (in local time) or an ISO string; None for anything else."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value) if "T" in value or " " in value else dt.date.fromisoformat(value)
        except ValueError:
            return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value if isinstance(value, dt.date) else None


def local_date(value):
    """The date in the active language, "" when there is none."""
    day = as_date(value)
    if day is None:
        return ""
    return dateformat.format(day, DATE_FORMATS.get(_language()) or formats.get_format("DATE_FORMAT"))


def local_datetime(value):
    """Date and time of an aware datetime in local time ("12. April 1999, 14:30")."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return ""
    if not isinstance(value, dt.datetime):
        return local_date(value)
    moment = timezone.localtime(value) if timezone.is_aware(value) else value
    time_format = TIME_FORMATS.get(_language()) or formats.get_format("TIME_FORMAT")
    separator = SEPARATORS.get(_language(), ", ")
    return f"{local_date(moment.date())}{separator}{dateformat.time_format(moment.time(), time_format)}"
