"""Requests to other authorities: sending, answering, reminding – and the case's wait that follows them.

The case moves only through the cases room's one command (``cases.services.take``): the first open
request on a case takes "ask_other_authority" (received / in review → waiting for another authority),
the answer to the last open request takes "other_authority_answered" (→ in review). Whether the
processing clock stops is decided per recipient type when the request is sent (``recipients.py``) and
kept on the request; the cases room asks for those pauses through its clock hook
(``cases.clock.register_pauses``, registered in ``apps.py``), so its deadlines count them like the
requests for documents. Messages leave after commit through a connector (``connectors.py``, ``tasks.py``).
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from willkommen.cases import services as cases

from . import connectors
from .errors import RequestError
from .models import AuthorityRequest, RecipientType, RequestStatus
from .recipients import settings_for

SENDABLE = {"received", "in_review", "waiting_other_authority"}
MAX_TEXT = 5000


def today():
    return timezone.localdate()


def _require_worker(actor, authority_id):
    if actor is None or actor.authority_id != authority_id or not actor.can("cases.work"):
        raise PermissionDenied


def _text(value, message):
    value = (value or "").strip()
    if not value:
        raise RequestError(message)
    if len(value) > MAX_TEXT:
        raise RequestError(_("The text is too long (at most 5,000 characters)."))
    return value


def _checked(case, fields):
    if fields["recipient_type"] not in RecipientType.values:
        raise RequestError(_("Choose the kind of authority."))
    target = fields.get("to_authority")
    if target is not None:
        if target.pk == case.authority_id:
            raise RequestError(_("Choose another authority than your own."))
        fields["connector"] = connectors.PlatformConnector.name
        fields["recipient_name"] = fields.get("recipient_name") or target.name
    connector = connectors.get(fields.get("connector") or "")
    if target is None and not connector.offered:
        raise RequestError(_("Choose how the request is sent."))
    fields["recipient_name"] = (fields.get("recipient_name") or "").strip()[:200]
    if not fields["recipient_name"]:
        raise RequestError(_("Enter the recipient."))
    fields["question"] = _text(fields.get("question"), _("Write the question."))
    connector.check(fields)
    return connector


def send_request(
    case,
    actor,
    *,
    recipient_type,
    question,
    recipient_name="",
    due_on=None,
    connector="",
    recipient_email="",
    recipient_address="",
    to_authority=None,
):
    """Send a request about ``case`` to another authority. The case waits for it (the first open request
    takes "ask_other_authority"); the clock stops when the type says so. Returns the request.

    RequestError (a message for the user) when something is missing or the case is not in review;
    nothing is written then. The connector sends after commit."""
    _require_worker(actor, case.authority_id)
    fields = {
        "recipient_type": recipient_type,
        "question": question,
        "recipient_name": recipient_name,
        "connector": connector,
        "recipient_email": (recipient_email or "").strip(),
        "recipient_address": (recipient_address or "").strip()[:MAX_TEXT],
        "to_authority": to_authority,
    }
    connector = _checked(case, fields)
    type_settings = settings_for(case.authority, recipient_type)
    sent_on = today()
    due_on = due_on or sent_on + timedelta(days=type_settings.due_days)
    if due_on <= sent_on:
        raise RequestError(_("The answer date must lie in the future."))
    with transaction.atomic():
        case.refresh_from_db(fields=["status"])
        if case.status not in SENDABLE:
            raise RequestError(
                _("A request can be sent only while the case is received or in review (now: “%(status)s”).")
                % {"status": case.get_status_display()}
            )
        request = _create(case, actor, fields, connector, type_settings, sent_on, due_on)
        _case_waits(case, actor, request)
        transaction.on_commit(lambda pk=request.pk: _enqueue("dispatch_request", pk))
    case.refresh_from_db()
    return request


def _create(case, actor, fields, connector, type_settings, sent_on, due_on):
    """The request row, with its reference "<case number>-R<id>"."""
    request = AuthorityRequest.objects.create(
        authority_id=case.authority_id,
        case=case,
        recipient_type=fields["recipient_type"],
        recipient_name=fields["recipient_name"],
        recipient_email=fields["recipient_email"],
        recipient_address=fields["recipient_address"],
        to_authority=fields["to_authority"],
        connector=connector.name,
        question=fields["question"],
        stops_clock=type_settings.stops_clock,
        sent_on=sent_on,
        due_on=due_on,
        sent_at=timezone.now(),
        sent_by=actor,
    )
    request.reference = f"{case.number}-R{request.pk}"
    request.save(update_fields=["reference"])
    return request


def _case_waits(case, actor, request):
    """The case waits for the request: the first one takes "ask_other_authority", a further one is a note
    (and the deadlines are counted again)."""
    note = _("Request %(reference)s to %(recipient)s (%(type)s), answer due %(due)s.") % {
        "reference": request.reference,
        "recipient": request.recipient_name,
        "type": request.get_recipient_type_display(),
        "due": request.due_on.isoformat(),
    }
    try:
        if case.status == "waiting_other_authority":
            cases.add_note(case, actor, note)
            cases.set_deadlines(case)
        else:
            cases.take(case, "ask_other_authority", actor, note=note)
    except cases.CaseError as exc:
        raise RequestError(exc.message) from exc


def _enqueue(name, pk):
    from . import tasks

    getattr(tasks, name).enqueue(pk)


def may_answer(user, request):
    """The sending side (cases.work at the request's authority) records an answer that came by mail or
    letter; the receiving authority on the platform answers in its desk."""
    if user is None or not user.can("cases.work"):
        return False
    return user.authority_id in (request.authority_id, request.to_authority_id)


def record_answer(request, actor, *, answer, files=()):
    """The answer to ``request``, with its documents into the person's e-file (at the sending authority,
    marked as handed over by another authority). When it was the case's last open request, the case
    goes back to review ("other_authority_answered") and the clock runs again."""
    if not may_answer(actor, request):
        raise PermissionDenied
    answer = _text(answer, _("Write the answer."))
    from willkommen.efile import services as efile

    with transaction.atomic():
        locked = AuthorityRequest.objects.select_for_update().select_related("case", "authority").get(pk=request.pk)
        if locked.status != RequestStatus.OPEN:
            raise RequestError(_("This request has already been answered."))
        own_side = actor.authority_id == locked.authority_id
        label = f"{actor.display_name} ({actor.authority.name})"
        case = locked.case
        try:
            documents = [
                efile.add_document(
                    locked.authority,
                    case.person,
                    upload,
                    document_type="authority_answer",
                    source="transfer",
                    case=case,
                    uploaded_by=actor if own_side else None,
                    title=(_("Answer to %(reference)s") % {"reference": locked.reference})[:200],
                )
                for upload in files
            ]
        except efile.UploadRejected as exc:
            raise RequestError(exc.message) from exc
        locked.status = RequestStatus.ANSWERED
        locked.answer = answer
        locked.answered_at = timezone.now()
        locked.answered_by = actor
        locked.answered_by_label = label[:300]
        locked.save(update_fields=["status", "answer", "answered_at", "answered_by", "answered_by_label"])
        if documents:
            locked.documents.add(*documents)
        note = _("Answer to request %(reference)s from %(who)s.") % {"reference": locked.reference, "who": label}
        still_open = AuthorityRequest.objects.filter(
            authority_id=locked.authority_id, case=case, status=RequestStatus.OPEN
        ).exists()
        case.refresh_from_db(fields=["status"])
        # Someone of the receiving authority cannot act on our case: the system takes the transition for them.
        case_actor = actor if own_side else None
        if not still_open and case.status == "waiting_other_authority":
            cases.take(case, "other_authority_answered", case_actor, note=note)
        else:
            cases.add_note(case, case_actor, note)
            cases.set_deadlines(case)
    return locked


def pauses_of(case):
    """The clock hook of the cases room: the requests of ``case`` whose type stops the clock."""
    rows = AuthorityRequest.objects.filter(authority_id=case.authority_id, case_id=case.pk, stops_clock=True)
    return [
        (r.sent_on, timezone.localtime(r.answered_at).date() if r.answered_at else None)
        for r in rows.only("sent_on", "answered_at")
    ]
