"""A refused request is one line in the log, not a traceback (issue 10, item 12); a server error keeps
its traceback."""

import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from willkommen.core.logfilters import ClientErrorsOneLine
from willkommen.core.testing import make_staff, verified_login


def formatted(records):
    formatter = logging.Formatter("%(levelname)s %(name)s %(message)s")
    return [formatter.format(record) for record in records]


def test_a_403_is_logged_as_one_line(client, authority, caplog):
    verified_login(client, make_staff(authority, "hanna", role="accommodation"))
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/desk/cases/").status_code == 403
    lines = formatted([r for r in caplog.records if r.name == "django.request"])
    assert lines == ["WARNING django.request Forbidden (Permission denied): /desk/cases/"]


def test_a_404_is_logged_as_one_line(client, authority, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/desk/clients/987654/").status_code == 302  # anonymous: to the login, no log line
        client.get("/no-such-page/")
    lines = formatted([r for r in caplog.records if r.name == "django.request"])
    assert lines == ["WARNING django.request Not Found: /no-such-page/"]


def test_a_server_error_keeps_its_traceback():
    logger = logging.getLogger("django.request")
    try:
        raise RuntimeError("boom")
    except RuntimeError as error:
        record = logger.makeRecord(
            "django.request", logging.ERROR, __file__, 1, "Internal Server Error: /x/", (), (type(error), error, None)
        )
    record.status_code = 500
    assert ClientErrorsOneLine().filter(record) and record.exc_info is not None
    assert "RuntimeError: boom" in formatted([record])[0]


@pytest.mark.parametrize("status", [400, 403, 404, 405])
def test_the_filter_drops_the_traceback_of_every_4xx(status):
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "x", (), (PermissionDenied, None, None))
    record.status_code = status
    record.request = RequestFactory().get("/")
    assert ClientErrorsOneLine().filter(record) and record.exc_info is None
