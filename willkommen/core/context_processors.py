from django.conf import settings
from django.utils import translation

_MEMO = "_willkommen_base_context"


def base(request):
    """The page frame's context. Panels rendered with ``render_to_string(..., request=request)`` run the context
    processors again for the same request: the frame's values (the desk menu reverses about 40 URLs) are worked
    out once per request, language and signed-in user."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    user = getattr(request, "user", None)
    # what the values depend on: a sign-in, sign-out or second factor within the request works them out again
    key = (language, getattr(user, "pk", None), bool(getattr(user, "is_verified", lambda: False)()))
    memo = getattr(request, _MEMO, None)
    if memo is not None and memo[0] == key:
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
        setattr(request, _MEMO, (key, context))
    except AttributeError:  # not a real request (a stand-in without attributes)
        pass
    return context


def _desk_nav(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated and getattr(user, "is_verified", lambda: False)()):
        return []
    from .navigation import desk_entries

    return desk_entries(user)
