"""Changes in the law (``LegalChange``), recorded by the office on its set-up pages: for
``CASES_LEGAL_CHANGE_REVIEW_DAYS`` after the change, a decision on that legal basis needs a second pair of
eyes (``decisions.approval_reasons``). Here: the authority's changes, the open drafts a change concerns,
and bringing their stored need for approval up to date after a change was recorded or edited."""

from datetime import timedelta

from django.db.models import Count
from django.db.models.functions import Lower, Trim

from . import decisions
from .clock import today
from .models import Decision, DecisionState, LegalChange

OPEN_DRAFT = (DecisionState.DRAFT, DecisionState.RETURNED)


def law_changes(authority):
    return LegalChange.objects.filter(authority=authority).order_by("-changed_on", "-id")


def window():
    return timedelta(days=decisions.settings_value("CASES_LEGAL_CHANGE_REVIEW_DAYS", 365))


def in_force(change, on=None):
    """Whether the change still makes decisions on its legal basis need approval (it lies in the window)."""
    return change.changed_on >= (on or today()) - window()


def _open_drafts(authority_id, basis):
    return Decision.objects.filter(
        authority_id=authority_id, state__in=OPEN_DRAFT, legal_basis__iexact=(basis or "").strip()
    )


def affected_drafts(change):
    """The open drafts (not awaiting approval, not final) on the change's legal basis that need a second pair
    of eyes because of it; none once the change lies outside the window."""
    if not in_force(change):
        return Decision.objects.none()
    return (
        _open_drafts(change.authority_id, change.legal_basis)
        .select_related("case", "case__team")
        .order_by("drafted_at", "id")
    )


def affected_counts(authority, changes):
    """{change id: number of open drafts it concerns}, one query for all changes."""
    counts = dict(
        Decision.objects.filter(authority=authority, state__in=OPEN_DRAFT)
        .annotate(basis=Lower(Trim("legal_basis")))
        .values_list("basis")
        .annotate(n=Count("id"))
        .values_list("basis", "n")
    )
    return {c.pk: counts.get(c.legal_basis.strip().lower(), 0) if in_force(c) else 0 for c in changes}


def sync_drafts(authority_id, *bases):
    """Store the live need for approval on the open drafts on ``bases`` (after a change was saved)."""
    cases = {d.case for b in bases if b for d in _open_drafts(authority_id, b).select_related("case__anliegen")}
    for case in cases:
        decisions.sync_approval(case)
