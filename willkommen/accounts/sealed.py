"""Secrets Willkommen must send on (an identity provider's client secret) are kept sealed in the database:
encrypted (Fernet: AES-128-CBC with HMAC-SHA256, from ``cryptography``) with a key derived from
``SECRET_KEY``. A leaked database alone does not reveal them. After a rotation of ``SECRET_KEY`` a seal
made under one of ``SECRET_KEY_FALLBACKS`` still opens; saving the provider again reseals it."""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken

from willkommen.core.keyed_hash import keys_in_use

PURPOSE = b"willkommen.accounts.sealed:"


def _fernet(secret):
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(PURPOSE + secret.encode()).digest()))


def seal(plain):
    return _fernet(keys_in_use()[0]).encrypt(plain.encode()).decode() if plain else ""


def unseal(sealed):
    """The plain secret, or "" when there is none or no key in use opens it."""
    if not sealed:
        return ""
    for secret in keys_in_use():
        try:
            return _fernet(secret).decrypt(sealed.encode()).decode()
        except InvalidToken:
            continue
    return ""
