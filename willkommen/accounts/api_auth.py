"""How the REST API knows who is asking: an integration account's token, or a staff session that
passed the second factor. Nothing else (DRF's own tokens, which skipped the second factor and never
expired, are gone)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import BaseAuthentication, SessionAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

LAST_USED_PRECISION_SECONDS = 60


class VerifiedSessionAuthentication(SessionAuthentication):
    """Session authentication that only counts sessions which passed the second factor."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user, _auth = result
        if user.is_integration or not (hasattr(user, "is_verified") and user.is_verified()):
            return None
        return result


class ApiTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer <token>`` (or ``Token <token>``) of an integration account.

    The token must be unrevoked, unexpired, of an active account and of the request's authority;
    otherwise the answer is 401 and nothing tells which of these failed. Every use is audited."""

    keywords = ("bearer", "token")

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].decode("latin-1").lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("Invalid token header."))
        from .integrations import token_for_key

        try:
            key = parts[1].decode()
        except UnicodeDecodeError:
            raise AuthenticationFailed(_("Invalid token.")) from None
        token = token_for_key(key)
        now = timezone.now()
        authority = getattr(request, "authority", None)
        if token is None or authority is None or token.authority_id != authority.pk or not token.is_valid(now):
            if token is not None:
                self._audit(request, token, refused=True)
            raise AuthenticationFailed(_("Invalid or expired token."))
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > LAST_USED_PRECISION_SECONDS:
            type(token).objects.filter(pk=token.pk).update(last_used_at=now)
        self._audit(request, token)
        return token.account.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'

    @staticmethod
    def _audit(request, token, refused=False):
        from willkommen.audit.services import record

        write = request.method not in ("GET", "HEAD", "OPTIONS")
        record(
            authority=token.authority,
            action="update" if write else "read",
            obj=token,
            actor=token.account.user,
            request=request._request,
            purpose="API (integration account)",
            detail=f"{token.account.name}: token {token.prefix}… {request.method}" + (" refused" if refused else ""),
        )


try:
    from drf_spectacular.authentication import SessionScheme
    from drf_spectacular.extensions import OpenApiAuthenticationExtension

    class VerifiedSessionScheme(SessionScheme):
        target_class = "willkommen.accounts.api_auth.VerifiedSessionAuthentication"
        name = "verifiedSession"

    class ApiTokenScheme(OpenApiAuthenticationExtension):
        target_class = "willkommen.accounts.api_auth.ApiTokenAuthentication"
        name = "integrationToken"

        def get_security_definition(self, auto_schema):
            return {
                "type": "http",
                "scheme": "bearer",
                "description": "Token of an integration account (desk: Integrations); scoped to rooms, expires.",
            }
except ImportError:  # drf-spectacular is optional at run time
    pass
