"""The booking POST answered before the rest of Django's middleware (issue 16: a losing POST within a
millisecond of server CPU; the stack after this point cost about 0.7 ms of its 1.2 ms).

What a booking POST needs from the stack has happened when :class:`BookingRouteMiddleware` runs (it sits right
after ``NulCharacterMiddleware`` in ``settings.MIDDLEWARE``): the security headers (``SecurityMiddleware``,
Permissions-Policy, CSP), the authority (``AuthorityMiddleware``), the client's language
(``LanguageMiddleware``) and the NUL check. What the rest would do for it, it does not need or does itself:

* the POST is anonymous and public: no authentication, second factor, staff tenant or login lock-out (axes)
  applies, and like every public API endpoint (DRF's views are CSRF-exempt, no cookie authentication) it needs
  no CSRF token – the proof of work and the limits per address, person and e-mail in
  :mod:`.public_booking` protect it, as they did behind the whole stack;
* no URL is resolved and no DRF view is built: the path is one fixed address;
* it sets the headers the rest of the stack would set: ``Cache-Control: no-store`` (``PrivateResponseMiddleware``),
  ``X-Frame-Options: DENY`` and ``Content-Length``; the passport number is marked sensitive for error reports,
  as the view's decorator does.

Anything else – another method, a body that is not a JSON object (DRF's parser answers 400 with its message),
a request without an authority – goes the usual way through the whole stack to ``api.Bookings``.
"""

from django.utils.cache import add_never_cache_headers

from . import intake, public_booking

PATH = "/api/v1/appointments/bookings/"


class BookingRouteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "POST" or request.path_info != PATH or getattr(request, "authority", None) is None:
            return self.get_response(request)
        data = intake.body(request)
        if data is None:
            return self.get_response(request)
        from .views import portal_url

        request.sensitive_post_parameters = ("passport_number",)
        response = public_booking.post(request, portal_url, data)
        add_never_cache_headers(response)
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers["Content-Length"] = str(len(response.content))
        return response
