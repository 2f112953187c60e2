"""Logging filters named in ``settings.LOGGING``."""

import logging


class ClientErrorsOneLine(logging.Filter):
    """Django logs a refused request (403 from ``PermissionDenied``, 400 from ``SuspiciousOperation``,
    404) as a warning with the exception's whole traceback: a probe of the desk wrote hundreds of
    tracebacks for ordinary refusals. A 4xx is the system working as meant: one line (method, path,
    status), no traceback. Server errors (5xx) keep theirs."""

    def filter(self, record):
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
