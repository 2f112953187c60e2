"""The access code kept for repeated answers.

The case stores only a keyed hash of the code. The application keeps it sealed with a key derived from
SECRET_KEY, so a client who lost the answer and submits again is shown the same code, and the receipt job
can print it. After a key rotation the seal is opened with the key in SECRET_KEY_FALLBACKS that yields a
well-formed code. APPLICATION_SEALED_CODE_DAYS after the receipt went out the seal is dropped (daily job);
the code then exists only as the case's keyed hash and in the client's receipt. (Its own module so that
the receipt job reads it without importing the commands, which enqueue that job.)
"""

import datetime as dt
import hashlib
import hmac
import re

from django.conf import settings
from django.utils import timezone

from willkommen.core.keyed_hash import keys_in_use

from .models import Application

CODE_PATTERN = re.compile(r"[A-Z2-9]{6,20}")


def _keystream(application, length, secret=None):
    key = (secret or settings.SECRET_KEY).encode()
    digest = hmac.new(key, f"receipt-code:{application.public_id}".encode(), hashlib.sha256)
    return digest.digest()[:length]


def seal_code(application, code):
    raw = code.encode()
    return bytes(a ^ b for a, b in zip(raw, _keystream(application, len(raw)), strict=True)).hex()


def drop_sealed_codes(now=None):
    """Forget the sealed code of applications whose receipt went out more than
    APPLICATION_SEALED_CODE_DAYS ago. Returns how many were dropped."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.APPLICATION_SEALED_CODE_DAYS)
    return Application.objects.filter(receipt_sent_at__lt=cutoff).exclude(sealed_code="").update(sealed_code="")


def unseal_code(application):
    if not application.sealed_code:
        return None
    raw = bytes.fromhex(application.sealed_code)
    for secret in keys_in_use():
        opened = bytes(a ^ b for a, b in zip(raw, _keystream(application, len(raw), secret), strict=True))
        code = opened.decode("ascii", errors="replace")
        if CODE_PATTERN.fullmatch(code):
            return code
    return None
