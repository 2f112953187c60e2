"""The classes and functions that ``settings.REST_FRAMEWORK`` names (parser, pagination, exception
handler).

This module must never import ``rest_framework.views`` (nor anything that imports it) at its top:
the class body of DRF's ``APIView`` reads ``DEFAULT_PARSER_CLASSES`` and so imports this module. When
DRF's pagination check happened to run first among Django's system checks (their order is a set's
order), importing this module imported ``rest_framework.views``, whose ``APIView`` asked for
``ObjectJSONParser`` of this half-imported module: ``manage.py`` crashed on start-up on some machines.
``core/tests/test_startup.py`` imports every class named in the settings, and runs every system check,
each first in a fresh process.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import JSONParser
from rest_framework.throttling import AnonRateThrottle

from .ratelimit import client_address


def exception_handler(exc, context):
    """DRF's handler; every error body carries a ``detail`` and a machine-readable ``code`` (the
    schema promises both), never a traceback. Field errors come as ``errors`` beside them, in the
    shape the rooms' own refusals already use: ``{"detail": …, "code": "invalid", "errors": {field: […]}}``."""
    from rest_framework.exceptions import ValidationError
    from rest_framework.views import exception_handler as drf_exception_handler  # see the module docstring

    response = drf_exception_handler(exc, context)
    if response is None:
        return response
    if isinstance(exc, ValidationError) and not (isinstance(response.data, dict) and "detail" in response.data):
        errors = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        response.data = {"detail": str(_("Please check your entries.")), "code": "invalid", "errors": errors}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data.setdefault("code", getattr(response.data["detail"], "code", None) or exc.default_code)
    return response


class ObjectJSONParser(JSONParser):
    """JSON bodies must be objects: every endpoint reads named fields, so a list, a number or null
    is refused as a whole with a 400 instead of reaching the view (``[null, null]`` made one 500)."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if not isinstance(data, dict):
            raise ParseError(_("The request body must be a JSON object."))
        return data


class Pagination(LimitOffsetPagination):
    """LimitOffset with bounds: ``limit`` at most 200, ``offset`` at most a billion. Unbounded numbers
    overflowed the database's integers (a 500 on SQLite, found by schemathesis)."""

    default_limit = 50
    max_limit = 200
    max_offset = 1_000_000_000

    def get_offset(self, request):
        return min(super().get_offset(request), self.max_offset)


class AddressRateThrottle(AnonRateThrottle):
    """DRF's anonymous throttle counted by :func:`willkommen.core.ratelimit.client_address`: the address the
    trusted proxies (``PROXY_ADDRESSES``) saw, never an X-Forwarded-For header a client wrote itself (DRF's
    own ``get_ident`` trusts that header when ``NUM_PROXIES`` is unset, so one client could count as many)."""

    def get_ident(self, request):
        return client_address(request)
