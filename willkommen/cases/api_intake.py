"""Opening a case through the API (``POST /api/v1/cases/``) for an integration account or a staff session:
the desk intake (``intake.open_at_desk``: receipt, declared title, § 81 statement) with the person found by
id or created with the register's duplicate check, and the request's ``Idempotency-Key`` header as the
one-time key – a retried request returns the case the first one opened and creates nothing. The key is
stored with a SHA-256 of the request's (validated) body: the same key with another body is refused
(:class:`KeyReused`, 422) and opens nothing."""

import hashlib
import json
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import intake
from .models import Case

KEY_PATTERN = re.compile(r"^[A-Za-z0-9._:-]{8,60}$")


class PossibleDuplicates(intake.IntakeRefused):
    """The new person is probably already in the register: ``ids`` names the candidates."""

    def __init__(self, ids):
        super().__init__(_("This person may already exist. Give the person's id, or allow a duplicate."))
        self.ids = ids


class KeyReused(intake.IntakeRefused):
    """The Idempotency-Key was used before for a request with another body."""

    def __init__(self):
        super().__init__(
            _(
                "This Idempotency-Key was already used for a different request. Send the same request again, "
                "or use a new key for a new request."
            )
        )


def body_hash(data):
    """SHA-256 of the validated request body in a canonical form (keys sorted, dates as ISO text)."""
    canonical = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _same_request(case, digest):
    if case.idempotency_body_hash and case.idempotency_body_hash != digest:
        raise KeyReused
    return case


def stored_key(actor, key):
    """The one-time key as stored on the case (per account: two systems may choose the same key)."""
    if not key or not KEY_PATTERN.match(key):
        raise intake.IntakeRefused(_("The Idempotency-Key header is required: 8 to 60 letters, digits or . _ : -"))
    return f"api:{actor.pk}:{key}"


def opened_before(authority, actor, key):
    """The case a request with the same key opened before, or None."""
    return Case.objects.filter(authority=authority, idempotency_key=intake.desk_key(stored_key(actor, key))).first()


def open_by_api(authority, actor, data, key):
    """Open one case from the API's validated ``data`` (``OpenCaseRequestSerializer``). Returns
    ``(case, created)``; raises :class:`intake.IntakeRefused` (400) or :class:`PossibleDuplicates` (409)."""
    from willkommen.catalogue.selectors import anliegen_list

    digest = body_hash(data)
    before = opened_before(authority, actor, key)
    if before is not None:
        return _same_request(before, digest), False
    anliegen = anliegen_list(authority).filter(slug=data["anliegen"]).first()
    if anliegen is None:
        raise intake.IntakeRefused(_("This matter (Anliegen) does not exist."))
    with transaction.atomic():
        person = _person(authority, actor, data)
        case, code = intake.open_at_desk(
            authority,
            actor,
            person=person,
            anliegen=anliegen,
            source=data["source"],
            received_on=data["received_on"],
            title_kind=data.get("title_kind", ""),
            title_valid_to=data.get("title_valid_to"),
            answers=_answers(anliegen, data.get("answers") or {}),
            idempotency_key=stored_key(actor, key),
        )
        if code is None:  # a parallel retry opened it: keep no second person; the same request only
            if "new_person" in data:
                transaction.set_rollback(True)
            return _same_request(case, digest), False
        Case.objects.filter(pk=case.pk).update(idempotency_body_hash=digest)
    return case, True


def _person(authority, actor, data):
    from willkommen.clients.services import create_person, find_duplicates
    from willkommen.clients.visibility import Resource, visible_persons

    if "person" in data:
        person = visible_persons(actor, authority, Resource.PERSON).filter(pk=data["person"]).first()
        if person is None:
            raise intake.IntakeRefused(_("This person does not exist."))
        return person
    try:
        person = create_person(authority, **data["new_person"])
    except ValidationError as exc:
        raise intake.IntakeRefused(" ".join(exc.messages)) from exc
    duplicates = find_duplicates(person)
    if duplicates and not data.get("allow_duplicate"):
        raise PossibleDuplicates(sorted(d.pk for d in duplicates))  # the atomic block drops the new person
    return person


def _answers(anliegen, raw):
    from willkommen.catalogue.checklist import InvalidAnswers, parse_answers

    try:
        return parse_answers(anliegen.questions.all(), raw)
    except InvalidAnswers as exc:
        raise intake.IntakeRefused(" ".join(str(e) for e in exc.errors)) from exc
