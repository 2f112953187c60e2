"""Commands on cases. Other rooms open cases only through :func:`open_case`.

Every status change goes through :func:`transition`, which reads the one workflow table
(``workflow.py``), checks the capability and the guard, and writes the timeline.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import deadlines, workflow
from .models import (
    Case,
    CaseNumberCounter,
    CaseSource,
    Decision,
    DecisionState,
    DocumentRequest,
    LegalChange,
    Outcome,
    TimelineEntry,
    TimelineKind,
)
from .workflow import Status


class CaseError(Exception):
    """A command that cannot be carried out; the message is shown to the user."""

    def __init__(self, message, errors=None):
        super().__init__(str(message))
        self.message = str(message)
        self.errors = errors or []


def next_case_number(authority, year):
    """Advance the authority's counter for ``year`` under a row lock; call inside a transaction."""
    CaseNumberCounter.objects.get_or_create(authority=authority, year=year)
    counter = CaseNumberCounter.objects.select_for_update().get(authority=authority, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"ABH-{year}-{counter.last:06d}"


# --- routing -----------------------------------------------------------------------------------


def caseworker_by_workload(authority, team):
    """The active member of ``team`` who may work cases and has the fewest open cases (ties: oldest account)."""
    from willkommen.accounts.models import User
    from willkommen.accounts.roles import roles_with

    if team is None:
        return None
    return (
        User.objects.filter(
            authority=authority, is_active=True, memberships__team=team, role__in=roles_with("cases.work")
        )
        .annotate(open_cases=Count("cases", filter=Q(cases__authority=authority, cases__status__in=workflow.OPEN)))
        .order_by("open_cases", "id")
        .first()
    )


def route(authority, person, anliegen, special_task=""):
    from willkommen.tenancy.services import route_to_team

    return route_to_team(
        authority,
        anliegen=anliegen,
        nationalities=person.nationalities or (),
        surname=person.family_name,
        special_task=special_task,
    )


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
    The case goes to ``team`` or the team the routing rules name, and to the team member
    with the fewest open cases; its deadlines are set and the timeline starts.
    """
    if idempotency_key:
        existing = Case.objects.filter(authority=authority, idempotency_key=idempotency_key).first()
        if existing:
            return existing, None
    received_at = received_at or timezone.now()
    access_code = Case.new_access_code()
    try:
        with transaction.atomic():
            if team is None:
                team = route(authority, person, anliegen)
            number = next_case_number(authority, timezone.localtime(received_at).year)
            case = Case(
                authority=authority,
                number=number,
                person=person,
                anliegen=anliegen,
                source=source,
                received_at=received_at,
                answers=answers or {},
                team=team,
                assignee=caseworker_by_workload(authority, team),
                discretionary=bool(getattr(anliegen, "discretionary", False)),
                access_code_hash=make_password(access_code),
                idempotency_key=idempotency_key,
            )
            set_deadlines(case, save=False)
            case.save()
            add_entry(case, TimelineKind.RECEIVED, text=case.get_source_display(), to_status=case.status)
    except IntegrityError:
        if idempotency_key:
            existing = Case.objects.filter(authority=authority, idempotency_key=idempotency_key).first()
            if existing:
                return existing, None
        raise
    return case, access_code


def check_access_code(case, code):
    return bool(code) and check_password(code.strip().upper(), case.access_code_hash)


# --- deadlines ---------------------------------------------------------------------------------


def today():
    return timezone.localdate()


def holidays_for(authority, start, end):
    return deadlines.holiday_set(authority, start, end)


def pauses_of(case):
    if case.pk is None:
        return []
    return [
        deadlines.Pause(
            timezone.localtime(r.requested_at).date(),
            timezone.localtime(r.fulfilled_at).date() if r.fulfilled_at else None,
        )
        for r in DocumentRequest.objects.filter(authority_id=case.authority_id, case=case)
    ]


def set_deadlines(case, *, on=None, save=True):
    """Recompute the denormalised deadlines of ``case`` (decision due, interim answer, next status message)."""
    on = on or today()
    received = timezone.localtime(case.received_at).date()
    anliegen = case.anliegen
    pauses = pauses_of(case)
    holidays = holidays_for(case.authority, received, max(on, received) + timedelta(days=400))
    override = anliegen.target_days if anliegen.target_days else None
    case.due_on = deadlines.due_date(
        received, anliegen.complexity, pauses=pauses, holidays=holidays, today=on, override_days=override
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


# --- timeline ----------------------------------------------------------------------------------


def _actor_label(actor):
    if actor is None:
        return "system"
    return f"{actor.display_name} ({actor.get_role_display()})"


def add_entry(case, kind, *, actor=None, text="", from_status="", to_status="", data=None, at=None):
    return TimelineEntry.objects.create(
        authority_id=case.authority_id,
        case=case,
        at=at or timezone.now(),
        kind=kind,
        actor=actor,
        actor_label=_actor_label(actor),
        from_status=from_status,
        to_status=to_status,
        text=text or "",
        data=data or {},
    )


def add_note(case, actor, text):
    text = (text or "").strip()
    if not text:
        raise CaseError(_("Please write a note."))
    if len(text) > 5000:
        raise CaseError(_("The note is too long (at most 5,000 characters)."))
    _require(actor, "cases.work", case)
    return add_entry(case, TimelineKind.NOTE, actor=actor, text=text)


def record_document(case, document, actor=None):
    """Called when a document for the case arrives (e.g. by the e-file): a line on the timeline."""
    title = getattr(document, "title", "") or getattr(document, "original_name", "") or str(document)
    return add_entry(
        case, TimelineKind.DOCUMENT, actor=actor, text=title, data={"document_id": getattr(document, "pk", None)}
    )


# --- transitions -------------------------------------------------------------------------------


def _require(actor, capability, case):
    if actor is None:
        return
    if actor.authority_id != case.authority_id or not actor.can(capability):
        raise PermissionDenied


def current_decision(case):
    return (
        Decision.objects.filter(authority_id=case.authority_id, case=case)
        .exclude(state=DecisionState.WITHDRAWN)
        .order_by("-drafted_at", "-id")
        .first()
    )


def check_guard(case, transition, actor):
    """Raise CaseError when the transition's guard does not hold."""
    if not transition.guard:
        return
    decision = current_decision(case)
    if transition.guard == "needs_approval":
        if decision is None or not decision.needs_approval:
            raise CaseError(_("This decision does not need approval; finalise it instead."))
    elif transition.guard == "no_approval_needed":
        if decision is None:
            raise CaseError(_("There is no decision draft."))
        if decision.needs_approval:
            raise CaseError(_("This decision needs the approval of a second person."))
    elif transition.guard == "not_drafter":
        if decision is None:
            raise CaseError(_("There is no decision awaiting approval."))
        if actor is not None and decision.drafted_by_id == actor.pk:
            raise CaseError(_("You drafted this decision, so you cannot approve or return it. A second person must."))


def transition(case, name, actor, *, note="", data=None, request=None):
    """Take the transition ``name``: capability, source state and guard checked; timeline written.

    ``case`` is re-read under a row lock so two people cannot move it at the same time."""
    t = workflow.get(name)
    if t is None:
        raise CaseError(_("Unknown action."))
    _require(actor, t.capability, case)
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk, authority_id=case.authority_id)
        if locked.status not in t.sources:
            raise CaseError(
                _("This is not possible while the case is “%(status)s”.") % {"status": locked.get_status_display()}
            )
        check_guard(locked, t, actor)
        old = locked.status
        locked.status = t.target
        fields = ["status", "updated_at"]
        if t.target == Status.DECIDED:
            locked.decided_at = timezone.now()
            fields.append("decided_at")
        locked.save(update_fields=fields)
        add_entry(
            locked, TimelineKind.TRANSITION, actor=actor, text=note, from_status=old, to_status=t.target, data=data
        )
        set_deadlines(locked)
    case.refresh_from_db()
    return case


def available_transitions(case, user):
    """Transitions the user could take now (capability and source state), for buttons and the API."""
    return [t for t in workflow.transitions_from(case.status) if user.can(t.capability)]


# --- assignment --------------------------------------------------------------------------------


def assign(case, *, actor, assignee=None, team=None):
    """A team lead assigns a case to a caseworker (and team) of the same authority."""
    _require(actor, "cases.assign", case)
    if assignee is not None and assignee.authority_id != case.authority_id:
        raise CaseError(_("This person does not work at this authority."))
    if team is not None and team.authority_id != case.authority_id:
        raise CaseError(_("Unknown team."))
    old = case.assignee
    if team is not None:
        case.team = team
    case.assignee = assignee
    case.save(update_fields=["assignee", "team", "updated_at"])
    add_entry(
        case,
        TimelineKind.ASSIGNMENT,
        actor=actor,
        text=f"{old.display_name if old else '–'} → {assignee.display_name if assignee else '–'}",
        data={"assignee": assignee.pk if assignee else None},
    )
    return case


def bulk_reassign(queryset, *, actor, assignee):
    """Reassign many cases at once (the queryset must already be limited to what the actor may see)."""
    count = 0
    with transaction.atomic():
        for case in queryset.select_related("assignee").select_for_update(of=("self",)):
            assign(case, actor=actor, assignee=assignee)
            count += 1
    return count


# --- requests for documents --------------------------------------------------------------------


def request_documents(case, actor, *, items, note="", deadline=None, request=None):
    """Ask the client for missing or insufficient documents: the case waits, the clock stops, the
    client gets the request in their language."""
    _require(actor, "cases.work", case)
    items = [str(i)[:60] for i in items if str(i).strip()]
    if not items and not (note or "").strip():
        raise CaseError(_("Tick at least one document or write what is missing."))
    deadline = deadline or today() + timedelta(days=14)
    if deadline < today():
        raise CaseError(_("The deadline cannot be in the past."))
    with transaction.atomic():
        transition(case, "request_documents", actor, note=note, data={"items": items})
        doc_request = DocumentRequest.objects.create(
            authority_id=case.authority_id,
            case=case,
            items=items,
            note=note or "",
            deadline=deadline,
            requested_at=timezone.now(),
            requested_by=actor,
        )
        set_deadlines(case)
        from .communication import send_document_request

        send_document_request(case, doc_request, actor=actor)
    return doc_request


def documents_received(case, actor=None, note=""):
    """The client delivered: the request is fulfilled, the clock restarts, the case is back in review."""
    with transaction.atomic():
        DocumentRequest.objects.filter(authority_id=case.authority_id, case=case, fulfilled_at__isnull=True).update(
            fulfilled_at=timezone.now()
        )
        transition(case, "documents_received", actor, note=note)
    return case


# --- decisions ---------------------------------------------------------------------------------


def add_months(day, months):
    from dateutil.relativedelta import relativedelta

    return day + relativedelta(months=months)


def proposed_validity(case, start=None):
    """The longest validity the catalogue allows, from ``start`` (default today)."""
    start = start or today()
    months = case.anliegen.longest_validity_months
    return start, (add_months(start, months) if months else None)


def approval_reasons(case, legal_basis, on=None):
    on = on or today()
    reasons = []
    if case.anliegen.discretionary:
        reasons.append("anliegen_discretionary")
    if case.discretionary:
        reasons.append("case_discretionary")
    window = timedelta(days=settings_value("CASES_LEGAL_CHANGE_REVIEW_DAYS", 365))
    if LegalChange.objects.filter(
        authority_id=case.authority_id, legal_basis__iexact=(legal_basis or "").strip(), changed_on__gte=on - window
    ).exists():
        reasons.append("legal_basis_changed")
    return reasons


def settings_value(name, default):
    return getattr(settings, name, default)


def draft_decision(
    case,
    actor,
    *,
    outcome,
    legal_basis,
    reasoning,
    valid_from=None,
    valid_to=None,
    shorter_validity_reason="",
    conditions="",
    plain_explanation="",
    ends_stay=False,
):
    """Record a decision draft. Validates the fields; needs approval when the Anliegen or the case is
    discretionary or the legal basis changed recently."""
    _require(actor, "cases.work", case)
    errors = []
    if outcome not in Outcome.values:
        errors.append(_("Choose grant, partial grant or refusal."))
    if not (legal_basis or "").strip():
        errors.append(_("Name the legal basis."))
    if not (reasoning or "").strip():
        errors.append(_("Give the reasoning."))
    if outcome in (Outcome.GRANT, Outcome.PARTIAL):
        if not valid_from or not valid_to:
            errors.append(_("Give the validity (from and until)."))
        elif valid_to < valid_from:
            errors.append(_("The validity must end after it starts."))
        else:
            _start, longest = proposed_validity(case, valid_from)
            if longest and valid_to < longest and not (shorter_validity_reason or "").strip():
                errors.append(_("The validity is shorter than the catalogue allows: please give a reason."))
            if longest and valid_to > longest:
                errors.append(_("The validity is longer than the catalogue allows."))
    if outcome in (Outcome.REFUSE, Outcome.PARTIAL) or ends_stay:
        if not (plain_explanation or "").strip():
            errors.append(_("Explain the decision in plain language for the client."))
    if errors:
        raise CaseError(_("The decision could not be saved."), errors)
    with transaction.atomic():
        if case.status == Status.IN_REVIEW:
            transition(case, "draft_decision", actor)
        elif case.status != Status.DECISION_DRAFTED:
            raise CaseError(_("A decision can only be drafted while the case is in review."))
        Decision.objects.filter(authority_id=case.authority_id, case=case).exclude(
            state__in=[DecisionState.FINAL, DecisionState.WITHDRAWN]
        ).update(state=DecisionState.WITHDRAWN)
        reasons = approval_reasons(case, legal_basis)
        decision = Decision.objects.create(
            authority_id=case.authority_id,
            case=case,
            outcome=outcome,
            legal_basis=legal_basis.strip(),
            valid_from=valid_from if outcome != Outcome.REFUSE else None,
            valid_to=valid_to if outcome != Outcome.REFUSE else None,
            shorter_validity_reason=shorter_validity_reason or "",
            conditions=conditions or "",
            reasoning=reasoning.strip(),
            plain_explanation=plain_explanation or "",
            ends_stay=bool(ends_stay),
            needs_approval=bool(reasons),
            approval_reasons=reasons,
            drafted_by=actor,
            drafted_at=timezone.now(),
        )
        add_entry(
            case,
            TimelineKind.DECISION,
            actor=actor,
            text=_("Decision drafted: %(outcome)s") % {"outcome": decision.get_outcome_display()},
            data={"decision": decision.pk, "needs_approval": decision.needs_approval, "reasons": reasons},
        )
    return decision


def submit_for_approval(case, actor):
    with transaction.atomic():
        transition(case, "submit_for_approval", actor)
        decision = current_decision(case)
        decision.state = DecisionState.AWAITING
        decision.save(update_fields=["state"])
    return decision


def _issue_decision(case, decision, actor):
    from .communication import send_decision

    decision.state = DecisionState.FINAL
    decision.save(update_fields=["state", "approved_by", "approved_at", "review_comment"])
    return send_decision(case, decision, actor=actor)


def finalise(case, actor):
    """Finalise a decision that needs no second pair of eyes."""
    with transaction.atomic():
        transition(case, "finalise", actor)
        decision = current_decision(case)
        _issue_decision(case, decision, actor)
    return decision


def approve(case, actor, comment=""):
    """A second person approves. The drafter never can (guard here, check constraint in the database)."""
    with transaction.atomic():
        transition(case, "approve", actor, note=comment)
        decision = current_decision(case)
        if decision.drafted_by_id == actor.pk:  # belt and braces; the guard already refused
            raise CaseError(_("You drafted this decision, so you cannot approve it."))
        decision.approved_by = actor
        decision.approved_at = timezone.now()
        decision.review_comment = comment or ""
        add_entry(case, TimelineKind.DECISION, actor=actor, text=_("Decision approved"), data={"decision": decision.pk})
        _issue_decision(case, decision, actor)
    return decision


def return_draft(case, actor, comment):
    if not (comment or "").strip():
        raise CaseError(_("Say what should change."))
    with transaction.atomic():
        transition(case, "return_draft", actor, note=comment)
        decision = current_decision(case)
        decision.state = DecisionState.RETURNED
        decision.review_comment = comment
        decision.save(update_fields=["state", "review_comment"])
        add_entry(
            case, TimelineKind.DECISION, actor=actor, text=_("Decision returned: %(c)s") % {"c": comment}, data={}
        )
    return decision
