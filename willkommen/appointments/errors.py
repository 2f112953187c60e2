"""Why a booking command was refused: the exceptions every booking command raises, with the message
shown to the client and the HTTP status an API or page answers with."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PASSPORT_NUMBER_INVALID = gettext_lazy(
    "Please enter the passport number as it is printed: 5 to 20 letters (A–Z) and digits; spaces do not matter."
)


class BookingError(Exception):
    """A booking command that cannot be carried out; ``message`` is shown to the client.

    ``status`` is the HTTP status an API or page answers with (409 when the place is gone,
    400 for bad input, 410 for an expired hold, 404 for an unknown booking)."""

    status = 400

    def __init__(self, message, *, code="invalid", status=None, errors=None):
        super().__init__(str(message))
        self.message = str(message)
        self.code = code
        self.errors = errors or {}
        if status is not None:
            self.status = status


class SlotGone(BookingError):
    status = 409

    def __init__(self, message=None):
        super().__init__(
            message or _("This appointment is no longer available. Please choose another time."), code="gone"
        )


class CheckInError(Exception):
    """Check-in refused (forged, unknown or reused code, another location or day); the message is translated."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


def duplicate():
    return BookingError(
        _("You already have an appointment for this Anliegen. Cancel it first to book another."),
        code="duplicate",
        status=409,
    )


def not_found():
    return BookingError(_("This link is not valid."), code="not_found", status=404)
