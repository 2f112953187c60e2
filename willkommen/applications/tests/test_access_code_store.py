"""Issue 23 item 2: the access code is stored only as a keyed hash (HMAC-SHA256 with a key derived from
SECRET_KEY, rotatable), sign-in refuses wrong and expired codes, and codes of cases opened before the
keyed store (Django password hashes) still work and are re-stored on their first use. Sign-in links:
accounts/tests/test_magic_link.py (opaque, keyed hash only, single use, expiry)."""

import hashlib
import hmac
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from willkommen.applications import services
from willkommen.cases.models import Case, TimelineEntry, TimelineKind
from willkommen.cases.workflow import Status

STATUS = "/a/alpha/status/"


@pytest.fixture
def submitted(draft):
    result = services.submit(draft, idempotency_key="key-code")
    return result.case, result.access_code


def _expected_hash(secret, case, code):
    # django.utils.crypto.salted_hmac, written out: key = SHA-256(salt + secret), HMAC-SHA256 over the message.
    key = hashlib.sha256(("willkommen.cases.access-code" + secret).encode()).digest()
    message = f"{case.authority_id}:{case.number}:{code}".encode()
    return "hmac$" + hmac.new(key, message, hashlib.sha256).hexdigest()


def _sign_in(client, case, code):
    return client.post(STATUS, {"number": case.number, "code": code})


def test_access_code_is_stored_only_as_a_keyed_hash(submitted, settings):
    case, code = submitted
    stored = Case.objects.get(pk=case.pk).access_code_hash
    assert stored == _expected_hash(settings.SECRET_KEY, case, code)
    assert code not in stored and not stored.startswith(("pbkdf2", "argon2", "bcrypt", "md5"))
    assert stored != _expected_hash("another-secret-key", case, code)  # nothing without the key


def test_sign_in_with_the_code_and_refusals(client, submitted):
    case, code = submitted
    assert _sign_in(client, case, "WRONGCODE2").status_code == 400
    assert _sign_in(client, case, "").status_code == 400
    assert "client_identity" not in client.session
    signed_in = _sign_in(client, case, code.lower())  # typed in lower case
    assert signed_in.status_code == 302 and client.session["client_identity"]["case_id"] == case.pk


def _close(case, days_ago):
    Case.objects.filter(pk=case.pk).update(status=Status.CLOSED)
    TimelineEntry.objects.create(
        authority=case.authority,
        case=case,
        at=timezone.now() - timedelta(days=days_ago),
        kind=TimelineKind.TRANSITION,
        from_status=Status.DECIDED,
        to_status=Status.CLOSED,
    )


def test_code_expires_some_time_after_the_case_is_closed(client, submitted, settings):
    case, code = submitted
    settings.ACCESS_CODE_DAYS_AFTER_CLOSE = 90
    _close(case, days_ago=30)
    assert _sign_in(client, case, code).status_code == 302
    client.post("/a/alpha/signout/")
    TimelineEntry.objects.filter(case=case, to_status=Status.CLOSED).update(at=timezone.now() - timedelta(days=91))
    assert _sign_in(client, case, code).status_code == 400
    assert "client_identity" not in client.session


def test_code_from_before_the_keyed_store_works_once_slowly_then_as_keyed_hash(client, submitted):
    case, code = submitted
    Case.objects.filter(pk=case.pk).update(access_code_hash=make_password(code))
    assert _sign_in(client, case, "WRONGCODE2").status_code == 400
    assert Case.objects.get(pk=case.pk).access_code_hash.startswith("md5$")  # tests use the MD5 hasher
    assert _sign_in(client, case, code).status_code == 302
    upgraded = Case.objects.get(pk=case.pk).access_code_hash
    assert upgraded.startswith("hmac$") and code not in upgraded
    client.post("/a/alpha/signout/")
    assert _sign_in(client, case, code).status_code == 302


def test_key_rotation_keeps_codes_working_and_restores_them_under_the_new_key(client, submitted, settings):
    case, code = submitted
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "rotated-" + "k" * 50
    assert _sign_in(client, case, code).status_code == 400  # the old key is gone: nothing matches
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert _sign_in(client, case, code).status_code == 302
    assert Case.objects.get(pk=case.pk).access_code_hash == _expected_hash(settings.SECRET_KEY, case, code)


def test_the_sealed_receipt_code_survives_a_key_rotation(draft, settings):
    result = services.submit(draft, idempotency_key="key-rotation")
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "rotated-" + "k" * 50
    settings.SECRET_KEY_FALLBACKS = [old_key]
    draft.refresh_from_db()
    assert services.unseal_code(draft) == result.access_code
    settings.SECRET_KEY_FALLBACKS = []
    assert services.unseal_code(draft) is None  # never garbage, never an exception


def test_sealed_code_is_dropped_some_days_after_the_receipt(
    client, draft, settings, django_capture_on_commit_callbacks
):
    from willkommen.applications import tasks
    from willkommen.applications.models import Application

    result = services.submit(draft, idempotency_key="key-drop")
    settings.APPLICATION_SEALED_CODE_DAYS = 7
    Application.objects.filter(pk=draft.pk).update(receipt_sent_at=timezone.now() - timedelta(days=6))
    assert services.drop_sealed_codes() == 0
    Application.objects.filter(pk=draft.pk).update(receipt_sent_at=timezone.now() - timedelta(days=8))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.schedule_draft_cleanup.call_local()  # the daily job
    draft.refresh_from_db()
    assert draft.sealed_code == "" and services.unseal_code(draft) is None
    # From now on the code exists only as the case's keyed hash – and still signs in.
    assert _sign_in(client, result.case, result.access_code).status_code == 302
