"""The processing clock on the case: the denormalised deadlines (decision due, interim answer, next
status message) and the requests for documents that stop the clock while the client owes them.

The arithmetic is pure and lives in ``deadlines.py``; this module reads the case and stores results.
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from . import deadlines, workflow
from .errors import CaseError
from .models import DocumentRequest


def today():
    return timezone.localdate()


def holidays_for(authority, start, end):
    return deadlines.holiday_set(authority, start, end)


_pause_sources = []


def register_pauses(source):
    """Hook: ``source(case)`` returns more pauses of the clock as ``(start, end or None)`` dates – e.g. the
    partners room's requests to other authorities whose type stops the clock (docs/partners.md)."""
    if source not in _pause_sources:
        _pause_sources.append(source)


def pauses_of(case):
    if case.pk is None:
        return []
    pauses = [
        deadlines.Pause(
            timezone.localtime(r.requested_at).date(),
            timezone.localtime(r.fulfilled_at).date() if r.fulfilled_at else None,
        )
        for r in DocumentRequest.objects.filter(authority_id=case.authority_id, case=case)
    ]
    for source in _pause_sources:
        pauses.extend(deadlines.Pause(start, end) for start, end in source(case))
    return pauses


def set_deadlines(case, *, on=None, save=True):
    """Recompute the denormalised deadlines of ``case`` (decision due, interim answer, next status message)."""
    on = on or today()
    received = timezone.localtime(case.received_at).date()
    anliegen = case.anliegen
    pauses = pauses_of(case)
    holidays = holidays_for(case.authority, received, max(on, received) + timedelta(days=400))
    override = anliegen.target_days if anliegen.target_days else None
    case.due_on = deadlines.due_date(
        received,
        anliegen.complexity,
        pauses=pauses,
        holidays=holidays,
        today=on,
        override_days=override,
        override_months=getattr(anliegen, "target_months", None),
    )
    case.paused_days = deadlines.paused_days(pauses, on)
    open_pause = [p for p in pauses if p.end is None]
    case.clock_stopped_on = open_pause[0].start if open_pause else None
    if case.last_client_message_at is None:
        case.interim_due_on = deadlines.interim_answer_due(
            received, anliegen.complexity, holidays=holidays, days=anliegen.interim_answer_days
        )
    else:
        case.interim_due_on = None
    last = timezone.localtime(case.last_client_message_at).date() if case.last_client_message_at else None
    case.status_message_due_on = deadlines.next_status_message_due(received, last)
    if case.status not in workflow.OPEN:
        case.interim_due_on = None
        case.status_message_due_on = None
    if save:
        case.save(
            update_fields=[
                "due_on",
                "paused_days",
                "clock_stopped_on",
                "interim_due_on",
                "status_message_due_on",
                "updated_at",
            ]
        )
    return case


def checked_request(items, note, deadline):
    """The items (cut to 60 characters) and the deadline (default: in 14 days) of a request for
    documents; CaseError when nothing is asked for or the deadline has passed."""
    items = [str(i)[:60] for i in items or () if str(i).strip()]
    if not items and not (note or "").strip():
        raise CaseError(_("Tick at least one document or write what is missing."))
    deadline = deadline or today() + timedelta(days=14)
    if deadline < today():
        raise CaseError(_("The deadline cannot be in the past."))
    return items, deadline


def stop(case, actor, *, items, note, deadline):
    """The client owes documents: an open request stops the clock until it is fulfilled."""
    return DocumentRequest.objects.create(
        authority_id=case.authority_id,
        case=case,
        items=items,
        note=note or "",
        deadline=deadline,
        requested_at=timezone.now(),
        requested_by=actor,
    )


def restart(case):
    """The documents arrived: every open request is fulfilled, the clock runs again."""
    return DocumentRequest.objects.filter(authority_id=case.authority_id, case=case, fulfilled_at__isnull=True).update(
        fulfilled_at=timezone.now()
    )
