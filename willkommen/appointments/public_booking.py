"""``POST /api/v1/appointments/bookings/`` on the lean path: the request is read and checked without a
serializer (:mod:`.intake`), admitted with one round trip to the cache (proof of work accepted once, limits
per address, person and e-mail; :mod:`.protection`), and the place is taken by :func:`.booking.hold` (one
read; for a place that looks free one short transaction, see :mod:`.ledger`). The answers are the same as
the documented ``Bookings`` API view (which declares the schema): 201, 400, 409, 429."""

import json

from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound

from willkommen.catalogue.checklist import InvalidAnswers, parse_answers
from willkommen.catalogue.models import Anliegen
from willkommen.core.ratelimit import client_address

from . import intake, protection
from .booking import BySlug, Terms, count_blocked, hold
from .errors import BookingError
from .identity import email_key, identity_key


def answer(data, status):
    body = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    response = HttpResponse(body.encode(), status=status, content_type="application/json")
    if status in (409, 429):
        # Expected answers (in a rush most requests get a 409): counted in BlockedAttempt and the benchmarks,
        # not written to the log one line each.
        response._has_been_logged = True
    return response


def _when(value):
    """A datetime as DRF writes it: ISO 8601 in the current time zone ("Z" for UTC)."""
    if value is None:
        return None
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def post(request, portal_url, data):
    """The booking POST for ``data`` (the request body as a dict, see :func:`.intake.body`)."""
    authority = request.authority
    if authority is None:
        return answer({"detail": str(NotFound.default_detail)}, 404)
    refused = _admit(request, authority, data)
    if refused is not None:
        return refused
    checked = intake.read(data, authority.offered_languages, translation.get_language())
    if checked.errors:
        return _invalid(authority, checked)
    applicant = checked.applicant
    if checked.raw_answers:
        parsed = _answers(authority, checked)
        if isinstance(parsed, HttpResponse):
            return parsed
        applicant = intake.Applicant(**{**applicant.__dict__, "answers": parsed})
    terms = Terms(proof_of_work=checked.altcha != "", portal_url=portal_url(request))
    try:
        booking, _token = hold(
            authority, slot_id=checked.slot_id, anliegen=BySlug(checked.anliegen), applicant=applicant, terms=terms
        )
    except BookingError as exc:
        return _refusal(authority, checked, exc)
    return answer(
        {
            "reference": booking.reference,
            "status": booking.status,
            "starts_at": _when(booking.starts_at),
            "location": booking.location_id,
            "hold_expires_at": _when(booking.hold_expires_at),
        },
        201,
    )


def _admit(request, authority, data):
    payload = str(data.get("altcha") or "")
    nonce = protection.solved(payload) if payload else None
    if payload and nonce is None:
        count_blocked(authority, "bad_proof_of_work")
        return answer({"detail": _("The proof of work is not valid."), "code": "proof_of_work"}, 400)
    email = str(data.get("email") or "")
    person = identity_key(data.get("family_name"), data.get("given_names"), data.get("date_of_birth"), email)
    refusal = protection.admit(client_address(request), nonce=nonce, person=person, email=email_key(email))
    if refusal == "replayed":
        count_blocked(authority, "bad_proof_of_work")
        return answer({"detail": _("The proof of work is not valid."), "code": "proof_of_work"}, 400)
    if refusal is not None:
        count_blocked(authority, "rate_limit")
        return answer({"detail": _("Too many attempts. Please wait a minute."), "code": "rate_limit"}, 429)
    return None


def _anliegen(authority, slug):
    return Anliegen.objects.filter(authority=authority, slug=slug, active=True).first()


def _unknown_anliegen():
    return answer({"detail": _("Unknown Anliegen."), "code": "invalid", "errors": {"anliegen": ["unknown"]}}, 400)


def _invalid(authority, checked):
    if "anliegen" not in checked.errors and not _anliegen(authority, checked.anliegen):
        return _unknown_anliegen()
    return answer({"detail": _("Please check your entries."), "code": "invalid", "errors": checked.errors}, 400)


def _answers(authority, checked):
    anliegen = _anliegen(authority, checked.anliegen)
    if anliegen is None:
        return _unknown_anliegen()
    try:
        return parse_answers(anliegen.questions.all(), checked.raw_answers)
    except InvalidAnswers as exc:
        return answer(
            {"detail": _("Some answers are not valid."), "code": "invalid", "errors": {"answers": exc.errors}}, 400
        )


def _refusal(authority, checked, exc):
    if exc.errors.get("slot") == "unknown" and not _anliegen(authority, checked.anliegen):
        return _unknown_anliegen()
    body = {"detail": exc.message, "code": exc.code}
    if exc.errors:
        body["errors"] = exc.errors
    return answer(body, exc.status)
