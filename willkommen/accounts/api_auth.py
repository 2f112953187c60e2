from rest_framework.authentication import SessionAuthentication


class VerifiedSessionAuthentication(SessionAuthentication):
    """Session authentication that only counts sessions which passed the second factor."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user, _auth = result
        if not (hasattr(user, "is_verified") and user.is_verified()):
            return None
        return result


try:
    from drf_spectacular.authentication import SessionScheme

    class VerifiedSessionScheme(SessionScheme):
        target_class = "willkommen.accounts.api_auth.VerifiedSessionAuthentication"
        name = "verifiedSession"
except ImportError:  # drf-spectacular is optional at run time
    pass
