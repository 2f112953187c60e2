"""How a client proves who they are, without an account.

A client identity lives in the session as a small dict. Ways in are *providers*
registered in one registry: the magic link (here), case number plus access code
(registered by the cases room), and later BundID through OpenID Connect. A provider
verifies its proof and calls :func:`sign_in`; everything else only reads
:func:`current_identity`.
"""

from dataclasses import asdict, dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SESSION_KEY = "client_identity"


@dataclass(frozen=True)
class ClientIdentity:
    method: str  # provider key, e.g. "magic_link", "case_code", "bundid"
    authority_id: int
    email: str = ""
    case_id: int | None = None
    person_id: int | None = None
    assurance: str = "low"  # "low" (e-mail or code), "substantial"/"high" (eID through BundID)
    provider: str = ""  # the trusted identity provider's name (OpenID Connect sign-in), for the audit log
    signed_in_at: str = field(default_factory=lambda: timezone.now().isoformat())


class IdentityProvider:
    key = ""
    label = ""

    def start_url(self, request):  # where the client begins this way in
        raise NotImplementedError


_providers: dict[str, IdentityProvider] = {}


def register(provider_cls):
    _providers[provider_cls.key] = provider_cls()
    return provider_cls


def providers():
    return dict(_providers)


def sign_in(request, identity: ClientIdentity):
    request.session.cycle_key()
    request.session[SESSION_KEY] = asdict(identity)


# Session keys that hold a client's things (the identity; drafts and receipts the applications room
# remembers for the browser that made them...). Rooms register theirs in AppConfig.ready().
_client_session_keys = {SESSION_KEY}


def register_session_key(key):
    _client_session_keys.add(key)


def has_client_session(request):
    """Whether this browser holds anything of a client (then the portal offers to sign out)."""
    session = getattr(request, "session", None)
    return session is not None and any(key in session for key in _client_session_keys)


def sign_out(request):
    """End everything of this browser: the identity and whatever the rooms remembered in the session.
    The session is flushed (emptied, a new key); a staff login in the same browser ends with it."""
    request.session.flush()


def current_identity(request):
    data = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    authority = getattr(request, "authority", None)
    if not data or authority is None or data.get("authority_id") != authority.id:
        return None
    try:
        return ClientIdentity(**data)
    except TypeError:
        return None


@register
class MagicLinkProvider(IdentityProvider):
    """A link by e-mail (``sign_in_links.py``): opaque, single use, stored only as a keyed hash."""

    key = "magic_link"
    label = _("Link by e-mail")

    def start_url(self, request):
        from django.urls import reverse

        return reverse("accounts:magic_link")

    @staticmethod
    def make_token(authority, email, next_url="/"):
        from . import sign_in_links

        return sign_in_links.issue(authority, email, next_url)

    @staticmethod
    def peek(authority, token):
        """The link behind ``token`` if it can still be used (does not use it), else None."""
        from . import sign_in_links

        return sign_in_links.find(authority, token)

    @staticmethod
    def redeem(authority, token):
        """Use the link once; the link, or None when it is unknown, used or expired."""
        from . import sign_in_links

        return sign_in_links.redeem(authority, token)
