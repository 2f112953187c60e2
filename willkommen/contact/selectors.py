"""Queries on contact hours and callback requests."""

from django.db.models import Avg, Count, F, Q
from django.utils import timezone

from willkommen.core.replica import heavy_read

from .models import (
    CallbackRequest,
    CallbackStatus,
    ContactHour,
    Feedback,
    FeedbackCategory,
    FeedbackKind,
    FeedbackState,
    SurveyInvitation,
)

MIN_HOURS_PER_WEEK = 2


def hours_of_team(authority, team):
    return (
        ContactHour.objects.filter(authority=authority, team=team)
        .select_related("location", "staff")
        .order_by("weekday", "starts", "id")
    )


def hours_for_case(case):
    """What the client sees on the status page: the hours of the case's team for everyone, and those
    of the caseworker handling the case."""
    if not case.team_id:
        return []
    own = Q(staff__isnull=True)
    if case.assignee_id:
        own |= Q(staff_id=case.assignee_id)
    return list(
        ContactHour.objects.filter(authority_id=case.authority_id, team_id=case.team_id)
        .filter(own)
        .select_related("location", "staff")
        .order_by("kind", "weekday", "starts", "id")
    )


def team_ids_at_location(authority, location):
    """Ids of the teams holding consultation or phone hours at ``location`` (a subquery)."""
    return ContactHour.objects.filter(authority=authority, location=location).values("team_id")


def teams_with_hour_counts(teams):
    """The teams, each annotated with ``hours_per_week`` (consultation and phone hours together)."""
    return teams.annotate(hours_per_week=Count("contact_hours")).order_by("name")


def teams_short_of_hours(teams):
    return [t for t in teams_with_hour_counts(teams) if t.hours_per_week < MIN_HOURS_PER_WEEK]


def open_callbacks(user, authority):
    """Open callback requests of the cases ``user`` may see, most urgent first."""
    from willkommen.cases.permissions import visible_cases

    return (
        CallbackRequest.objects.filter(
            authority=authority, status=CallbackStatus.OPEN, case__in=visible_cases(user, authority).values("pk")
        )
        .select_related("case", "team")
        .order_by("due_on", "requested_at", "id")
    )


def callback_for(user, authority, pk):
    from willkommen.cases.permissions import visible_cases

    return (
        CallbackRequest.objects.filter(authority=authority, pk=pk, case__in=visible_cases(user, authority).values("pk"))
        .select_related("case", "case__authority")
        .first()
    )


def open_feedback(authority):
    """Open feedback of ``authority``, the oldest reply date first."""
    return (
        Feedback.objects.filter(authority=authority, state=FeedbackState.OPEN)
        .select_related("case")
        .order_by("reply_due", "received_at", "id")
    )


def recently_answered(authority, limit=20):
    return (
        Feedback.objects.filter(authority=authority, state=FeedbackState.ANSWERED)
        .select_related("case", "answered_by")
        .order_by("-answered_at", "-id")[:limit]
    )


def feedback_for(authority, pk):
    return (
        Feedback.objects.filter(authority=authority, pk=pk).select_related("case", "authority", "reply_letter").first()
    )


@heavy_read  # figures: read from the replica when there is one
def voice_figures(authority, start, end):
    """Feedback received and survey answers given from ``start`` to ``end`` (dates, inclusive): complaints
    by category, the share answered on time (of those answered or past their reply date), survey averages.
    A fixed number of queries."""
    today = timezone.localdate()
    received = Feedback.objects.filter(authority=authority, received_at__date__gte=start, received_at__date__lte=end)
    by_kind = dict(received.values_list("kind").annotate(n=Count("id")).order_by())
    complaints = dict(
        received.filter(kind=FeedbackKind.COMPLAINT).values_list("category").annotate(n=Count("id")).order_by()
    )
    answered = Q(state=FeedbackState.ANSWERED)
    due = received.filter(answered | Q(reply_due__lt=today)).aggregate(
        due=Count("id"), on_time=Count("id", filter=answered & Q(answered_at__date__lte=F("reply_due")))
    )
    survey = SurveyInvitation.objects.filter(
        authority=authority, sent_at__date__gte=start, sent_at__date__lte=end
    ).aggregate(
        sent=Count("id"),
        answered=Count("id", filter=Q(answered_at__isnull=False)),
        overall=Avg("overall"),
        understood=Avg("understood"),
        reachable=Avg("reachable"),
    )
    return {
        "feedback": sum(by_kind.values()),
        "by_kind": {kind: by_kind.get(kind, 0) for kind in FeedbackKind.values},
        "complaints": {category: complaints.get(category, 0) for category in FeedbackCategory.values},
        "due": due["due"],
        "on_time": due["on_time"],
        "on_time_share": due["on_time"] / due["due"] if due["due"] else None,
        "survey": survey,
    }
