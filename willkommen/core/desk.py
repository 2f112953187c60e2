"""The desk (the staff's workspace at /desk/): the guard of every staff page, and the hook for its home.

``desk_view(capability)`` guards a staff page: signed in at this authority, second factor verified, and
holding the capability (``accounts/roles.py``; the guard only asks ``user.can``). Without it a page
answers with a redirect to the login (or the second factor), or 403.

The desk home (``/desk/``) shows the desk menu. A higher room that has a better first page for some
users registers it in its ``AppConfig.ready()`` with :func:`register_home` (the cases room: the work
queue for those who work cases); the first registration whose capability the user holds wins.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


def _needs_second_factor(user):
    return not (hasattr(user, "is_verified") and user.is_verified())


def desk_view(capability="desk"):
    """Staff pages: signed in at this authority, second factor verified, and holding the capability
    (``HOME``: the desk's entry page, open to whoever holds ``desk`` or has a registered home)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect(f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}")
            if _needs_second_factor(user):
                return redirect(f"{reverse('accounts:verify')}?{urlencode({'next': request.get_full_path()})}")
            allowed = user.can("desk") or home_for(user) is not None if capability is HOME else user.can(capability)
            if not allowed:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        # the desk's entry page depends on the registered homes: tested by the rooms that register one
        wrapped.desk_capability = None if capability is HOME else capability
        return wrapped

    return decorator


_homes = []
HOME = object()  # ``desk_view(HOME)``: the desk's entry page (see ``desk_view``)


def register_home(capability, view):
    """Hook: ``view(request)`` renders the desk home for users holding ``capability``."""
    if (capability, view) not in _homes:
        _homes.append((capability, view))


def home_for(user):
    """The registered home view for ``user``, or None (then the desk menu is the home)."""
    return next((view for capability, view in _homes if user.can(capability)), None)
