"""Chooses the current authority for every request: by URL prefix ``/a/<slug>/`` or by host name.

With a prefix, the prefix is moved into the script prefix, so that every ``reverse()``
in that request produces URLs of the same authority.
"""

import re

from django.conf import settings
from django.http import HttpResponseNotFound
from django.urls import get_script_prefix, set_script_prefix

from .selectors import authority_for_host, authority_for_slug, default_authority

PREFIX = re.compile(r"^/a/(?P<slug>[a-z0-9][a-z0-9-]{1,48})(?P<rest>/.*)?$")


class AuthorityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.authority = None
        previous_prefix = get_script_prefix()
        path = request.path_info
        match = PREFIX.match(path)
        if match:
            authority = authority_for_slug(match["slug"])
            if authority is None:
                return HttpResponseNotFound("Unknown authority / Unbekannte Behörde")
            request.path_info = match["rest"] or "/"
            set_script_prefix(f"{get_script_prefix().rstrip('/')}/a/{authority.slug}/")
            request.authority = authority
            request.authority_prefix = f"/a/{authority.slug}"
        elif not path.startswith("/static/"):
            request.authority = authority_for_host(request.get_host().split(":")[0]) or default_authority(
                settings.DEFAULT_AUTHORITY
            )
            request.authority_prefix = ""
        try:
            return self.get_response(request)
        finally:
            # Restore for servers that do not reset it per request (the test client, some ASGI servers).
            set_script_prefix(previous_prefix)
