"""Staff login lockout (issue 10, item 9): failures lock the pair of user name and address, so a
stranger who knows a user name cannot lock the office out; a slower limit per user name (from any
address) stops distributed guessing. Behind a reverse proxy the address is the one the proxy forwards."""

from datetime import timedelta

import pytest
from axes.models import AccessFailureLog
from django.utils import timezone

from willkommen.core.testing import PASSWORD

OFFICE = "192.0.2.10"
ATTACKER = "198.51.100.66"


def login(client, username, password=PASSWORD, address=OFFICE, **extra):
    return client.post(
        "/desk/login/",
        {"username": username, "password": password, "next": "/desk/"},
        REMOTE_ADDR=address,
        **extra,
    )


def signed_in_with_password(response):
    return response.status_code == 302 and "/desk/login/verify/" in response["Location"]


def test_a_stranger_cannot_lock_a_staff_member_out(client, caseworker, settings):
    settings.LOGIN_USER_FAILURE_LIMIT = 30
    for _ in range(settings.AXES_FAILURE_LIMIT + 3):
        login(client, "clara", "guess", address=ATTACKER)
    # The stranger's address is locked, even with the right password ...
    assert login(client, "clara", address=ATTACKER).status_code == 429
    # ... and Clara in the office signs in as always.
    assert signed_in_with_password(login(client, "clara", address=OFFICE))


def test_repeated_failures_from_one_address_lock_that_pair(client, caseworker, settings):
    client.cookies["willkommen_language"] = "en"
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "clara", "wrong password").status_code == 200
    assert login(client, "clara", "wrong password").status_code == 429
    locked = login(client, "clara")
    assert locked.status_code == 429 and "locked" in locked.content.decode().lower()
    assert "_auth_user_id" not in client.session


def test_the_lock_ends_after_the_cool_off(client, caseworker, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "clara", "wrong password")
    assert login(client, "clara").status_code == 429
    from axes.models import AccessAttempt

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    AccessFailureLog.objects.update(attempt_time=timezone.now() - timedelta(minutes=61))
    assert signed_in_with_password(login(client, "clara"))


def test_the_slower_limit_per_user_name_holds_against_many_addresses(client, caseworker, settings):
    settings.LOGIN_USER_FAILURE_LIMIT = 8
    for i in range(7):
        assert login(client, "clara", "guess", address=f"203.0.113.{i + 1}").status_code == 200
    assert signed_in_with_password(login(client, "clara", address=OFFICE))
    client.post("/desk/logout/")
    login(client, "clara", "guess", address="203.0.113.99")  # the 8th failure within the hour
    assert login(client, "clara", address=OFFICE).status_code == 429
    assert "_auth_user_id" not in client.session
    # Other staff are not affected.
    from willkommen.core.testing import make_staff

    make_staff(caseworker.authority, "dora")
    assert signed_in_with_password(login(client, "dora", address=OFFICE))


def test_failures_older_than_the_window_do_not_count(client, caseworker, settings):
    settings.LOGIN_USER_FAILURE_LIMIT = 4
    for i in range(4):
        login(client, "clara", "guess", address=f"203.0.113.{i + 1}")
    assert login(client, "clara", address=OFFICE).status_code == 429
    AccessFailureLog.objects.update(attempt_time=timezone.now() - timedelta(minutes=61))
    assert signed_in_with_password(login(client, "clara", address=OFFICE))


@pytest.mark.parametrize("proxies", [["10.0.0.1"], ["10.0.0.1", "10.0.0.2"]])
def test_behind_reverse_proxies_the_forwarded_address_counts(client, caseworker, settings, proxies):
    settings.PROXY_ADDRESSES = proxies
    settings.LOGIN_USER_FAILURE_LIMIT = 30
    hops = ", 10.0.0.2" * (len(proxies) - 1)
    for i in range(settings.AXES_FAILURE_LIMIT):
        # the attacker writes a new address of his own into the header every time: it is not believed
        login(client, "clara", "guess", address="10.0.0.1", HTTP_X_FORWARDED_FOR=f"10.9.9.{i}, {ATTACKER}{hops}")
    assert login(client, "clara", address="10.0.0.1", HTTP_X_FORWARDED_FOR=f"{ATTACKER}{hops}").status_code == 429
    # the same proxy forwards the office: not locked
    assert signed_in_with_password(login(client, "clara", address="10.0.0.1", HTTP_X_FORWARDED_FOR=f"{OFFICE}{hops}"))


def test_one_address_alone_never_reaches_the_limit_per_user_name(client, caseworker, settings):
    settings.LOGIN_USER_FAILURE_LIMIT = 8
    for _ in range(40):
        login(client, "clara", "guess", address=ATTACKER)
    assert AccessFailureLog.objects.filter(username="clara").count() == settings.AXES_FAILURE_LIMIT
    assert signed_in_with_password(login(client, "clara", address=OFFICE))


def test_login_records_are_purged_with_the_audit_retention(
    client, caseworker, settings, django_capture_on_commit_callbacks
):
    from axes.models import AccessLog

    from willkommen.accounts.tasks import purge_login_records

    login(client, "clara", "guess")
    login(client, "clara")
    assert AccessFailureLog.objects.count() == 1 and AccessLog.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        purge_login_records.enqueue()
    assert AccessFailureLog.objects.count() == 1 and AccessLog.objects.count() == 1
    old = timezone.now() - timedelta(days=settings.AUDIT_RETENTION_DAYS + 1)
    AccessFailureLog.objects.update(attempt_time=old)
    AccessLog.objects.update(attempt_time=old)
    with django_capture_on_commit_callbacks(execute=True):
        purge_login_records.enqueue()
    assert AccessFailureLog.objects.count() == 0 and AccessLog.objects.count() == 0
