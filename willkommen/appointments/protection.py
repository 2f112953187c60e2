"""Against bots and resale: ALTCHA proof of work whose difficulty rises with the request rate of the
client's address, and the admission of a booking attempt (limits per address, person and e-mail, and the
proof accepted once), see :mod:`.limits`.

Protocol: the server speaks ALTCHA v2 (python ``altcha`` 2.x, ``create_challenge`` /
``verify_solution``); the vendored widget (npm ``altcha`` 3.x) solves v2 challenges
(``parameters`` + ``signature``, counter as uint32) and posts the base64 payload in the field
``altcha``. A solved challenge is accepted once (its nonce is remembered until it expires).
"""

import hashlib
import time
from functools import cache

from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import gettext as _

from . import limits
from .limits import Counter

ALGORITHM = "SHA-256"
CHALLENGE_SECONDS = 600


@cache
def _secret_for(secret_key):
    return hashlib.sha256(f"altcha:{secret_key}".encode()).hexdigest()


def _secret():
    return _secret_for(settings.SECRET_KEY)


def difficulty(address):
    """Hex digits of zeros the derived key must start with, from the address's requests this minute."""
    challenges, attempts = limits.counts(["appointments-challenge", "appointments-book"], address)
    return limits.pow_difficulty(challenges + attempts)


def new_challenge(address, now=None):
    """A signed v2 challenge as a dict (what the widget fetches as JSON)."""
    from altcha import create_challenge

    limits.hit("appointments-challenge", address, 10**9)
    challenge = create_challenge(
        ALGORITHM,
        1,
        key_prefix="0" * difficulty(address),
        expires_at=int((now or time.time()) + CHALLENGE_SECONDS),
        hmac_secret=_secret(),
    )
    return challenge.to_dict()


def solved(payload):
    """The nonce of a correctly solved, unexpired challenge of ours, or None. Whether it was used before is
    decided by :func:`admit` (in the same round trip as the rate limits)."""
    from altcha import Payload, verify_solution

    if not payload or len(payload) > 4000:
        return None
    try:
        parsed = Payload.from_base64(payload)
    except Exception:  # noqa: BLE001 (any garbage is simply not a proof)
        return None
    if not verify_solution(parsed, _secret()).verified:
        return None
    return parsed.challenge.parameters.nonce


def admit(address, *, nonce, person, email):
    """Count a booking attempt. Returns None when it may go on, else why not: ``"replayed"`` (the solved
    challenge was used before) or ``"rate_limit"`` (the address, the person or the e-mail address is over its
    limit this minute; without proof of work the address's limit is stricter)."""
    with_proof = nonce is not None
    counters = [
        Counter("appointments-book", address, limits.booking_limit_per_address(True)),
        Counter("appointments-person", limits.key_of(person), limits.person_limit()),
        Counter("appointments-email", limits.key_of(email), limits.email_limit()),
    ]
    if not with_proof:
        counters.append(Counter("appointments-book-nopow", address, limits.booking_limit_per_address(False)))
    allowed, fresh = limits.admit(
        counters, once=f"altcha:{nonce}" if with_proof else None, once_seconds=CHALLENGE_SECONDS + 60
    )
    if not fresh:
        return "replayed"
    return None if allowed is True else "rate_limit"


def solve(challenge_dict):
    """Solve a challenge (tests and the benchmark's simulated clients)."""
    from altcha import Challenge, Payload, solve_challenge

    challenge = Challenge.from_dict(challenge_dict)
    solution = solve_challenge(challenge)
    return Payload(challenge, solution).to_base64()


def widget_strings():
    """The texts of the ALTCHA widget in the page's language (the widget itself speaks English; the page
    hands these to it, see ``static/appointments/altcha-strings.js``)."""
    return {
        "label": _("I am not a robot"),
        "verifying": _("Checking…"),
        "verified": _("Checked"),
        "error": _("The check failed. Please try again later."),
        "expired": _("The check has expired. Please try again."),
        "verificationRequired": _("Please wait until the check is complete."),
        "waitAlert": _("Checking… please wait a moment."),
        "footer": format_html(
            '{} <a href="https://altcha.org/" tabindex="-1" target="_blank" rel="noopener">ALTCHA</a>',
            _("Protected by"),
        ),
    }
