"""Queries of the rights room."""

from willkommen.clients.visibility import Resource, visible
from willkommen.core.replica import heavy_read

from . import evaluator
from .models import Check, CheckOutcome, Fact, RuleVersion, ScreeningRun


def rule_versions():
    return RuleVersion.objects.order_by("key", "valid_from", "version")


def as_rule(row):
    return evaluator.Rule(
        key=row.key,
        version=row.version,
        legal_basis=row.legal_basis,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        params=dict(row.params or {}),
    )


def rules():
    """Every version of every rule as plain :class:`evaluator.Rule` values (for the pure evaluator)."""
    return [as_rule(row) for row in rule_versions()]


def explanation(rule_row, language):
    """The client-facing explanation of a rule version in ``language`` (German where it is missing)."""
    texts = rule_row.explanation or {}
    return texts.get(language) or texts.get("de", "")


def latest_run(authority):
    return ScreeningRun.objects.filter(authority=authority, finished_at__isnull=False).order_by("-on").first()


def candidates(user, authority, *, run=None, rule="", team_id=None):
    """The likely and needs-data outcomes of the latest run that ``user`` may read (the visibility policy's
    file scope, in SQL), likely first; optionally of one rule and one responsible team."""
    run = run or latest_run(authority)
    if run is None:
        return CheckOutcome.objects.none()
    qs = visible(
        CheckOutcome.objects.filter(check_run__run=run, rank__lt=2),
        user,
        authority,
        Resource.FILE,
        person_field="check_run__person",
    )
    if rule:
        qs = qs.filter(rule_key=rule)
    if team_id:
        qs = qs.filter(check_run__team_id=team_id)
    return qs.select_related("check_run__person", "check_run__team", "rule").order_by(
        "rank", "check_run__person__family_name", "check_run__person__given_names", "rule_key", "pk"
    )


def facts_of_person(authority, person):
    """Every recorded fact of the person, newest first per kind (the history stays)."""
    return Fact.objects.filter(authority=authority, person=person).select_related("document", "recorded_by")


def checks_of_person(authority, person, limit=12):
    return (
        Check.objects.filter(authority=authority, person=person)
        .prefetch_related("outcomes__rule")
        .order_by("-on")[:limit]
    )


@heavy_read  # figures: read from the replica when there is one
def invitation_figures(authority, start, end, *, team_ids=None, anliegen=None):
    """Invitations to apply sent in ``start``–``end`` (dates, inclusive), by way of applying, and how many
    were followed by an application (a case linked to the invitation). One query."""
    import datetime as dt

    from django.db.models import Count, Q
    from django.utils import timezone

    from .models import InvitationMode, RightsInvitation

    zone = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    qs = RightsInvitation.objects.filter(authority=authority, invited_at__gte=since, invited_at__lt=until)
    if team_ids is not None:  # a team, or the teams a team lead sees
        qs = qs.filter(outcome__check_run__team_id__in=team_ids)
    if anliegen:
        from willkommen.catalogue.models import Anliegen

        qs = qs.filter(rule__anliegen_slug__in=Anliegen.objects.filter(authority=authority, pk=anliegen).values("slug"))
    row = qs.aggregate(
        invited=Count("id"),
        by_appointment=Count("id", filter=Q(mode=InvitationMode.APPOINTMENT)),
        applied=Count("id", filter=Q(case__isnull=False)),
    )
    row["applied_share"] = row["applied"] / row["invited"] if row["invited"] else None
    return row
