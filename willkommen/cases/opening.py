"""Opening a case: gap-free case numbers, routing to a team, the caseworker with the fewest open cases,
deadlines and the first timeline line. Other rooms open cases only through :func:`open_case`."""

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from . import access_codes, workflow
from .clock import set_deadlines
from .models import Case, CaseNumberCounter, CaseSource, TimelineKind
from .residence import permit_expiry
from .timeline import add_entry

_opened = []
_routers = []


def register_opened(listener):
    """Hook: ``listener(case)`` runs in the transaction that opened ``case`` (the rights room links the
    application to the invitation that asked for it). Registering the same function twice is harmless."""
    if listener not in _opened:
        _opened.append(listener)


def register_router(router):
    """Hook: ``router(authority, person, anliegen)`` names the team of a new case or returns None; the first
    router that names one wins over the routing rules (the rights room sends the application it invited to
    the team of the check). Asked only when the caller gives no team. Registering twice is harmless."""
    if router not in _routers:
        _routers.append(router)


def next_case_number(authority, year):
    """Advance the authority's counter for ``year`` under a row lock; call inside a transaction."""
    CaseNumberCounter.objects.get_or_create(authority=authority, year=year)
    counter = CaseNumberCounter.objects.select_for_update().get(authority=authority, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"ABH-{year}-{counter.last:06d}"


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
    """The team of a new case: the first registered router that names one, else the routing rules."""
    from willkommen.tenancy.services import route_to_team

    if not special_task:
        for router in _routers:
            team = router(authority, person, anliegen)
            if team is not None:
                return team
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
    with the fewest open cases; its deadlines are set, its permit expiry comes from the person's
    residence history, and the timeline starts.
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
                access_code_hash=access_codes.make_hash(authority.pk, number, access_code),
                idempotency_key=idempotency_key,
            )
            set_deadlines(case, save=False)
            case.permit_expires_on = permit_expiry(case)  # from the person's residence history
            case.save()
            add_entry(case, TimelineKind.RECEIVED, text=case.get_source_display(), to_status=case.status)
            for listener in _opened:
                listener(case)
    except IntegrityError:
        if idempotency_key:
            existing = Case.objects.filter(authority=authority, idempotency_key=idempotency_key).first()
            if existing:
                return existing, None
        raise
    return case, access_code


def check_access_code(case, code):
    """True when ``code`` is the case's access code and still valid (see ``access_codes``)."""
    return access_codes.check(case, code)


def check_no_access_code(code):
    """The cost of one check for an unknown case number; always None."""
    access_codes.check_nothing(code)
    return None
