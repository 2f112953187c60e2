from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .desk import HOME, desk_view, home_for
from .navigation import desk_entries, portal_entries


def home(request):
    return render(request, "core/home.html", {"ways_in": portal_entries()})


def language(request, code):
    """Switch the interface language (a plain link, so it works without JavaScript)."""
    if code not in dict(settings.LANGUAGES):
        return render(
            request,
            "core/error.html",
            {
                "title": _("Unknown language"),
                "message": _("This language is not offered. Please choose one from the list."),
            },
            status=400,
        )
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = redirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )
    return response


def privacy(request):
    return render(request, "core/privacy.html")


@desk_view(HOME)
def desk_home(request):
    """The registered home of a room for this user (``core/desk.py``), else the desk menu."""
    home = home_for(request.user)
    if home is not None:
        return home(request)
    return render(request, "core/desk_home.html", {"entries": desk_entries(request.user)})


API_CODES = {400: "invalid", 403: "permission_denied", 404: "not_found", 500: "error"}


def is_api(request):
    """A request for the REST API (also under an authority's /a/<slug>/ prefix)."""
    return "/api/" in request.path


def _error(request, status, title, message):
    if is_api(request):
        # the API answers in JSON everywhere, also where Django itself refuses (no route, bad request)
        return JsonResponse({"detail": str(message), "code": API_CODES[status]}, status=status)
    return render(request, "core/error.html", {"title": title, "message": message}, status=status)


def bad_request(request, exception=None):
    return _error(request, 400, _("Bad request"), _("The request could not be understood. Please check your input."))


def permission_denied(request, exception=None):
    return _error(request, 403, _("Not allowed"), _("You are not allowed to do this."))


def page_not_found(request, exception=None):
    return _error(request, 404, _("Page not found"), _("This page does not exist or is no longer available."))


def server_error(request):
    if is_api(request):
        return JsonResponse({"detail": _("A server error occurred."), "code": "error"}, status=500)
    return render(request, "core/error_500.html", status=500)
