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
