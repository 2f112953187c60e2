"""Queries on cases: the work queue (ordered by urgency in SQL), workload, timeline."""

from datetime import timedelta

from django.db.models import Case as When_
from django.db.models import Count, IntegerField, Q, Value, When
from django.utils import timezone

from willkommen.core.replica import heavy_read

from . import workflow
from .models import Case, TimelineEntry
from .permissions import may_see_cases, visible_cases


def case_by_number(authority, number):
    return Case.objects.filter(authority=authority, number=(number or "").strip().upper()).first()


def persons_decided_on(day):
    """The persons (of every authority) with a case decided on ``day`` (for the satisfaction survey)."""
    from willkommen.clients.models import Person

    return Person.objects.filter(cases__decided_at__date=day).distinct().select_related("authority")


def all_cases(authority):
    """Every case of ``authority`` (for queries of other rooms, e.g. renewal invitations answered by a case)."""
    return Case.objects.filter(authority=authority)


def cases_of_person(authority, person):
    return Case.objects.filter(authority=authority, person=person)


def case_by_id(authority, pk):
    return Case.objects.filter(authority=authority, pk=pk).select_related("person").first()


def latest_case_of_person(authority, person):
    return cases_of_person(authority, person).order_by("-received_at").first()


def latest_case_teams(authority, person_ids):
    """``{person_id: team_id}`` of the latest case (by arrival) of each of these persons that has a team:
    one query for a batch (the rights room's monthly screening)."""
    rows = (
        Case.objects.filter(authority=authority, person_id__in=person_ids, team__isnull=False)
        .order_by("person_id", "-received_at", "-id")
        .values_list("person_id", "team_id")
    )
    teams = {}
    for person_id, team_id in rows:
        teams.setdefault(person_id, team_id)
    return teams


def persons_in_progress(authority, *, team=None, accommodation=None):
    """Recipient group ``in_progress`` of group notices (registered with messaging): an open case."""
    from willkommen.clients.selectors import persons

    return persons(authority).filter(cases__authority=authority, cases__status__in=sorted(workflow.OPEN))


def persons_of_team(authority, *, team=None, accommodation=None):
    """Recipient group ``team`` of group notices (registered with messaging): a case of ``team``."""
    from willkommen.clients.selectors import persons

    return persons(authority).filter(cases__authority=authority, cases__team=team)


URGENCY_LABELS = {
    0: "permit_expiring",
    1: "stay_at_stake",
    2: "overdue",
    3: "due_soon",
    4: "other",
}


def with_urgency(qs, today=None):
    """Annotate ``urgency`` (0 permit expires within 30 days, 1 benefits or legal stay at stake,
    2 overdue, 3 due within a week, 4 other) in SQL, mirroring ``deadlines.urgency``."""
    today = today or timezone.localdate()
    running = ~Q(status__in=workflow.CLOCK_STOPPED)
    return qs.annotate(
        urgency=When_(
            When(permit_expires_on__lte=today + timedelta(days=30), then=Value(0)),
            When(stay_at_stake=True, then=Value(1)),
            When(running & Q(due_on__lt=today), then=Value(2)),
            When(running & Q(due_on__lte=today + timedelta(days=7)), then=Value(3)),
            default=Value(4),
            output_field=IntegerField(),
        )
    )


FILTERS = ("mine", "team", "all")


def urgency_q(level, today=None):
    """The SQL condition for one urgency level (so a filtered queue can use the indexes)."""
    today = today or timezone.localdate()
    expiring = Q(permit_expires_on__lte=today + timedelta(days=30))
    running = ~Q(status__in=workflow.CLOCK_STOPPED)
    if level == 0:
        return expiring
    not_expiring = Q(permit_expires_on__isnull=True) | Q(permit_expires_on__gt=today + timedelta(days=30))
    if level == 1:
        return not_expiring & Q(stay_at_stake=True)
    calm = not_expiring & Q(stay_at_stake=False)
    if level == 2:
        return calm & running & Q(due_on__lt=today)
    if level == 3:
        return calm & running & Q(due_on__gte=today, due_on__lte=today + timedelta(days=7))
    return calm & ~(running & Q(due_on__lte=today + timedelta(days=7)))


def queue(user, authority, *, scope="mine", status="", urgency=None, team_id=None, search="", today=None):
    """The work queue: open cases the user may see, most urgent first, then by due date.

    One query for the page (persons, Anliegen, team and assignee joined), whatever the data size.
    Each scope narrows the visible cases with a plain indexed condition (assignee, or team list)."""
    if user.authority_id != authority.pk or not may_see_cases(user):
        return with_urgency(Case.objects.none(), today)
    qs = visible_cases(user, authority).filter(status__in=workflow.OPEN)
    if scope == "mine":
        qs = Case.objects.filter(authority=authority, assignee_id=user.pk, status__in=workflow.OPEN)
    elif scope == "approval" and user.can("cases.approve") and not user.can("cases.view_all"):
        # four eyes: every approver sees every decision awaiting approval of the authority, whatever the team
        qs = Case.objects.filter(authority=authority, status=workflow.Status.AWAITING_APPROVAL)
    elif scope in ("team", "approval") and not user.can("cases.view_all"):
        team_ids = list(user.memberships.filter(authority=authority).values_list("team_id", flat=True))
        qs = Case.objects.filter(authority=authority, status__in=workflow.OPEN, team_id__in=team_ids)
    if scope == "approval":
        qs = qs.filter(status=workflow.Status.AWAITING_APPROVAL)
    if status:
        qs = qs.filter(status=status)
    if team_id:
        qs = qs.filter(team_id=team_id)
    if search:
        search = search.strip()
        qs = qs.filter(Q(number__iexact=search) | Q(person__family_name__istartswith=search))
    if urgency is not None:
        qs = qs.filter(urgency_q(urgency, today))
    qs = with_urgency(qs, today)
    return (
        qs.select_related("person", "anliegen", "team", "assignee")
        .prefetch_related(anliegen_texts())
        .order_by("urgency", "due_on", "id")
    )


def awaiting_approval(user, authority, cases):
    """The cases of ``cases`` (already narrowed by permission) awaiting approval, without those whose decision
    ``user`` drafted: nobody approves their own draft. Oldest deadline first."""
    from django.db.models import Exists, OuterRef

    from .models import Decision, DecisionState

    own_draft = Decision.objects.filter(
        authority=authority, case=OuterRef("pk"), state=DecisionState.AWAITING, drafted_by_id=user.pk
    )
    return (
        cases.filter(status=workflow.Status.AWAITING_APPROVAL)
        .exclude(Exists(own_draft))
        .select_related("person", "anliegen", "assignee", "team")
        .prefetch_related(anliegen_texts())
        .order_by("due_on", "id")
    )


def anliegen_texts():
    """Prefetch of the Anliegen's public texts, for lists that show the Anliegen's title."""
    from django.db.models import Prefetch

    from willkommen.catalogue.models import AnliegenText

    return Prefetch("anliegen__texts", queryset=AnliegenText.objects.filter(status="public"))


def workload(authority, team_ids, today=None):
    """Per caseworker of the given teams: open cases, overdue, due this week (one query)."""
    from willkommen.accounts.models import User
    from willkommen.accounts.roles import roles_with

    today = today or timezone.localdate()
    open_q = Q(cases__authority=authority, cases__status__in=workflow.OPEN)
    running = ~Q(cases__status__in=workflow.CLOCK_STOPPED)
    return (
        User.objects.filter(
            authority=authority, is_active=True, memberships__team_id__in=team_ids, role__in=roles_with("cases.work")
        )
        .distinct()
        .annotate(
            open_cases=Count("cases", filter=open_q, distinct=True),
            overdue=Count("cases", filter=open_q & running & Q(cases__due_on__lt=today), distinct=True),
            due_this_week=Count(
                "cases",
                filter=open_q & running & Q(cases__due_on__gte=today, cases__due_on__lte=today + timedelta(days=7)),
                distinct=True,
            ),
        )
        .order_by("last_name", "username")
    )


def lead_team_ids(user, authority):
    """Teams the user leads (or all teams for cases.view_all)."""
    from willkommen.tenancy.models import Team

    if user.can("cases.view_all"):
        return list(Team.objects.filter(authority=authority).values_list("id", flat=True))
    return list(user.memberships.filter(authority=authority).values_list("team_id", flat=True))


def timeline(case):
    return TimelineEntry.objects.filter(authority_id=case.authority_id, case=case).select_related("actor")


def full_timeline(case):
    """The case's timeline with the documents of the e-file filed for the case (uploads by the client,
    ServicePoint scans) merged in by time. Letters are already on the timeline as letters."""
    entries = list(timeline(case))
    try:
        from willkommen.efile.selectors import documents_for_case
    except ImportError:
        return entries
    letter_sources = {"letter"}
    for document in documents_for_case(case.authority, case).exclude(source__in=letter_sources):
        entries.append(
            TimelineEntry(
                authority_id=case.authority_id,
                case=case,
                at=document.uploaded_at,
                kind="document",
                actor_label=document.get_source_display(),
                text=document.title or document.original_name,
                data={"document_id": document.pk, "document_type": document.document_type},
            )
        )
    entries.sort(key=lambda e: e.at)
    return entries


def fiction_paragraph(case):
    """The § 81 rule for ``case`` from the person's residence history (``fiction.py``, ``residence.py``)."""
    from .residence import fiction_paragraph as rule

    return rule(case)


def fiction_for(*, arrival, permit_valid_until=None, anliegen=None):
    """The § 81 rule for an application that arrived on ``arrival`` with a declared title valid until
    ``permit_valid_until`` (the online form, before or without a history): pure."""
    from . import fiction
    from .residence import applies_for_title

    return fiction.fiction_rule(
        arrival=arrival,
        title_kind=fiction.TITLE if permit_valid_until else fiction.NONE,
        title_expires=permit_valid_until,
        applies_for_title=True if anliegen is None else applies_for_title(anliegen),
    )


def is_open(case):
    """The application is still being decided (not decided, closed, withdrawn or transferred)."""
    return case.status in workflow.OPEN


def processing_target(case):
    """(target date, calendar days to it) of the case's processing target without pauses: days or calendar
    months as the Anliegen says (``deadlines.target_date``), so "within N days" and the date agree."""
    from .deadlines import target_date

    received = timezone.localtime(case.received_at).date()
    anliegen = case.anliegen
    target = target_date(
        received, anliegen.complexity, anliegen.target_days or None, getattr(anliegen, "target_months", None)
    )
    return target, (target - received).days


@heavy_read  # figures: read from the replica when there is one
def casework_figures(user, authority, start, end, *, team=None, anliegen=None, team_ids=None, today=None):
    """The casework figures (``figures.py``) for the cases ``user`` may see, from ``start`` to ``end``
    (inclusive), narrowed by team, Anliegen and a set of team ids; a fixed number of queries."""
    from . import figures

    cases = figures.scoped_cases(user, authority, team=team, anliegen=anliegen, team_ids=team_ids)
    return figures.casework(figures.Scope(cases, start, end, getattr(authority, "pk", authority)), today)


def casework_age_bands():
    from .figures import AGE_BANDS

    return [key for key, _low, _high in AGE_BANDS]
