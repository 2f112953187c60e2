"""Keyed hashes (HMAC-SHA256) for secrets that are random and long enough to need no slow hash:
clients' access codes, sign-in link tokens, passport numbers.

A password chosen by a person needs a deliberately slow hash (Django's password hashers, about 0.7 s
each), because it can be guessed from a dictionary. A code drawn at random from 2^50 or more values
cannot: the keyed hash is safe as long as the key (derived from ``SECRET_KEY``) is not known, and a
leaked database alone reveals nothing. It costs microseconds, so a sign-in cannot be used to burn the
servers' CPU. Guessing online is stopped by the rate limits of each way in.

Rotation works like Django's signing: values are made with ``SECRET_KEY`` and recognised under it and
under each of ``SECRET_KEY_FALLBACKS``; callers re-store a value found under a fallback key.
"""

import hmac

from django.conf import settings
from django.utils.crypto import salted_hmac


def keys_in_use():
    """``SECRET_KEY`` first, then the fallbacks (oldest rotation last)."""
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def keyed_hash(purpose, message, secret=None):
    """Hex HMAC-SHA256 of ``message`` with a key derived from ``secret`` (default ``SECRET_KEY``) and
    ``purpose`` (so the same value hashed for two purposes gives unrelated results)."""
    return salted_hmac(purpose, message, secret=secret or settings.SECRET_KEY, algorithm="sha256").hexdigest()


def keyed_hashes(purpose, message):
    """The hash of ``message`` under every key in use, current key first: for lookups by hash."""
    return [keyed_hash(purpose, message, secret) for secret in keys_in_use()]


def match(stored, purpose, message):
    """Index of the key under which ``stored`` is the hash of ``message`` (0 = current key), else None.
    Every key is compared in constant time, whatever matched."""
    found = None
    for index, candidate in enumerate(keyed_hashes(purpose, message)):
        if hmac.compare_digest(str(stored), candidate) and found is None:
            found = index
    return found
