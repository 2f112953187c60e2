"""Decisions: the proposed validity, when a second pair of eyes is needed, checking and recording a
draft, and the decision's states (awaiting approval, approved, final, returned).

These are the building blocks the workflow's effects use (``decision:draft``, ``decision:awaiting``,
``decision:final``, ``decision:approved``, ``decision:returned``); the commands are in ``services.py``.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .clock import today
from .errors import CaseError
from .models import Decision, DecisionState, LegalChange, Outcome, TimelineKind
from .timeline import add_entry

DRAFT_FIELDS = (
    "outcome",
    "legal_basis",
    "reasoning",
    "valid_from",
    "valid_to",
    "shorter_validity_reason",
    "conditions",
    "plain_explanation",
    "ends_stay",
    "sponsor_title_expires_on",
    "bound_end_on",
)


def current_decision(case):
    return (
        Decision.objects.filter(authority_id=case.authority_id, case=case)
        .exclude(state=DecisionState.WITHDRAWN)
        .order_by("-drafted_at", "-id")
        .first()
    )


def add_months(day, months):
    from .deadlines import add_months as calendar_months

    return calendar_months(day, months)


def proposed_validity(case, start=None, *, legal_basis=None, sponsor_until=None, bound_end=None):
    """The longest validity the catalogue allows, from ``start`` (default today): the cap of the legal
    basis (default the Anliegen's) in calendar months, for family reunification not beyond the
    sponsor's title (``sponsor_until``), for a study, training or employment title not beyond the end of
    the course or contract (``bound_end``, plus the Anliegen's extra months). ``(start, None)`` when there
    is no cap."""
    from willkommen.catalogue.selectors import validity_until

    start = start or today()
    basis = legal_basis if legal_basis else case.anliegen.legal_basis
    return start, validity_until(case.anliegen, basis, start, sponsor_until, bound_end)


BOUND_MISSING = {
    "course": gettext_lazy("Give the end of the course: the validity cannot go beyond it."),
    "contract": gettext_lazy("Give the end of the employment contract: the validity cannot go beyond it."),
}
BOUND_EXCEEDED = {
    "course": gettext_lazy("The validity cannot go beyond the end of the course (until %(date)s)."),
    "contract": gettext_lazy("The validity cannot go beyond the end of the employment contract (until %(date)s)."),
}


def unlimited(case):
    """A grant of this Anliegen is unlimited (settlement permit): no end date."""
    return case.anliegen.residence_kind == "settlement"


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


REASON_LABELS = {
    "anliegen_discretionary": gettext_lazy("the Anliegen is decided at discretion"),
    "case_discretionary": gettext_lazy("the case is marked discretionary"),
    "legal_basis_changed": gettext_lazy("the law on this legal basis changed recently"),
}


def reasons_in_words(reasons):
    return [str(REASON_LABELS.get(r, r)) for r in reasons]


def live_reasons(case, decision):
    """Why ``decision`` needs a second pair of eyes *now*: the rules read the case and the law as they are
    today, so ticking "discretionary" or recording a change in the law takes effect at once on an open draft
    (the stored ``needs_approval`` is what held when it was last saved)."""
    if decision is None:
        return []
    return approval_reasons(case, decision.legal_basis)


def approval_needed(case, decision=None):
    """Whether the current draft (or ``decision``) needs the approval of a second person."""
    decision = decision if decision is not None else current_decision(case)
    return bool(live_reasons(case, decision))


def sync_approval(case):
    """Store the live approval reasons on the open draft (after the case's flags or the law changed)."""
    decision = current_decision(case)
    if decision is None or decision.state not in (DecisionState.DRAFT, DecisionState.RETURNED):
        return decision
    _store_reasons(case, decision)
    return decision


def _store_reasons(case, decision):
    reasons = live_reasons(case, decision)
    if reasons != decision.approval_reasons or bool(reasons) != decision.needs_approval:
        decision.approval_reasons = reasons
        decision.needs_approval = bool(reasons)
        decision.save(update_fields=["approval_reasons", "needs_approval"])


def settings_value(name, default):
    return getattr(settings, name, default)


def _validity_errors(case, fields):
    outcome, valid_from, valid_to = fields.get("outcome"), fields.get("valid_from"), fields.get("valid_to")
    if outcome not in (Outcome.GRANT, Outcome.PARTIAL):
        return []
    if unlimited(case) and valid_from and not valid_to:
        return []
    if not valid_from or not valid_to:
        return [_("Give the validity (from and until).")]
    if valid_to < valid_from:
        return [_("The validity must end after it starts.")]
    sponsor, bound_end, bound = fields.get("sponsor_title_expires_on"), fields.get("bound_end_on"), None
    if case.anliegen.not_beyond_sponsor and not sponsor:
        return [_("Give the end of the sponsor's residence title: family reunification cannot go beyond it.")]
    if case.anliegen.validity_bound_to:
        if not bound_end:
            return [str(BOUND_MISSING[case.anliegen.validity_bound_to])]
        from willkommen.catalogue.validity import bound_until

        bound = bound_until(bound_end, case.anliegen.validity_bound_extra_months)
    errors = []
    _start, longest = proposed_validity(
        case, valid_from, legal_basis=fields.get("legal_basis"), sponsor_until=sponsor, bound_end=bound_end
    )
    if longest and valid_to < longest and not (fields.get("shorter_validity_reason") or "").strip():
        errors.append(_("The validity is shorter than the catalogue allows: please give a reason."))
    if sponsor and case.anliegen.not_beyond_sponsor and valid_to > sponsor:
        errors.append(
            _("The validity cannot go beyond the sponsor's residence title (until %(date)s).")
            % {"date": sponsor.strftime("%d.%m.%Y")}
        )
    elif bound and valid_to > bound and bound == longest:
        errors.append(str(BOUND_EXCEEDED[case.anliegen.validity_bound_to]) % {"date": bound.strftime("%d.%m.%Y")})
    elif longest and valid_to > longest:
        errors.append(
            _("The validity is longer than the catalogue allows for %(basis)s: at most until %(date)s.")
            % {"basis": fields.get("legal_basis") or case.anliegen.legal_basis, "date": longest.strftime("%d.%m.%Y")}
        )
    return errors


def check_draft(case, fields):
    """CaseError with every problem of a decision draft (``fields``: see DRAFT_FIELDS)."""
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise CaseError(_("The decision could not be saved."), [", ".join(sorted(unknown))])
    outcome = fields.get("outcome")
    errors = []
    if outcome not in Outcome.values:
        errors.append(_("Choose grant, partial grant or refusal."))
    if not (fields.get("legal_basis") or "").strip():
        errors.append(_("Name the legal basis."))
    if not (fields.get("reasoning") or "").strip():
        errors.append(_("Give the reasoning."))
    errors += _validity_errors(case, fields)
    if outcome in (Outcome.REFUSE, Outcome.PARTIAL) or fields.get("ends_stay"):
        if not (fields.get("plain_explanation") or "").strip():
            errors.append(_("Explain the decision in plain language for the client."))
    if errors:
        raise CaseError(_("The decision could not be saved."), errors)


def record_draft(case, actor, fields):
    """Store a (checked) draft; an earlier open draft is replaced. Needs approval when the Anliegen or
    the case is discretionary or the legal basis changed recently."""
    previous = current_decision(case)
    # The draft the approver returned stays as it was; the new one points at it (``changes``). A draft saved
    # again after a return still compares with the returned one.
    revises = None
    if previous is not None and previous.state != DecisionState.FINAL:
        revises = previous if previous.returned_at else previous.revises
    Decision.objects.filter(authority_id=case.authority_id, case=case).exclude(
        state__in=[DecisionState.FINAL, DecisionState.WITHDRAWN]
    ).update(state=DecisionState.WITHDRAWN)
    outcome = fields["outcome"]
    reasons = approval_reasons(case, fields["legal_basis"])
    decision = Decision.objects.create(
        authority_id=case.authority_id,
        case=case,
        outcome=outcome,
        legal_basis=fields["legal_basis"].strip(),
        valid_from=fields.get("valid_from") if outcome != Outcome.REFUSE else None,
        valid_to=fields.get("valid_to") if outcome != Outcome.REFUSE else None,
        shorter_validity_reason=fields.get("shorter_validity_reason") or "",
        conditions=fields.get("conditions") or "",
        reasoning=fields["reasoning"].strip(),
        plain_explanation=fields.get("plain_explanation") or "",
        ends_stay=bool(fields.get("ends_stay")),
        sponsor_title_expires_on=fields.get("sponsor_title_expires_on") if outcome != Outcome.REFUSE else None,
        bound_end_on=fields.get("bound_end_on") if outcome != Outcome.REFUSE else None,
        needs_approval=bool(reasons),
        approval_reasons=reasons,
        drafted_by=actor,
        drafted_at=timezone.now(),
        revises=revises,
    )
    add_entry(
        case,
        TimelineKind.DECISION,
        actor=actor,
        text=_("Decision drafted: %(outcome)s") % {"outcome": decision.get_outcome_display()},
        data={"decision": decision.pk, "needs_approval": decision.needs_approval, "reasons": reasons},
    )
    return decision


def _current(case):
    decision = current_decision(case)
    if decision is None:
        raise CaseError(_("There is no decision draft."))
    return decision


def mark_awaiting(case):
    decision = _current(case)
    _store_reasons(case, decision)
    decision.state = DecisionState.AWAITING
    decision.save(update_fields=["state"])
    return decision


def make_final(case, decision=None):
    """The current decision becomes final (finalised by the drafter, or approved by a second person)."""
    decision = decision or _current(case)
    decision.state = DecisionState.FINAL
    decision.save(update_fields=["state", "approved_by", "approved_at", "review_comment"])
    return decision


def approve(case, actor, comment=""):
    """A second person approves: recorded on the decision and the timeline; the decision is final."""
    decision = _current(case)
    if actor is not None and decision.drafted_by_id == actor.pk:  # belt and braces; the guard already refused
        raise CaseError(_("You drafted this decision, so you cannot approve it."))
    decision.approved_by = actor
    decision.approved_at = timezone.now()
    decision.review_comment = comment or ""
    add_entry(case, TimelineKind.DECISION, actor=actor, text=_("Decision approved"), data={"decision": decision.pk})
    return make_final(case, decision)


def check_return(comment):
    if not (comment or "").strip():
        raise CaseError(_("Say what should change."))


def return_to_drafter(case, actor, comment):
    decision = _current(case)
    decision.state = DecisionState.RETURNED
    decision.review_comment = comment
    decision.returned_by = actor
    decision.returned_at = timezone.now()
    decision.save(update_fields=["state", "review_comment", "returned_by", "returned_at"])
    add_entry(case, TimelineKind.DECISION, actor=actor, text=_("Decision returned: %(c)s") % {"c": comment}, data={})
    return decision


# --- what changed since the returned draft -------------------------------------------------------

CHANGE_LABELS = {
    "outcome": gettext_lazy("Decision"),
    "legal_basis": gettext_lazy("Legal basis"),
    "valid_from": gettext_lazy("Valid from"),
    "valid_to": gettext_lazy("Valid until"),
    "shorter_validity_reason": gettext_lazy("Reason for a shorter validity"),
    "conditions": gettext_lazy("Conditions (Nebenbestimmungen)"),
    "reasoning": gettext_lazy("Reasoning"),
    "plain_explanation": gettext_lazy("Plain-language explanation for the client"),
    "ends_stay": gettext_lazy("This measure ends the stay"),
    "sponsor_title_expires_on": gettext_lazy("The sponsor's residence title expires on"),
}


def _shown(decision, name):
    value = getattr(decision, name)
    if name == "outcome":
        return str(Outcome(value).label) if value in Outcome.values else value
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value is None or value == "":
        return "–"
    if hasattr(value, "year"):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def changes(old, new):
    """The fields of a decision draft that differ between ``old`` (the returned draft) and ``new``, in form
    order: ``[{"field", "label", "old", "new"}]`` with the values as people read them. Pure (no database)."""
    if old is None or new is None:
        return []
    rows = []
    for name in DRAFT_FIELDS:
        before, after = getattr(old, name), getattr(new, name)
        if isinstance(before, str) or isinstance(after, str):
            before, after = (before or "").strip(), (after or "").strip()
        if before != after:
            rows.append(
                {"field": name, "label": str(CHANGE_LABELS[name]), "old": _shown(old, name), "new": _shown(new, name)}
            )
    return rows


def returned_draft(decision):
    """The draft the approver returned that ``decision`` answers (itself when it was resubmitted unchanged)."""
    if decision is None:
        return None
    if decision.returned_at and decision.state != DecisionState.RETURNED:
        return decision
    return decision.revises
