from django.conf import settings
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
