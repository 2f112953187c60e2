"""Commands on cases. Other rooms open cases only through :func:`open_case`."""

from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Case, CaseNumberCounter, CaseSource


def next_case_number(authority, year):
    """Advance the authority's counter for ``year`` under a row lock; call inside a transaction."""
    CaseNumberCounter.objects.get_or_create(authority=authority, year=year)
    counter = CaseNumberCounter.objects.select_for_update().get(authority=authority, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"ABH-{year}-{counter.last:06d}"


def open_case(
    authority,
    *,
    person,
    anliegen,
    source=CaseSource.DESK,
    received_at=None,
    answers=None,
    team=None,
    idempotency_key="",
):
    """Create a case with a gap-free number and a fresh access code.

    Returns ``(case, access_code)``; the code is shown once and stored only as a hash.
    With an ``idempotency_key`` already used at this authority the existing case is
    returned with ``access_code=None`` (the caller shows the code it gave out before).
    """
    if idempotency_key:
        existing = Case.objects.filter(authority=authority, idempotency_key=idempotency_key).first()
        if existing:
            return existing, None
    received_at = received_at or timezone.now()
    access_code = Case.new_access_code()
    try:
        with transaction.atomic():
            number = next_case_number(authority, timezone.localtime(received_at).year)
            case = Case.objects.create(
                authority=authority,
                number=number,
                person=person,
                anliegen=anliegen,
                source=source,
                received_at=received_at,
                answers=answers or {},
                team=team,
                access_code_hash=make_password(access_code),
                idempotency_key=idempotency_key,
            )
    except IntegrityError:
        if idempotency_key:
            existing = Case.objects.filter(authority=authority, idempotency_key=idempotency_key).first()
            if existing:
                return existing, None
        raise
    return case, access_code


def check_access_code(case, code):
    return bool(code) and check_password(code.strip().upper(), case.access_code_hash)
