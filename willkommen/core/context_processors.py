from django.conf import settings
from django.utils import translation


def base(request):
    language = translation.get_language() or settings.LANGUAGE_CODE
    authority = getattr(request, "authority", None)
    languages = authority.offered_languages if authority else list(settings.LANGUAGES)
    return {
        "authority": authority,
        "current_language": language,
        "text_direction": "rtl" if language in settings.LANGUAGES_BIDI else "ltr",
        "switch_languages": languages,
        "desk_nav": _desk_nav(request),
    }


def _desk_nav(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated and getattr(user, "is_verified", lambda: False)()):
        return []
    from .navigation import desk_entries

    return desk_entries(user)
