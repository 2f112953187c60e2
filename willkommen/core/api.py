from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """DRF's handler; every error body carries a ``detail`` or field errors, never a traceback."""
    return drf_exception_handler(exc, context)
