"""Queries on contact hours and callback requests."""

from django.db.models import Count, Q

from .models import CallbackRequest, CallbackStatus, ContactHour

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
