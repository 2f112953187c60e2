from django.contrib.auth.models import AnonymousUser


class StaffTenantMiddleware:
    """A staff member is only signed in at their own authority: elsewhere they are anonymous.

    So a session of authority A never reads authority B's pages or API, and B's URLs
    answer as if the visitor were nobody (404 for objects, login for pages).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        authority = getattr(request, "authority", None)
        if user is not None and user.is_authenticated and not user.is_superuser:
            if authority is None or user.authority_id != authority.id:
                request.user = AnonymousUser()
        return self.get_response(request)


class PrivateResponseMiddleware:
    """No browser or proxy keeps a page that may show an access code or personal data.

    ``Cache-Control: no-store`` (Django's never-cache headers) goes on every response to a signed-in
    staff member or API user, and to a browser that holds a client's session (identity, drafts,
    receipts), before or after the view; so after sign-out, Back and the browser cache show nothing.
    Any other response that says nothing about caching gets it too (pages carry CSRF tokens and
    token links); a public page that may be cached says so itself with its own Cache-Control.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils.cache import add_never_cache_headers

        from .client_identity import has_client_session

        private = has_client_session(request)
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if private or has_client_session(request) or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)
        elif not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
