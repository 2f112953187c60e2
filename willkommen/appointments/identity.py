"""Who books, and the secrets around a booking: the person key of the one-active-booking rule, the keyed hash
of a passport number, references, tokens (stored only as hashes) and the signed QR payload."""

import hashlib
import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.utils import translation
from django.utils.crypto import salted_hmac

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
QR_SALT = "willkommen.appointments.qr"
PASSPORT_SALT = "willkommen.appointments.passport"
PASSPORT_PATTERN = re.compile(r"[A-Z0-9]{5,20}")


@dataclass(frozen=True)
class Applicant:
    """The person a place is booked for, as entered (the booking form, an invitation, a staff member)."""

    family_name: str
    given_names: str
    date_of_birth: object  # datetime.date
    email: str
    phone: str = ""
    language: str = "de"
    interpreter_needed: bool = False
    interpreter_language: str = ""
    passport_number: str = ""
    answers: dict = field(default_factory=dict)


def _normal(text):
    return " ".join(unicodedata.normalize("NFKC", str(text or "")).casefold().split())


def identity_key(family_name, given_names, date_of_birth, email):
    """A person for the one-active-booking rule: name, date of birth and e-mail, normalised and hashed."""
    raw = "|".join([_normal(family_name), _normal(given_names), str(date_of_birth), _normal(email)])
    return hashlib.sha256(raw.encode()).hexdigest()


def email_key(email):
    """The e-mail address as compared for the per-e-mail limits."""
    return _normal(email)


def normalise_passport_number(value):
    """The passport number as compared: upper case, without spaces (full-width characters folded).
    Returns "" for no number; raises ValueError when what is left is not 5–20 letters A–Z and digits."""
    text = "".join(unicodedata.normalize("NFKC", str(value or "")).split()).upper()
    if text and not PASSPORT_PATTERN.fullmatch(text):
        raise ValueError(text)
    return text


def passport_keys(authority, number):
    """Keyed hashes of a normalised passport number at ``authority``: HMAC-SHA256 with a key derived from
    SECRET_KEY (the first, stored with new bookings), then from each of SECRET_KEY_FALLBACKS (so a rotated
    key still finds the bookings made before). The authority is part of the message, so the same passport
    gives unrelated values at different authorities. Empty for no number."""
    if not number:
        return []
    authority_id = getattr(authority, "pk", authority)
    message = f"{authority_id}:{number}"
    secrets_in_use = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [
        salted_hmac(PASSPORT_SALT, message, secret=secret, algorithm="sha256").hexdigest() for secret in secrets_in_use
    ]


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def new_token():
    return secrets.token_urlsafe(24)


def new_reference():
    return "T-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def qr_payload(booking):
    """What the QR code on the confirmation carries: the reference, signed by the server."""
    return signing.Signer(salt=QR_SALT).sign(booking.reference)


def reference_from_qr(code):
    """The reference in a QR payload; raises ``signing.BadSignature`` for a forged one."""
    return signing.Signer(salt=QR_SALT).unsign(code)


def token_matches(booking, token):
    return bool(token) and hmac.compare_digest(booking.token_hash, hash_token(str(token)))


def language_of(obj):
    return obj.language if obj.language in dict(settings.LANGUAGES) else "de"


def in_language(obj):
    """Translations in the language of a booking, invitation or request (German when it is not offered)."""
    return translation.override(language_of(obj))
