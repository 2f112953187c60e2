from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


def _needs_second_factor(user):
    return not (hasattr(user, "is_verified") and user.is_verified())


def desk_view(capability="desk"):
    """Staff pages: signed in at this authority, second factor verified, and holding the capability."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect(f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}")
            if _needs_second_factor(user):
                return redirect(f"{reverse('accounts:verify')}?{urlencode({'next': request.get_full_path()})}")
            if not user.can(capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.desk_capability = capability
        return wrapped

    return decorator
