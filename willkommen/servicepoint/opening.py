"""The ServicePoint's error and settings, its station per location and when a location is open."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from willkommen.tenancy.models import Closure
from willkommen.tenancy.selectors import public_holidays

from .models import Station


class ServicePointError(Exception):
    """A request the ServicePoint refuses; ``message`` is translated and shown to the user."""

    def __init__(self, message, *, come_back_at=None):
        super().__init__(message)
        self.message = message
        self.come_back_at = come_back_at


def _setting(name, default):
    return getattr(settings, name, default)


def no_show_minutes():
    return _setting("SERVICEPOINT_NO_SHOW_MINUTES", 5)


def no_show_requeues():
    """How often a called client who did not come goes back into the queue before dropping out."""
    return _setting("SERVICEPOINT_NO_SHOW_REQUEUES", 1)


def default_service_minutes():
    return _setting("SERVICEPOINT_DEFAULT_SERVICE_MINUTES", 6)


def station_for(location):
    station, _created = Station.objects.get_or_create(authority=location.authority, location=location)
    return station


def opening_today(location, now):
    """(opens, closes) local times of today, or None when the location is closed today."""
    local = timezone.localtime(now)
    day = local.date()
    if day in public_holidays(location.authority, day, day):
        return None
    closed = (
        Closure.objects.filter(
            authority=location.authority, starts_on__lte=day, ends_on__gte=day, location__in=[location]
        ).exists()
        or Closure.objects.filter(
            authority=location.authority, starts_on__lte=day, ends_on__gte=day, location__isnull=True
        ).exists()
    )
    if closed:
        return None
    hours = [h for h in location.opening_hours.all() if h.weekday == day.weekday()]
    if not hours:
        return None
    return min(h.opens for h in hours), max(h.closes for h in hours)


def is_open(location, now):
    if not location.active:
        return False
    local = timezone.localtime(now)
    day = local.date()
    if opening_today(location, now) is None:
        return False
    return any(h.opens <= local.time() < h.closes for h in location.opening_hours.all() if h.weekday == day.weekday())


def _require_open(location, now):
    if not is_open(location, now):
        raise ServicePointError(
            _("The ServicePoint of this location is closed now. Please come back during the opening hours.")
        )
