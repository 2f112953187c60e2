"""The staff login lockout (django-axes with one change).

- Failed passwords are counted per pair of user name and client address: after ``AXES_FAILURE_LIMIT``
  failures that pair is locked for ``AXES_COOLOFF_MINUTES``. Whoever knows a user name can no longer
  lock the office out: the same name from another address is not affected.
- The slower limit per user name, from any address (a distributed guessing attack): after
  ``LOGIN_USER_FAILURE_LIMIT`` failures within ``LOGIN_USER_WINDOW_MINUTES`` the user name is locked
  everywhere until the oldest of them leaves the window. Counted from axes' failure log, which keeps
  every failure with its time. Attempts while locked are not counted, so one address contributes at
  most ``AXES_FAILURE_LIMIT`` failures per cool-off: a single attacker cannot reach this limit.

The client address is ``core.ratelimit.client_ip`` (behind the proxies of ``PROXY_ADDRESSES`` the
address they forwarded), the same as for the rate limits.
"""

from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessFailureLog
from django.conf import settings
from django.utils import timezone


def username_failures(username, now=None):
    """Failed logins of ``username`` from any address within the window."""
    if not username:
        return 0
    since = (now or timezone.now()) - timedelta(minutes=settings.LOGIN_USER_WINDOW_MINUTES)
    return AccessFailureLog.objects.filter(username=username, attempt_time__gte=since).count()


class LockoutHandler(AxesDatabaseHandler):
    def is_locked(self, request, credentials=None):
        if super().is_locked(request, credentials):
            return True
        username = get_client_username(request, credentials)
        return username_failures(username) >= settings.LOGIN_USER_FAILURE_LIMIT
