"""Commands of the partners room; other rooms use it through this module and ``selectors.py``.

Requests to other authorities (``requests.py``): :func:`send_request`, :func:`record_answer`,
:func:`send_due_reminders`; the settings per recipient type (``recipients.py``): :func:`save_type_settings`.
"""

from .delivery import send_due_reminders
from .errors import RequestError
from .models import RequestType
from .recipients import all_settings, fill, settings_for
from .requests import may_answer, record_answer, send_request

__all__ = [
    "RequestError",
    "all_settings",
    "fill",
    "may_answer",
    "record_answer",
    "save_type_settings",
    "send_due_reminders",
    "send_request",
    "settings_for",
]


def save_type_settings(authority, recipient_type, *, question, stops_clock, due_days):
    """The authority's own question, clock rule and answer period for one recipient type."""
    if not 1 <= int(due_days) <= 365:
        raise RequestError("due_days")
    row, _created = RequestType.objects.update_or_create(
        authority=authority,
        recipient_type=recipient_type,
        defaults={"question": (question or "").strip(), "stops_clock": bool(stops_clock), "due_days": int(due_days)},
    )
    return row
