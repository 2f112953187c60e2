"""The cases room's sections of the person view (slot ``clients.person``, core/panels.py): the person's
cases, open and closed; the open requests for documents and the deadlines of the open cases; the letters.
And the action "Request documents" (slot ``clients.person.actions``).

Each section only for staff who may see cases (``permissions.may_see_cases``), and only the cases the user
may see (``visible_cases``, one SQL filter). The person view writes the one audit entry of the read.
"""

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from willkommen.clients.visibility import Resource, visible

from . import workflow
from .models import DocumentRequest
from .permissions import may_see_cases, visible_cases
from .selectors import anliegen_texts

ORDER = 10  # the first section after the person's own data
MAX_LETTERS = 10


def _staff(request):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated and may_see_cases(user) else None


def _days_left(day, today):
    return (day - today).days if day else None


def _cases(request, person):
    """The person's cases the user may see, newest first (one query with the Anliegen's texts)."""
    cached = getattr(request, "_person_view_cases", None)
    if cached is not None and cached[0] == person.pk:
        return cached[1]
    rows = list(
        visible_cases(request.user, request.authority)
        .filter(person=person)
        .select_related("anliegen", "assignee", "team")
        .prefetch_related(anliegen_texts())
        .order_by("-received_at", "-pk")
    )
    request._person_view_cases = (person.pk, rows)
    return rows


def person_cases(request, person):
    """Section "Cases": open and closed, with state in words, decision deadline and days left, caseworker;
    below, the open requests for documents and the deadlines of the open cases."""
    user = _staff(request)
    if person is None or user is None:
        return ""
    today = timezone.localdate()
    cases = _cases(request, person)
    open_cases, closed_cases = [], []
    for case in cases:
        case.days_left = _days_left(case.due_on, today)
        case.days_overdue = -case.days_left if case.days_left is not None else None
        case.clock_stopped = case.status in workflow.CLOCK_STOPPED or bool(case.clock_stopped_on)
        (open_cases if case.status in workflow.OPEN else closed_cases).append(case)
    requests = list(
        DocumentRequest.objects.filter(
            authority=request.authority, case__in=[c.pk for c in open_cases], fulfilled_at__isnull=True
        )
        .select_related("case")
        .order_by("deadline", "pk")
    )
    for item in requests:
        item.days_left = _days_left(item.deadline, today)
        item.days_overdue = -item.days_left
    deadlines = []
    for case in open_cases:
        for label, day in (
            ("decision", None if case.clock_stopped else case.due_on),
            ("interim", case.interim_due_on),
            ("status_message", case.status_message_due_on),
            ("permit", case.permit_expires_on),
        ):
            if day:
                left = _days_left(day, today)
                deadlines.append({"case": case, "kind": label, "day": day, "days_left": left, "days_overdue": -left})
    deadlines.sort(key=lambda d: (d["day"], d["case"].pk))
    return render_to_string(
        "cases/person/cases.html",
        {
            "person": person,
            "open_cases": open_cases,
            "closed_cases": closed_cases,
            "requests": requests,
            "deadlines": deadlines,
            "can_work": user.can("cases.work"),
            "may_request": (workflow.Status.RECEIVED, workflow.Status.IN_REVIEW),
        },
        request=request,
    )


def person_letters(request, person):
    """Section "Letters": the person's letters (visibility policy ``LETTERS``) of cases the user may see or
    of no case; each links to its PDF on the case, or to the e-file document it was filed as."""
    from willkommen.letters.models import Letter

    user = _staff(request)
    if person is None or user is None:
        return ""
    letters = list(
        visible(Letter.objects.filter(person=person), user, request.authority, Resource.LETTERS)
        .filter(Q(case__isnull=True) | Q(case__in=visible_cases(user, request.authority).values("pk")))
        .select_related("case")
        .order_by("-created_at", "-pk")[: MAX_LETTERS + 1]
    )
    if not letters:
        return ""
    return render_to_string(
        "cases/person/letters.html",
        {"person": person, "letters": letters[:MAX_LETTERS], "more": len(letters) > MAX_LETTERS},
        request=request,
    )


def person_actions(request, person):
    """Action "Request documents" for the newest open case that is at a stage where documents may be asked."""
    user = _staff(request)
    if person is None or user is None or not user.can("cases.work"):
        return ""
    stages = (workflow.Status.RECEIVED, workflow.Status.IN_REVIEW)
    case = next((c for c in _cases(request, person) if c.status in stages), None)
    if case is None:
        return ""
    return render_to_string("cases/person/actions.html", {"case": case}, request=request)


def register():
    from willkommen.core import panels

    panels.register("clients.person", person_cases, order=ORDER)
    panels.register("clients.person", person_letters, order=40)
    panels.register("clients.person.actions", person_actions, order=20)
