from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import JSONParser
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """DRF's handler; every error body carries a ``detail`` or field errors, never a traceback."""
    return drf_exception_handler(exc, context)


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
