"""The four-eyes review page's content: everything the approver approves, in one place.

The approver sees the decision as it would go out – outcome, legal basis, validity and, when it is shorter
than the catalogue allows, the reason; conditions, reasoning, the plain-language text – the documents of the
case's e-file it relies on, the notice as a PDF preview (``views.decision_preview``) and what changed since
a draft they returned (``decisions.changes``).
"""

from willkommen.clients.visibility import Resource, visible

from .decisions import changes, live_reasons, proposed_validity, reasons_in_words, returned_draft, unlimited
from .models import DecisionState, Outcome
from .workflow import Status


def longest_validity(case, decision):
    """The longest end date the catalogue allows for this decision's legal basis and start (None: no cap)."""
    if decision.outcome == Outcome.REFUSE or not decision.valid_from or unlimited(case):
        return None
    _start, end = proposed_validity(
        case,
        decision.valid_from,
        legal_basis=decision.legal_basis,
        sponsor_until=decision.sponsor_title_expires_on,
        bound_end=decision.bound_end_on,
    )
    return end


def relied_on_documents(user, authority, case):
    """The current documents of the case's e-file (not the letters the office made), as the user may read them."""
    from willkommen.efile.models import Source
    from willkommen.efile.selectors import documents_for_case

    docs = documents_for_case(authority, case).exclude(source=Source.LETTER).select_related("verified_by")
    return list(visible(docs, user, authority, Resource.FILE).order_by("document_type", "-uploaded_at"))


def review_context(request, case, decision):
    user = request.user
    longest = longest_validity(case, decision)
    earlier = returned_draft(decision)
    awaiting = case.status == Status.AWAITING_APPROVAL and decision.state == DecisionState.AWAITING
    return {
        "case": case,
        "decision": decision,
        "reasons": reasons_in_words(decision.approval_reasons if awaiting else live_reasons(case, decision)),
        "longest_valid_to": longest,
        "shorter": bool(longest and decision.valid_to and decision.valid_to < longest),
        "documents": relied_on_documents(user, request.authority, case),
        "returned": earlier,
        "changes": changes(earlier, decision) if earlier is not None and earlier.pk != decision.pk else [],
        "awaiting": awaiting,
        "own_draft": decision.drafted_by_id == user.pk,
        "may_review": awaiting and user.can("cases.approve") and decision.drafted_by_id != user.pk,
    }
