"""The client's access code of a case: stored only as a keyed hash, checked in microseconds.

The code is 10 characters from a 32-letter alphabet (2^50 values) drawn by ``secrets``: far beyond
guessing at the rate limits of the status sign-in (5 tries per case number per 15 minutes, 10 per
address per minute), so a keyed HMAC (``core.keyed_hash``, key derived from ``SECRET_KEY``) is the
right store, not a password hash. The authority and the case number are part of the hashed message,
so equal codes of two cases give unrelated hashes.

Stored form: ``hmac$<hex>``. Cases opened before this store have a Django password hash
(``pbkdf2_sha256$...``); they are still checked with ``check_password`` (slow, once) and re-stored as
a keyed hash on the first successful sign-in. A hash made under a key now in ``SECRET_KEY_FALLBACKS``
is re-stored under the current key the same way.

A code stops working ``ACCESS_CODE_DAYS_AFTER_CLOSE`` days after the case reached a final status
(closed, transferred, withdrawn); the client then signs in by e-mail link.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.utils import timezone

from willkommen.core.keyed_hash import keyed_hash, match

from . import workflow

PURPOSE = "willkommen.cases.access-code"
PREFIX = "hmac$"


def normalise(code):
    return (code or "").strip().upper()


def _message(authority_id, number, code):
    return f"{authority_id}:{number}:{normalise(code)}"


def make_hash(authority_id, number, code):
    """What the case stores for ``code``: ``hmac$`` and the keyed hash under the current key."""
    return PREFIX + keyed_hash(PURPOSE, _message(authority_id, number, code))


def _restore(case, old, new):
    """Re-store the hash, only if no one changed it meanwhile."""
    type(case).objects.filter(pk=case.pk, access_code_hash=old).update(access_code_hash=new)
    case.access_code_hash = new


def closed_at(case):
    """When the case reached its final status (None while it is open)."""
    if case.status not in workflow.FINAL:
        return None
    entry = case.timeline.filter(to_status__in=workflow.FINAL).order_by("-at").values_list("at", flat=True).first()
    return entry or case.updated_at


def expired(case, now=None):
    when = closed_at(case)
    days = settings.ACCESS_CODE_DAYS_AFTER_CLOSE
    return when is not None and (now or timezone.now()) > when + timedelta(days=days)


def check(case, code):
    """True when ``code`` is the access code of ``case`` and has not expired."""
    code = normalise(code)
    stored = case.access_code_hash or ""
    if not code:
        return False
    message = _message(case.authority_id, case.number, code)
    if stored.startswith(PREFIX):
        index = match(stored[len(PREFIX) :], PURPOSE, message)
        if index is None:
            return False
        if index > 0:  # made under a key that is now a fallback
            _restore(case, stored, make_hash(case.authority_id, case.number, code))
    elif check_password(code, stored):  # a case from before the keyed store: upgrade once
        _restore(case, stored, make_hash(case.authority_id, case.number, code))
    else:
        return False
    return not expired(case)


def check_nothing(code):
    """The work of one check, for unknown case numbers (timing says nothing about existence)."""
    match("0" * 64, PURPOSE, _message(0, "", code))
    return False
