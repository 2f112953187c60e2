"""Against bots and resale: ALTCHA proof of work whose difficulty rises with the request rate of the
client's address, and rate limits that are stricter when no proof of work was sent (JavaScript off).

Protocol: the server speaks ALTCHA v2 (python ``altcha`` 2.x, ``create_challenge`` /
``verify_solution``); the vendored widget (npm ``altcha`` 3.x) solves v2 challenges
(``parameters`` + ``signature``, counter as uint32) and posts the base64 payload in the field
``altcha``. A solved challenge is accepted once (its nonce is remembered until it expires).
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

from willkommen.core import ratelimit

ALGORITHM = "SHA-256"
CHALLENGE_SECONDS = 600
# Requests per minute per address for the booking step with proof of work, and without it.
LIMIT_WITH_PROOF = getattr(settings, "APPOINTMENTS_BOOKING_RATE_LIMIT", 10)
LIMIT_WITHOUT_PROOF = getattr(settings, "APPOINTMENTS_BOOKING_RATE_LIMIT_NO_POW", 3)


def _secret():
    return hashlib.sha256(f"altcha:{settings.SECRET_KEY}".encode()).hexdigest()


def difficulty(address):
    """Hex digits of zeros the derived key must start with: 3 normally, more under load from one address."""
    recent = ratelimit.count("appointments-challenge", address) + ratelimit.count("appointments-book", address)
    if recent > 30:
        return 6
    if recent > 10:
        return 5
    if recent > 4:
        return 4
    return 3


def new_challenge(address, now=None):
    """A signed v2 challenge as a dict (what the widget fetches as JSON)."""
    from altcha import create_challenge

    ratelimit.hit("appointments-challenge", address, 10_000)
    challenge = create_challenge(
        ALGORITHM,
        1,
        key_prefix="0" * difficulty(address),
        expires_at=int((now or time.time()) + CHALLENGE_SECONDS),
        hmac_secret=_secret(),
    )
    return challenge.to_dict()


def verify(payload):
    """True for a correctly solved, unexpired challenge of ours that was not used before."""
    from altcha import Payload, verify_solution

    if not payload or len(payload) > 4000:
        return False
    try:
        parsed = Payload.from_base64(payload)
    except Exception:  # noqa: BLE001 (any garbage is simply not a proof)
        return False
    result = verify_solution(parsed, _secret())
    if not result.verified:
        return False
    # Accept each solved challenge once.
    return cache.add(f"altcha-used:{parsed.challenge.parameters.nonce}", 1, timeout=CHALLENGE_SECONDS + 60)


def allow_booking_attempt(address, with_proof):
    """Count a booking attempt; False when the address is over its limit (stricter without proof)."""
    scope = "appointments-book" if with_proof else "appointments-book-nopow"
    allowed = ratelimit.hit(scope, address, LIMIT_WITH_PROOF if with_proof else LIMIT_WITHOUT_PROOF)
    if with_proof:
        return allowed
    # Attempts without proof also count against the general limit.
    return ratelimit.hit("appointments-book", address, LIMIT_WITH_PROOF) and allowed


def solve(challenge_dict):
    """Solve a challenge (tests and the benchmark's simulated clients)."""
    from altcha import Challenge, Payload, solve_challenge

    challenge = Challenge.from_dict(challenge_dict)
    solution = solve_challenge(challenge)
    return Payload(challenge, solution).to_base64()
