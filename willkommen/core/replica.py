"""A read replica for the heavy reads, the primary for everything else, and read-your-own-writes.

With ``DATABASE_REPLICA_URL`` set, the database alias ``replica`` is a streaming standby of the primary.
Code marks the heavy reads – the figures and their exports, the e-file search, the work-queue counts, the
public free-slot search – with :func:`heavy_reads` (a context manager) or :func:`heavy_read` (a decorator
for selectors that return finished lists). :class:`ReplicaRouter` sends those reads to the replica and
every other query, and every write, to the primary. A heavy read still goes to the primary when

- the request (or job) wrote something earlier, or the same browser wrote less than
  ``DATABASE_REPLICA_PIN_SECONDS`` ago (cookie ``wk_primary``, set by :class:`PinMiddleware`): a client
  who has just booked sees the place gone, a caseworker who has just reassigned sees the new counts;
- it runs inside a transaction on the primary (it must see the transaction's own rows);
- the replica lags more than ``DATABASE_REPLICA_MAX_LAG_SECONDS`` behind or does not answer (checked at
  most every ``DATABASE_REPLICA_CHECK_SECONDS`` per process): stale figures are worse than slow ones.

Writes to the audit log, sessions and login bookkeeping (``DATABASE_REPLICA_PIN_EXEMPT``) do not pin: they
are never read back by the flow that wrote them, and every staff read writes an audit entry.
"""

import contextvars
import functools
import logging
import threading
import time
from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger("willkommen.replica")

REPLICA = "replica"
COOKIE = "wk_primary"

_heavy = contextvars.ContextVar("willkommen_heavy_reads", default=False)
# Per request (set by the middleware) or per thread otherwise: {"until": unix time pinned to the primary,
# "wrote": whether this request wrote, "request": set by the middleware}.
_pin = contextvars.ContextVar("willkommen_replica_pin", default=None)
_health = {"checked": 0.0, "usable": False, "lag": None}
_health_lock = threading.Lock()


def configured():
    return REPLICA in settings.DATABASES


def pin_seconds():
    return getattr(settings, "DATABASE_REPLICA_PIN_SECONDS", 10)


@contextmanager
def heavy_reads():
    """Reads inside go to the replica (when there is one and nothing above speaks against it)."""
    token = _heavy.set(True)
    try:
        yield
    finally:
        _heavy.reset(token)


def heavy_read(func):
    """Decorator for selectors that return a finished list (a lazy queryset would run outside)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with heavy_reads():
            return func(*args, **kwargs)

    return wrapper


def pinned():
    state = _pin.get()
    return bool(state and (state["wrote"] or state["until"] > time.time()))


def replica_lag():
    """Seconds the replica is behind (0 when it has replayed all it received); None when it does not answer."""
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "SELECT CASE WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() "
                "THEN 0 ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 1e9) END"
            )
            return float(cursor.fetchone()[0])
    except Exception as exc:  # noqa: BLE001 (a replica that does not answer is simply not used)
        logger.warning("replica not usable: %s", exc)
        connections[REPLICA].close()
        return None


def replica_usable(now=None):
    now = now or time.monotonic()
    interval = getattr(settings, "DATABASE_REPLICA_CHECK_SECONDS", 2)
    if now - _health["checked"] < interval:
        return _health["usable"]
    with _health_lock:
        if now - _health["checked"] >= interval:
            lag = replica_lag()
            usable = lag is not None and lag <= getattr(settings, "DATABASE_REPLICA_MAX_LAG_SECONDS", 5)
            if _health["usable"] and not usable:
                logger.warning("heavy reads back on the primary (replica lag: %s s)", lag)
            _health.update(checked=time.monotonic(), usable=usable, lag=lag)
    return _health["usable"]


def forget_health():
    """Check the replica again at the next heavy read (tests, after the replica changed)."""
    _health.update(checked=0.0, usable=False, lag=None)


def read_alias():
    """Where a heavy read would go now: ``"replica"`` or ``"default"``."""
    if not (_heavy.get() and configured()) or pinned():
        return DEFAULT_DB_ALIAS
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    return REPLICA if replica_usable() else DEFAULT_DB_ALIAS


class ReplicaRouter:
    """Heavy reads to the replica (see the module docstring), everything else to the primary."""

    def db_for_read(self, model, **hints):
        if not _heavy.get():
            return None  # Django's default: the primary, or the database an instance came from
        return read_alias()

    def db_for_write(self, model, **hints):
        if model._meta.app_label not in getattr(settings, "DATABASE_REPLICA_PIN_EXEMPT", ()):
            state = _pin.get()
            if state is not None and state.get("request"):
                state["wrote"] = True  # for the rest of the request; the cookie covers the next ones
            else:  # a job or a shell: for a short time on this thread
                _pin.set({"until": time.time() + pin_seconds(), "wrote": False})
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db != REPLICA


class PinMiddleware:
    """Keeps a browser on the primary for a short time after one of its requests wrote something."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        until = 0.0
        raw = request.COOKIES.get(COOKIE, "")
        if raw:
            try:
                until = min(float(raw), time.time() + pin_seconds())  # a forged value cannot pin for longer
            except ValueError:
                until = 0.0
        token = _pin.set({"until": until, "wrote": False, "request": True})
        try:
            response = self.get_response(request)
            if _pin.get()["wrote"] and configured():
                expires = time.time() + pin_seconds()
                response.set_cookie(
                    COOKIE,
                    f"{expires:.1f}",
                    max_age=pin_seconds(),
                    httponly=True,
                    samesite="Lax",
                    secure=settings.SESSION_COOKIE_SECURE,
                )
            return response
        finally:
            _pin.reset(token)
