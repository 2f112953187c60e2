"""Fixed-window rate limits on the shared cache (Redis in production).

Public endpoints call :func:`ratelimit` as a decorator; a client over the limit gets
a 429 page in their language and nothing is done.
"""

import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _


def client_address(request):
    return request.META.get("REMOTE_ADDR", "unknown")


def hit(scope, key, limit, window=60):
    """Count one request; True while the count in the current window is within the limit."""
    bucket = int(time.time() // window)
    cache_key = f"rl:{scope}:{key}:{bucket}"
    cache.add(cache_key, 0, timeout=window + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # evicted between add and incr
        cache.set(cache_key, 1, timeout=window + 5)
        count = 1
    return count <= limit


def count(scope, key, window=60):
    bucket = int(time.time() // window)
    return cache.get(f"rl:{scope}:{key}:{bucket}", 0)


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
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                allowed = hit(scope, client_address(request), limit or settings.PUBLIC_RATE_LIMIT, window)
                if not allowed:
                    return too_many(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
