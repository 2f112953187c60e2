from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from willkommen.accounts.decorators import desk_view

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
        settings.LANGUAGE_COOKIE_NAME, code, max_age=365 * 24 * 3600, samesite="Lax", secure=settings.SECURE_COOKIES
    )
    return response


def privacy(request):
    return render(request, "core/privacy.html")


@desk_view()
def desk_home(request):
    if request.user.can("cases.work"):
        from willkommen.cases.views import render_queue

        return render_queue(request)
    return render(request, "core/desk_home.html", {"entries": desk_entries(request.user)})


def _error(request, status, title, message):
    return render(request, "core/error.html", {"title": title, "message": message}, status=status)


def bad_request(request, exception=None):
    return _error(request, 400, _("Bad request"), _("The request could not be understood. Please check your input."))


def permission_denied(request, exception=None):
    return _error(request, 403, _("Not allowed"), _("You are not allowed to do this."))


def page_not_found(request, exception=None):
    return _error(request, 404, _("Page not found"), _("This page does not exist or is no longer available."))


def server_error(request):
    return render(request, "core/error_500.html", status=500)
