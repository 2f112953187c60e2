"""What the case page shows beside the case itself, so a caseworker sees the work in one screen: the
deadline as days left, the checklist of the case's Anliegen with each item's document and its verification,
and (for the queue) which cases hold a client message nobody has read yet.

The documents come from the e-file (``requesting.request_items``) and are only shown to staff who may read
the person's file (visibility policy ``FILE``); unread messages are counted by the messaging room."""

from django.utils import timezone, translation

from willkommen.clients.visibility import Resource, may_read, visible_persons

from . import requesting


def days_left(case, today=None):
    """Days until the decision is due (negative when overdue), or None while the clock stands still."""
    if case.clock_stopped_on or not case.due_on:
        return None
    return (case.due_on - (today or timezone.localdate())).days


def checklist(request, case):
    """The Anliegen's checklist items that apply to the case, in the staff member's language, with their
    document and its state; None for staff who may not read the person's e-file."""
    user = request.user
    if not may_read(user, Resource.FILE):
        return None
    if not visible_persons(user, request.authority, Resource.FILE).filter(pk=case.person_id).exists():
        return None
    rows = requesting.request_items(case, translation.get_language() or "de")
    return [row for row in rows if row.applies]


def mark_unread(authority, cases):
    """Set ``unread_from_client`` on each of ``cases`` (a page of the queue): a message from the client
    the office has not read yet is waiting on it. One query for the page."""
    from willkommen.messaging.selectors import cases_with_unread_from_client

    cases = list(cases)
    unread = cases_with_unread_from_client(authority, [case.pk for case in cases])
    for case in cases:
        case.unread_from_client = case.pk in unread


QUEUE_LOOKAHEAD = 500


def next_case(request, case):
    """The case after ``case`` in the user's own queue (most urgent first), else the first other case there;
    None when the queue holds nothing else. One query over ids."""
    from .selectors import queue

    user = request.user
    if not user.can("cases.work"):
        return None
    ids = list(queue(user, request.authority, scope="mine").values_list("id", flat=True)[:QUEUE_LOOKAHEAD])
    if case.pk in ids:
        after = ids[ids.index(case.pk) + 1 :]
        return after[0] if after else None
    return next((pk for pk in ids if pk != case.pk), None)
