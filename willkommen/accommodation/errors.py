"""The accommodation room's refusals and the checks every command makes first."""

from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _


class AccommodationError(Exception):
    """A request this room refuses; ``message`` is translated and shown to the user."""

    def __init__(self, message, *, code=""):
        super().__init__(message)
        self.message = message
        self.code = code


def same_authority(authority, *objects):
    for obj in objects:
        if obj.authority_id != authority.id:
            raise ValueError("object of another authority")


def day(value):
    # A fixed numeric form: some locales' short formats carry direction marks that scramble it in bidi text.
    return format_date(value, "d.m.Y")


def check_date(value, *, not_before=None):
    today = timezone.localdate()
    if value > today:
        raise AccommodationError(_("The date must not be in the future."), code="date")
    if not_before is not None and value < not_before:
        raise AccommodationError(
            _("The date must not be before the move-in date (%(date)s).") % {"date": day(not_before)}, code="date"
        )
