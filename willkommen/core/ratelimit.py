"""Fixed-window rate limits on the shared cache (Redis in production).

Public endpoints call :func:`ratelimit` as a decorator; a client over the limit gets
a 429 page in their language and nothing is done.
"""

import hashlib
import ipaddress
import re
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _


def client_address(request):
    """The client's address. Behind the proxies named in PROXY_ADDRESSES it is the last address in
    X-Forwarded-For that is not one of them (a client cannot forge it: the proxy appends the real one)."""
    remote = request.META.get("REMOTE_ADDR", "unknown")
    proxies = getattr(settings, "PROXY_ADDRESSES", ())
    if remote not in proxies:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    for address in reversed(forwarded):
        if address not in proxies:
            return address[:45]
    return remote


def client_ip(request):
    """:func:`client_address` as a valid IP address, or ``None`` (a request without one, e.g. a test's
    forced login). The login lockout counts by it (``AXES_CLIENT_IP_CALLABLE``), so the rate limits and
    the lockout see the same client behind the proxies."""
    try:
        return str(ipaddress.ip_address(client_address(request)))
    except ValueError:
        return None


_PLAIN_KEY = re.compile(r"[A-Za-z0-9.:_@\-]{1,64}")


def cache_key(scope, key, bucket):
    """The cache key of one counter. A key that is not short plain ASCII (an address, a user id) – e.g. a
    code or name typed by a client – is hashed: the cache never holds typed text, and every cache backend
    (memcached included) accepts the key."""
    key = str(key)
    if not _PLAIN_KEY.fullmatch(key):
        key = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"rl:{scope}:{key}:{bucket}"


def hit(scope, key, limit, window=60):
    """Count one request; True while the count in the current window is within the limit."""
    bucket = int(time.time() // window)
    cache_key_ = cache_key(scope, key, bucket)
    cache.add(cache_key_, 0, timeout=window + 5)
    try:
        count = cache.incr(cache_key_)
    except ValueError:  # evicted between add and incr
        cache.set(cache_key_, 1, timeout=window + 5)
        count = 1
    return count <= limit


def count(scope, key, window=60):
    bucket = int(time.time() // window)
    return cache.get(cache_key(scope, key, bucket), 0)


def too_many(request):
    return render(
        request,
        "core/error.html",
        {
            "title": _("Too many requests"),
            "message": _("You sent too many requests in a short time. Please wait a minute and try again."),
        },
        status=429,
    )


def ratelimit(scope, limit=None, window=60, methods=("POST",)):
    """``limit`` requests per ``window`` seconds and address (a number, or a function returning one, read
    per request so that it can be a setting; default ``PUBLIC_RATE_LIMIT``)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                allowed_limit = (limit() if callable(limit) else limit) or settings.PUBLIC_RATE_LIMIT
                allowed = hit(scope, client_address(request), allowed_limit, window)
                if not allowed:
                    return too_many(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
