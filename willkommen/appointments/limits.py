"""Every limit of the appointments room is a setting, read here (at call time, so tests and operators can
change them), and every counter of the public endpoints is counted here.

Fairness at release time does not come from the client's address: a shared accommodation or a counselling
centre puts hundreds of people behind one public address. It comes from

* the proof of work (each booking attempt needs a freshly solved challenge, accepted once; its difficulty
  rises with the request rate of the address, so a flood from one address costs the flood, not the server),
* limits per person (name + date of birth + e-mail) and per e-mail address (attempts per minute, and active
  bookings per e-mail), so one bot with one mailbox gets no more than a family would,
* a per-address ceiling that only a flood reaches (and a stricter one for attempts without proof of work,
  which have no other cost).

The counters are fixed one-minute windows in the shared cache. With Redis (``REDIS_URL``) all counters of a
request and the proof's replay check go to Redis in one round trip (a pipeline); without it (the embedded
default, tests) Django's cache is used counter by counter.
"""

import hashlib
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from willkommen.core import ratelimit

WINDOW = 60


def _setting(name, default):
    return getattr(settings, name, default)


# --- the knobs (settings.py documents each one) ---------------------------------------------------


def hold_minutes():
    return _setting("APPOINTMENTS_HOLD_MINUTES", 30)


def booking_limit_per_address(with_proof):
    if with_proof:
        return _setting("APPOINTMENTS_BOOKING_RATE_LIMIT", 600)
    return _setting("APPOINTMENTS_BOOKING_RATE_LIMIT_NO_POW", 10)


def person_limit():
    return _setting("APPOINTMENTS_PERSON_RATE_LIMIT", 5)


def email_limit():
    return _setting("APPOINTMENTS_EMAIL_RATE_LIMIT", 10)


def email_active_limit():
    return _setting("APPOINTMENTS_EMAIL_ACTIVE_LIMIT", 6)


def read_limit():
    """Challenge, free-slot and per-day requests per minute and address."""
    return _setting("APPOINTMENTS_READ_RATE_LIMIT", 1200)


def token_limit():
    """Confirm, cancel and move per minute and address (the token itself is 192 random bits)."""
    return _setting("APPOINTMENTS_TOKEN_RATE_LIMIT", 300)


def request_limit():
    """Allocation-mode requests filed per minute and address."""
    return _setting("APPOINTMENTS_ALLOCATION_RATE_LIMIT", 30)


def free_cache_seconds():
    return _setting("APPOINTMENTS_FREE_CACHE_SECONDS", 5)


def pow_difficulty(recent):
    """Hex digits of zeros the proof of work must find, for ``recent`` requests of the address this minute:
    ``APPOINTMENTS_POW_DIFFICULTY`` plus one for each threshold of ``APPOINTMENTS_POW_STEPS`` exceeded."""
    base = _setting("APPOINTMENTS_POW_DIFFICULTY", 3)
    steps = _setting("APPOINTMENTS_POW_STEPS", (30, 120, 600))
    return base + sum(1 for step in steps if recent > step)


# --- counting ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counter:
    scope: str
    key: str
    limit: int

    def cache_key(self, bucket):
        return ratelimit.cache_key(self.scope, self.key, bucket)


def key_of(*parts):
    """A short, stable counter key for personal data (names, e-mail): never stored in clear in the cache."""
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:24]


_client_lock = threading.Lock()
_client = {}


def _redis():
    """A Redis client for ``REDIS_URL`` (one connection pool per process), or None without Redis."""
    url = getattr(settings, "REDIS_URL", None)
    if not url:
        return None
    client = _client.get(url)
    if client is None:
        import redis

        with _client_lock:
            client = _client.setdefault(url, redis.Redis.from_url(url, socket_timeout=2))
    return client


def admit(counters, once=None, once_seconds=WINDOW):
    """Count one request on each counter. Returns ``(allowed, fresh)``: ``allowed`` is False when any
    counter is over its limit (the first such counter is returned instead of True's place: ``(counter, _)``);
    ``fresh`` is False when ``once`` (a key that may be used once, such as a solved challenge) was seen before.
    One round trip with Redis."""
    bucket = int(time.time() // WINDOW)
    client = _redis()
    if client is None:
        fresh = cache.add(f"once:{once}", 1, timeout=once_seconds) if once else True
        for counter in counters:
            if not ratelimit.hit(counter.scope, counter.key, counter.limit, WINDOW):
                return counter, fresh
        return True, fresh
    pipe = client.pipeline(transaction=False)
    if once:
        pipe.set(cache.make_key(f"once:{once}"), 1, ex=once_seconds, nx=True)
    for counter in counters:
        key = cache.make_key(counter.cache_key(bucket))
        pipe.set(key, 0, ex=WINDOW + 5, nx=True)
        pipe.incr(key)
    results = pipe.execute()
    fresh = bool(results.pop(0)) if once else True
    for counter, count in zip(counters, results[1::2], strict=True):
        if count > counter.limit:
            return counter, fresh
    return True, fresh


def counts(scopes, key):
    """This minute's count of each scope for ``key`` (one round trip with Redis)."""
    bucket = int(time.time() // WINDOW)
    client = _redis()
    if client is None:
        return [ratelimit.count(scope, key, WINDOW) for scope in scopes]
    values = client.mget([cache.make_key(ratelimit.cache_key(scope, key, bucket)) for scope in scopes])
    return [int(v or 0) for v in values]


def incr(name):
    """Add one to the cache entry ``name`` (kept until evicted); one round trip with Redis."""
    client = _redis()
    if client is not None:
        client.incr(cache.make_key(name))
        return
    try:
        cache.incr(name)
    except ValueError:
        cache.set(name, 1, None)


def hit(scope, key, limit):
    """Count one request of ``scope`` for ``key``; True while within ``limit`` this minute."""
    allowed, _fresh = admit([Counter(scope, key, limit)])
    return allowed is True
