from django.conf import settings
from django.utils import translation

_MEMO = "_willkommen_base_context"


def base(request):
    """The page frame's context. Panels rendered with ``render_to_string(..., request=request)`` run the context
    processors again for the same request: the frame's values (the desk menu reverses about 40 URLs) are worked
    out once per request and language."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    memo = getattr(request, _MEMO, None)
    if memo is not None and memo[0] == language:
        return memo[1]
    authority = getattr(request, "authority", None)
    languages = authority.offered_languages if authority else list(settings.LANGUAGES)
    context = {
        "authority": authority,
        "current_language": language,
        "text_direction": "rtl" if language in settings.LANGUAGES_BIDI else "ltr",
        "switch_languages": languages,
        "desk_nav": _desk_nav(request),
    }
    try:
        setattr(request, _MEMO, (language, context))
    except AttributeError:  # not a real request (a stand-in without attributes)
        pass
    return context


def _desk_nav(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated and getattr(user, "is_verified", lambda: False)()):
        return []
    from .navigation import desk_entries

    return desk_entries(user)
