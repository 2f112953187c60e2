import copy
import threading
import time

from django.conf import settings

from .models import Authority, Location, RoutingRule, Team

# The authority of a request, by slug or host name, is kept in each process for ``TENANCY_CACHE_SECONDS``:
# every request needs it and it hardly ever changes. A change saved in this process clears it at once
# (signals in apps.py); other processes see it after at most that many seconds.
# Misses are remembered too (a junk slug asked for a thousand times costs one query), so the store is
# bounded: at ``MAX_REMEMBERED`` entries the expired ones go, and if that is not enough, all of them.
_authorities = {}
_lock = threading.Lock()
MAX_REMEMBERED = 1024


def _remembered(key, load):
    seconds = getattr(settings, "TENANCY_CACHE_SECONDS", 60)
    now = time.monotonic()
    hit = _authorities.get(key)
    if hit is None or hit[0] <= now or seconds <= 0:
        hit = (now + seconds, load())
        with _lock:
            if len(_authorities) >= MAX_REMEMBERED and key not in _authorities:
                for old in [k for k, (until, _value) in _authorities.items() if until <= now]:
                    del _authorities[old]
                if len(_authorities) >= MAX_REMEMBERED:
                    _authorities.clear()
            _authorities[key] = hit
    # Each request gets its own copy: nothing one request sets on it reaches another.
    return copy.copy(hit[1]) if hit[1] is not None else None


def forget_authorities(**kwargs):
    with _lock:
        _authorities.clear()


def authority_for_slug(slug):
    return _remembered(("slug", slug), lambda: Authority.objects.filter(slug=slug).first())


def _for_host(host):
    for authority in Authority.objects.exclude(hostnames="").only("id", "hostnames", "slug"):
        if host in authority.host_list():
            return Authority.objects.get(pk=authority.pk)
    return None


def authority_for_host(host):
    host = (host or "").lower()
    if not host:
        return None
    return _remembered(("host", host), lambda: _for_host(host))


def default_authority(slug=""):
    if slug:
        found = authority_for_slug(slug)
        if found:
            return found
    return _remembered(("first",), lambda: Authority.objects.order_by("id").first())


def locations(authority, active_only=True):
    qs = Location.objects.filter(authority=authority)
    if active_only:
        qs = qs.filter(active=True)
    return qs.prefetch_related("opening_hours")


def routing_rules(authority):
    """The authority's routing rules in the order they are tried (lowest priority first)."""
    return RoutingRule.objects.filter(authority=authority).order_by("priority", "id")


def teams(authority):
    return Team.objects.filter(authority=authority)


def public_holidays(authority, start, end):
    """Dates of public holidays in the authority's state between start and end (inclusive)."""
    calendar = authority.holidays(range(start.year, end.year + 1))
    return {day: name for day, name in calendar.items() if start <= day <= end}
