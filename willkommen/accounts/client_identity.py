"""How a client proves who they are, without an account.

A client identity lives in the session as a small dict. Ways in are *providers*
registered in one registry: the magic link (here), case number plus access code
(registered by the cases room), and later BundID through OpenID Connect. A provider
verifies its proof and calls :func:`sign_in`; everything else only reads
:func:`current_identity`.
"""

from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SESSION_KEY = "client_identity"
MAGIC_LINK_SALT = "willkommen.magic-link"


@dataclass(frozen=True)
class ClientIdentity:
    method: str  # provider key, e.g. "magic_link", "case_code", "bundid"
    authority_id: int
    email: str = ""
    case_id: int | None = None
    person_id: int | None = None
    assurance: str = "low"  # "low" (e-mail or code), "substantial"/"high" (eID through BundID)
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


def sign_out(request):
    request.session.pop(SESSION_KEY, None)


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
    key = "magic_link"
    label = _("Link by e-mail")

    def start_url(self, request):
        from django.urls import reverse

        return reverse("accounts:magic_link")

    @staticmethod
    def make_token(authority, email, next_url="/"):
        return signing.dumps({"a": authority.id, "e": email.strip().lower(), "n": next_url}, salt=MAGIC_LINK_SALT)

    @staticmethod
    def read_token(token):
        """The token's payload, or None when it is forged or older than MAGIC_LINK_MAX_AGE_MINUTES."""
        try:
            return signing.loads(token, salt=MAGIC_LINK_SALT, max_age=settings.MAGIC_LINK_MAX_AGE_MINUTES * 60)
        except signing.BadSignature:
            return None
