"""Sign-in links by e-mail: opaque, single use, stored only as a keyed hash, with an expiry.

The link is ``/signin/<token>/`` with 32 random bytes (``secrets.token_urlsafe``) and nothing else:
no e-mail address, no authority, nothing an access log could reveal. The row (:class:`SignInLink`)
keeps the keyed hash of the token (``core.keyed_hash``, recognised under ``SECRET_KEY_FALLBACKS``
too), the address, where to go next and the expiry (``MAGIC_LINK_MAX_AGE_MINUTES``).

Opening the link (GET) only shows a button; the POST behind it redeems the link: one conditional
UPDATE marks it used, so two requests with the same link (a double click, a replay from a log, two
tabs) sign in at most once. Mail scanners that open every link in an e-mail do not use it up.
Used and expired rows are deleted by a daily job.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from willkommen.core.keyed_hash import keyed_hash, keyed_hashes

from .models import SignInLink

PURPOSE = "willkommen.accounts.sign-in-link"
TOKEN_BYTES = 32
KEEP_USED_FOR = timedelta(days=1)


def issue(authority, email, next_url=""):
    """Store a new link for ``email`` at ``authority``; returns the token (shown once, in the e-mail)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    SignInLink.objects.create(
        authority=authority,
        token_hash=keyed_hash(PURPOSE, token),
        email=email.strip().lower(),
        next_url=next_url[:500],
        expires_at=timezone.now() + timedelta(minutes=settings.MAGIC_LINK_MAX_AGE_MINUTES),
    )
    return token


def _well_formed(token):
    return isinstance(token, str) and 20 <= len(token) <= 100


def find(authority, token, now=None):
    """The unused, unexpired link of ``token`` at ``authority``, or None."""
    if authority is None or not _well_formed(token):
        return None
    return SignInLink.objects.filter(
        authority=authority,
        token_hash__in=keyed_hashes(PURPOSE, token),
        used_at__isnull=True,
        expires_at__gt=now or timezone.now(),
    ).first()


def redeem(authority, token):
    """Use the link once: the link when this call marked it used, else None (unknown, used, expired)."""
    now = timezone.now()
    link = find(authority, token, now)
    if link is None:
        return None
    won = SignInLink.objects.filter(pk=link.pk, used_at__isnull=True, expires_at__gt=now).update(used_at=now)
    if not won:
        return None
    link.used_at = now
    return link


def purge(now=None):
    """Delete links that expired, or were used, more than a day ago. Returns the number deleted."""
    cutoff = (now or timezone.now()) - KEEP_USED_FOR
    deleted, _ = SignInLink.objects.filter(expires_at__lt=cutoff).delete()
    used, _ = SignInLink.objects.filter(used_at__lt=cutoff).delete()
    return deleted + used
