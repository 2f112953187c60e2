from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers


def supported_language(code):
    return code if code in dict(settings.LANGUAGES) else None


def language_for_request(request):
    code = supported_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""))
    if code:
        return code
    accept = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for lang, _quality in translation.trans_real.parse_accept_lang_header(accept):
        code = supported_language(lang.split("-")[0].lower())
        if code:
            return code
    return settings.LANGUAGE_CODE


class LanguageMiddleware:
    """The interface language: the client's choice (cookie), else the browser's, else German."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_for_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class NulCharacterMiddleware:
    """Refuse NUL characters in the path, the query string and form fields with a 400 before any
    view sees them: PostgreSQL cannot store or even compare text containing NUL (a search with
    ``%00`` was a 500), and no legitimate input contains one. File uploads are not affected."""

    FORM = "application/x-www-form-urlencoded"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            from django.utils.translation import gettext as _

            from .views import _error

            message = _("The input contains a character that is not allowed (NUL). Please check it.")
            return _error(request, 400, _("Bad request"), message)  # JSON with a code for the API
        return self.get_response(request)

    def _has_nul(self, request):
        if "\x00" in request.path:
            return True
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            return True
        if request.method == "POST" and request.content_type == self.FORM:
            return any("\x00" in key or any("\x00" in v for v in values) for key, values in request.POST.lists())
        return False


def allow_features(*features):
    """Allow browser features (Permissions-Policy) for this view's pages, for our own origin only."""

    def decorator(view):
        from functools import wraps

        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            response.allowed_features = set(features)
            return response

        return wrapped

    return decorator


class PermissionsPolicyMiddleware:
    """Permissions-Policy on every response: the features of ``settings.PERMISSIONS_POLICY`` are off
    (``camera=()``) unless the view allowed one with :func:`allow_features` (``camera=(self)``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        allowed = getattr(response, "allowed_features", set())
        response.headers.setdefault(
            "Permissions-Policy",
            ", ".join(
                f"{feature}=(self)" if feature in allowed else f"{feature}=()"
                for feature in settings.PERMISSIONS_POLICY
            ),
        )
        return response


class CompressPagesMiddleware(GZipMiddleware):
    """Pages, JSON, CSV and other text gzip-compressed for clients that accept it (issue 14: a client page
    weighs at most 60 KB on a first visit; a Ukrainian times page is 17 KB of HTML, 3 KB compressed). Django's
    own middleware, with its BREACH mitigation (random padding in every compressed answer; CSRF tokens are
    masked per response anyway), limited to text: static files come precompressed from WhiteNoise, and PDFs,
    images, e-file downloads and other streamed answers keep their bytes and their Content-Length."""

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        if response.streaming or not (content_type.startswith("text/") or content_type.endswith("json")):
            return response
        return super().process_response(request, response)
