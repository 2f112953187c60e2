"""Staff single sign-on over OpenID Connect (authorization code flow with PKCE), built on Authlib.

Each authority may register its directory as a :class:`StaffIdentityProvider` (admin). The flow:

1. :func:`start` sends the browser to the provider's authorization endpoint (from the issuer's discovery
   document) with a fresh ``state``, ``nonce`` and PKCE verifier, kept in the session by Authlib.
2. :func:`finish` takes the answer: the state must be one this session started (once: it is removed on
   use), the code is exchanged at the token endpoint, the ID token's signature is checked against the
   provider's JWKS and its ``iss``, ``aud``/``azp``, ``exp``/``iat`` and ``nonce`` are checked.
3. :func:`resolve_user` finds the staff member (by the link to the subject, else by the configured
   claim within the provider's authority) or creates one, and :func:`apply_groups` sets the role and
   teams from the token's groups through the authority's :class:`GroupMapping` rows.
4. :func:`second_factor_vouched` says whether the token's ``acr``/``amr`` names a second factor the
   authority accepts; if not, the local TOTP step follows as after a password.

Every refusal is a :class:`SignInRefused` with a message for the user; nothing is changed before the
token has been verified.
"""

import logging
from dataclasses import dataclass

import requests
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.django_client import OAuth
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from joserfc.errors import BadSignatureError, ClaimError, ExpiredTokenError, InvalidKeyIdError, JoseError

from .models import GroupMapping, Membership, ProviderVouchedDevice, StaffIdentityLink, StaffIdentityProvider, User
from .roles import Role

log = logging.getLogger(__name__)

HTTP_TIMEOUT = 10  # seconds for discovery, JWKS and token requests
LEEWAY = 60  # seconds of clock skew accepted for exp/iat
SESSION_LOGOUT_KEY = "staff_sso"  # provider id and ID token for single logout


class SignInRefused(Exception):
    """The sign-in through the provider is refused; ``message`` is for the user, ``reason`` for the log."""

    def __init__(self, message, reason, status=400):
        super().__init__(reason)
        self.message = message
        self.reason = reason
        self.status = status


@dataclass
class Verified:
    provider: StaffIdentityProvider
    claims: dict
    id_token: str


def providers_for(authority):
    """The enabled providers of an authority (the sign-in page offers them)."""
    if authority is None:
        return StaffIdentityProvider.objects.none()
    return StaffIdentityProvider.objects.filter(authority=authority, enabled=True).order_by("name")


def get_provider(authority, pk):
    return providers_for(authority).filter(pk=pk).first()


def _client(provider):
    oauth = OAuth()
    issuer = provider.issuer.rstrip("/")
    return oauth.register(
        name=f"idp-{provider._meta.model_name}-{provider.pk}",
        client_id=provider.client_id,
        client_secret=provider.client_secret or None,
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": provider.scopes, "code_challenge_method": "S256", "default_timeout": HTTP_TIMEOUT},
    )


_UNREACHABLE = _("The sign-in service of your authority cannot be reached. Please try again later.")


def _metadata(client, provider):
    try:
        metadata = client.load_server_metadata()
    except (requests.RequestException, ValueError, TypeError, AttributeError) as exc:
        raise SignInRefused(_UNREACHABLE, f"discovery failed: {exc}", status=502) from exc
    issuer = metadata.get("issuer")
    if not isinstance(issuer, str) or issuer.rstrip("/") != provider.issuer.rstrip("/"):
        raise SignInRefused(_UNREACHABLE, f"discovery names issuer {metadata.get('issuer')!r}", status=502)
    return metadata


def start(request, provider, redirect_uri):
    """The redirect to the provider; the state, nonce and PKCE verifier stay in the session."""
    client = _client(provider)
    _metadata(client, provider)
    return client.authorize_redirect(request, redirect_uri)


_NOT_VERIFIED = _("The sign-in could not be verified. Please start again from the sign-in page.")
_EXPIRED = _("The sign-in has expired. Please start again from the sign-in page.")


def finish(request, provider):
    """Verify the provider's answer; returns :class:`Verified` or raises :class:`SignInRefused`."""
    client = _client(provider)
    metadata = _metadata(client, provider)
    if request.GET.get("error"):
        raise SignInRefused(
            _("The sign-in service refused the sign-in. Please start again or use your password."),
            f"provider error {request.GET.get('error')!r}",
            status=403,
        )
    claims_options = {"iss": {"essential": True, "values": [metadata["issuer"]]}}
    try:
        token = client.authorize_access_token(request, claims_options=claims_options, leeway=LEEWAY)
    except MismatchingStateError as exc:
        raise SignInRefused(_NOT_VERIFIED, "state unknown, used before or of another session") from exc
    except ExpiredTokenError as exc:
        raise SignInRefused(_EXPIRED, "ID token expired") from exc
    except ClaimError as exc:
        raise SignInRefused(_NOT_VERIFIED, f"ID token claim {exc.claim!r} refused") from exc
    except (BadSignatureError, InvalidKeyIdError) as exc:
        raise SignInRefused(_NOT_VERIFIED, f"ID token signature refused: {exc}") from exc
    except JoseError as exc:
        raise SignInRefused(_NOT_VERIFIED, f"ID token refused: {exc}") from exc
    except OAuthError as exc:
        raise SignInRefused(_NOT_VERIFIED, f"token endpoint refused: {exc}") from exc
    except (requests.RequestException, ValueError, TypeError, KeyError, AttributeError, RuntimeError) as exc:
        # unreachable, or an answer that is no JSON object, a key set that is none, no jwks_uri
        raise SignInRefused(_UNREACHABLE, f"token request or key set failed: {exc!r}", status=502) from exc
    claims = token.get("userinfo") if isinstance(token, dict) else None
    if not claims or "id_token" not in token:
        raise SignInRefused(_NOT_VERIFIED, "no ID token in the token response")
    claims = dict(claims)
    claims["sub"] = str(claims["sub"])
    return Verified(provider=provider, claims=claims, id_token=token["id_token"])


def _groups(provider, claims):
    groups = claims.get(provider.groups_claim) or []
    if isinstance(groups, str):
        groups = [groups]
    return {str(g) for g in groups if isinstance(g, str | int)}


def mapped(provider, claims):
    """Role (or None) and {team_id: is_lead} that the token's groups give through the mapping table."""
    groups = _groups(provider, claims)
    rows = GroupMapping.objects.filter(provider=provider, authority_id=provider.authority_id, group__in=groups)
    role, teams = None, {}
    for row in rows.order_by("position", "id"):
        if row.role and role is None:
            role = row.role
        if row.team_id and row.team.authority_id == provider.authority_id:
            teams[row.team_id] = teams.get(row.team_id, False) or row.is_lead
    return role, teams


_NO_ACCOUNT = _(
    "There is no staff account for you at this authority. Please ask your administrator to give your "
    "directory account a group for Willkommen."
)


def resolve_user(verified):
    """The staff member behind a verified token, created if the provider may provision; never a user of
    another authority, an integration account or a deactivated account."""
    provider, claims = verified.provider, verified.claims
    authority_id = provider.authority_id
    link = StaffIdentityLink.objects.select_related("user").filter(provider=provider, subject=claims["sub"]).first()
    user = link.user if link else None
    if user is None:
        value = claims.get(provider.match_claim)
        if not isinstance(value, str) or not value.strip():
            raise SignInRefused(_NO_ACCOUNT, f"claim {provider.match_claim!r} missing", status=403)
        value = value.strip()
        if provider.match_field == StaffIdentityProvider.MatchField.EMAIL:
            if claims.get("email_verified") is False:
                raise SignInRefused(_NO_ACCOUNT, "e-mail address not verified by the provider", status=403)
            candidates = User.objects.filter(authority_id=authority_id, email__iexact=value)
        else:
            candidates = User.objects.filter(authority_id=authority_id, username=value)
        matches = list(candidates[:2])
        if len(matches) > 1:
            raise SignInRefused(_NO_ACCOUNT, f"{provider.match_field} {value!r} names several accounts", status=403)
        user = matches[0] if matches else None
        if user is None:
            user = _provision(verified, value)
    if user.authority_id != authority_id or user.is_superuser or user.is_integration or user.role == Role.PARTNER:
        raise SignInRefused(_NO_ACCOUNT, f"user {user.pk} may not sign in through provider {provider.pk}", status=403)
    if not user.is_active:
        raise SignInRefused(
            _("Your staff account is switched off. Please ask your administrator."), "user inactive", status=403
        )
    return user


def _provision(verified, value):
    provider, claims = verified.provider, verified.claims
    role, _teams = mapped(provider, claims)
    if not provider.provision or role is None:
        raise SignInRefused(_NO_ACCOUNT, "no account and no provisioning (or no role from the groups)", status=403)
    username = value if provider.match_field == StaffIdentityProvider.MatchField.USERNAME else claims["sub"]
    username = username[:150]
    if User.objects.filter(username=username).exists():  # an account of another authority has this name
        raise SignInRefused(_NO_ACCOUNT, f"user name {username!r} is taken at another authority", status=403)
    user = User(
        username=username,
        authority_id=provider.authority_id,
        role=role,
        first_name=str(claims.get("given_name", ""))[:150],
        last_name=str(claims.get("family_name", ""))[:150],
        email=str(claims.get("email", ""))[:254] if claims.get("email_verified", True) else "",
    )
    user.set_unusable_password()
    user.save()
    log.info("staff %s provisioned through identity provider %s", user.pk, provider.pk)
    return user


@transaction.atomic
def apply_groups(user, verified):
    """Role and team memberships from the token's groups (mapping table), at every sign-in. A token whose
    groups give no role keeps the user's role only if the user was not provisioned by a mapping before;
    teams follow the mapping exactly when any mapping of the provider names a team."""
    provider = verified.provider
    role, teams = mapped(provider, verified.claims)
    if role is None and GroupMapping.objects.filter(provider=provider).exclude(role="").exists():
        raise SignInRefused(_NO_ACCOUNT, "the token's groups give no role", status=403)
    changed = []
    if role and user.role != role:
        user.role = role
        changed.append("role")
    if changed:
        user.save(update_fields=changed)
    if GroupMapping.objects.filter(provider=provider, team__isnull=False).exists():
        Membership.objects.filter(user=user).exclude(team_id__in=teams).delete()
        for team_id, is_lead in teams.items():
            Membership.objects.update_or_create(
                user=user, team_id=team_id, defaults={"authority_id": user.authority_id, "is_lead": is_lead}
            )
    StaffIdentityLink.objects.update_or_create(
        provider=provider,
        subject=verified.claims["sub"],
        defaults={"user": user, "authority_id": provider.authority_id, "last_login_at": timezone.now()},
    )


def second_factor_vouched(verified):
    """True when the token's ``acr`` or ``amr`` names a second factor the authority accepts."""
    provider, claims = verified.provider, verified.claims
    acr = claims.get("acr")
    if isinstance(acr, str) and acr in provider.acr_values():
        return True
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    return bool({a for a in amr if isinstance(a, str)} & provider.amr_values())


def vouched_device(user, provider):
    """The django-otp device that marks a session verified by the provider's second factor."""
    device, _created = ProviderVouchedDevice.objects.get_or_create(
        user=user, provider=provider, defaults={"name": f"sso:{provider.pk}", "confirmed": True}
    )
    return device


def logout_url(request, post_logout_redirect_uri):
    """The provider's end-session URL for the session being signed out, or None (RP-initiated logout)."""
    data = request.session.get(SESSION_LOGOUT_KEY)
    if not data:
        return None
    provider = StaffIdentityProvider.objects.filter(pk=data.get("provider")).first()
    if provider is None:
        return None
    client = _client(provider)
    try:
        metadata = _metadata(client, provider)
    except SignInRefused:
        return None
    if not metadata.get("end_session_endpoint"):
        return None
    return client.create_logout_url(
        post_logout_redirect_uri=post_logout_redirect_uri,
        id_token_hint=data.get("id_token"),
        client_id=provider.client_id,
    )["url"]
