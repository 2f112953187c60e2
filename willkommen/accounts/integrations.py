"""Integration accounts and their API tokens: commands and queries.

A token is ``wk_`` + 40 random characters; only its SHA-256 is stored, so the secret is shown once
and a leaked database holds nothing usable. Lifetime at most ``API_TOKEN_MAX_DAYS``; rotating gives a
new token with the same scopes and lets the old one work ``API_TOKEN_ROTATION_OVERLAP_HOURS`` more, so
the other system can switch without an outage. Every creation, rotation and revocation is audited, and
so is every use (``api_auth.ApiTokenAuthentication``)."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from willkommen.audit.services import record

from .models import ApiToken, IntegrationAccount, Membership, User
from .permissions import IsVerifiedStaff, view_room  # noqa: F401 (view_room: named here for callers)
from .roles import Role

TOKEN_PREFIX = "wk_"
READ, WRITE = "read", "write"


def hash_key(key):
    return hashlib.sha256(key.encode()).hexdigest()


def api_rooms():
    """Rooms that have staff endpoints in the REST API: the rooms a token can be scoped to."""
    rooms = set()

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                cls = getattr(pattern.callback, "cls", None)
                if cls is not None and any(
                    isinstance(p, type) and issubclass(p, IsVerifiedStaff) for p in cls.permission_classes
                ):
                    rooms.add(view_room(cls()))

    walk(get_resolver().url_patterns)
    rooms.discard(None)
    return sorted(rooms)


# --- queries ---------------------------------------------------------------------------------------


def accounts(authority):
    return IntegrationAccount.objects.filter(authority=authority).select_related("user").order_by("name")


def get_account(authority, pk):
    """One account of this authority, or IntegrationAccount.DoesNotExist (a 404)."""
    return accounts(authority).get(pk=pk)


def tokens(account):
    return account.tokens.order_by("-created_at")


def token_for_key(key):
    if not key or not key.startswith(TOKEN_PREFIX) or len(key) > 100:
        return None
    return ApiToken.objects.select_related("account__user", "authority").filter(key_hash=hash_key(key)).first()


# --- commands --------------------------------------------------------------------------------------


def _audit(authority, actor, obj, action, detail):
    record(authority=authority, action=action, obj=obj, actor=actor, purpose="integration accounts", detail=detail)


@transaction.atomic
def create_account(authority, *, name, acts_as, description="", teams=(), actor=None):
    user = User.objects.create(
        username=f"api.{authority.slug}.{secrets.token_hex(4)}"[:150],
        first_name=name[:150],
        authority=authority,
        role=Role.INTEGRATION,
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    account = IntegrationAccount.objects.create(
        authority=authority, name=name, description=description, acts_as=acts_as, user=user, created_by=actor
    )
    set_teams(account, teams)
    _audit(authority, actor, account, "create", f"integration account {name} ({acts_as})")
    return account


@transaction.atomic
def update_account(account, *, acts_as, description, teams, actor=None):
    account.acts_as = acts_as
    account.description = description
    account.save(update_fields=["acts_as", "description"])
    set_teams(account, teams)
    _audit(account.authority, actor, account, "update", f"integration account {account.name} ({acts_as})")
    return account


def set_teams(account, teams):
    Membership.objects.filter(user=account.user).exclude(team__in=teams).delete()
    for team in teams:
        if team.authority_id != account.authority_id:
            raise ValueError("team of another authority")
        Membership.objects.get_or_create(authority=account.authority, user=account.user, team=team)


def set_active(account, active, actor=None):
    account.user.is_active = active
    account.user.save(update_fields=["is_active"])
    _audit(account.authority, actor, account, "update", f"integration account {account.name} active={active}")


def issue_token(account, *, scopes, expires_at, label="", actor=None, now=None):
    """A new token; returns ``(token, key)``: the key is shown once and never stored."""
    now = now or timezone.now()
    scopes = {room: level for room, level in scopes.items() if level in (READ, WRITE)}
    if not scopes:
        raise ValueError("a token needs at least one scope")
    latest = now + timedelta(days=settings.API_TOKEN_MAX_DAYS)
    expires_at = min(expires_at, latest)
    if expires_at <= now:
        raise ValueError("the expiry must lie in the future")
    key = TOKEN_PREFIX + secrets.token_urlsafe(30)
    token = ApiToken.objects.create(
        authority=account.authority,
        account=account,
        label=label,
        prefix=key[:10],
        key_hash=hash_key(key),
        scopes=scopes,
        expires_at=expires_at,
        created_by=actor,
    )
    _audit(account.authority, actor, token, "create", f"API token {token.prefix}… scopes {_scopes_text(scopes)}")
    return token, key


@transaction.atomic
def rotate_token(token, actor=None, now=None):
    """A new token with the same scopes and lifetime; the old one ends after the overlap."""
    now = now or timezone.now()
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None or token.expires_at <= now:
        raise ValueError("only a valid token can be rotated")
    lifetime = max(token.expires_at - token.created_at, timedelta(days=1))
    new, key = issue_token(
        token.account, scopes=token.scopes, expires_at=now + lifetime, label=token.label, actor=actor, now=now
    )
    token.expires_at = min(token.expires_at, now + timedelta(hours=settings.API_TOKEN_ROTATION_OVERLAP_HOURS))
    token.replaced_by = new
    token.save(update_fields=["expires_at", "replaced_by"])
    _audit(token.authority, actor, token, "update", f"API token {token.prefix}… rotated to {new.prefix}…")
    return new, key


def revoke_token(token, actor=None, now=None):
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at"])
        _audit(token.authority, actor, token, "delete", f"API token {token.prefix}… revoked")
    return token


def _scopes_text(scopes):
    return ", ".join(f"{room}:{level}" for room, level in sorted(scopes.items()))
