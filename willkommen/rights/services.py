"""Commands of the rights room: recording a fact on a person, the monthly screening run."""

import datetime as dt
import json
import logging

from django.conf import settings
from django.db import connection, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from willkommen.audit import services as audit
from willkommen.audit.models import Action
from willkommen.cases import selectors as cases_selectors
from willkommen.catalogue import checklist as checklist_lib
from willkommen.catalogue import selectors as catalogue_selectors
from willkommen.clients import selectors as clients_selectors
from willkommen.clients.models import ResidenceKind
from willkommen.efile import selectors as efile_selectors
from willkommen.messaging import services as messaging_services
from willkommen.tenancy import selectors as tenancy_selectors
from willkommen.tenancy import services as tenancy_services

from . import evaluator, facts, selectors
from .models import (
    Check,
    CheckOutcome,
    Fact,
    FactKind,
    FactSource,
    InvitationMode,
    RightsInvitation,
    RuleVersion,
    ScreeningRun,
)

log = logging.getLogger(__name__)


class RightsError(Exception):
    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def clean_value(kind, value):
    """The value of a fact in its stored form, or RightsError (a message for the user)."""
    if kind not in FactKind.values:
        raise RightsError(_("Unknown fact."), "kind")
    try:
        parsed = evaluator.facts_from_record({kind: value})
    except evaluator.FactsError as error:
        raise RightsError(_("This value does not fit the fact."), "value") from error
    result = getattr(parsed, kind)
    if result is None:
        raise RightsError(_("Enter a value."), "value")
    return result


@transaction.atomic
def record_fact(authority, actor, person, *, kind, value, source, established_on, document=None, note="", request=None):
    """Record one fact on ``person`` (the newest of its kind counts from ``established_on``)."""
    if person.authority_id != authority.pk:
        raise RightsError(_("This person is not of this authority."))
    value = clean_value(kind, value)
    if source not in FactSource.values:
        raise RightsError(_("Choose where the fact comes from."), "source")
    if not isinstance(established_on, dt.date) or established_on > timezone.localdate():
        raise RightsError(_("The date cannot lie in the future."), "established_on")
    if document is not None and (document.authority_id != authority.pk or document.person_id != person.pk):
        raise RightsError(_("The document is not in this person's file."), "document")
    fact = Fact.objects.create(
        authority=authority,
        person=person,
        kind=kind,
        value=value,
        source=source,
        established_on=established_on,
        document=document,
        note=note[:300],
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        authority=authority,
        action=Action.CREATE,
        person_id=person.pk,
        obj=fact,
        actor=actor,
        request=request,
        purpose="rights.fact",  # the log names the fact by its kind in the reader's language (audit_objects.py)
    )
    return fact


def documents_of(authority, person):
    return efile_selectors.documents_for_person(authority, person)


# --- the monthly screening ------------------------------------------------------------------------------


def screened_persons(authority, on):
    """Every tolerated person and every holder of a § 104c permit of the authority on ``on``."""
    tolerated = clients_selectors.persons_holding(authority, on, kinds=[ResidenceKind.DULDUNG])
    holders = clients_selectors.persons_holding(authority, on, kinds=[ResidenceKind.TITLE], legal_basis_contains="104c")
    return (tolerated | holders).distinct().order_by("pk")


class _Teams:
    """The responsible team of a batch of persons in two queries: the teams of their latest cases, and the
    authority's routing rules (tried by priority, as ``tenancy.services.route_to_team`` does)."""

    def __init__(self, authority, person_ids, rules=None):
        self.of_case = cases_selectors.latest_case_teams(authority, person_ids)
        self.rules = rules if rules is not None else routing_rules(authority)

    def team_id(self, person):
        if person.pk in self.of_case:
            return self.of_case[person.pk]
        for rule in self.rules:
            if tenancy_services.rule_matches(
                rule, nationalities=person.nationalities or (), surname=person.family_name
            ):
                return rule.team_id
        return None


def routing_rules(authority):
    return list(tenancy_selectors.routing_rules(authority))


def _signature(outcomes):
    return {o.rule_key: (o.result, o.rule_id, tuple(o.unmet), tuple(o.missing)) for o in outcomes}


def _previous(authority, on, person_ids):
    """``{person_id: signature}`` of these persons' checks in the authority's previous run (plain values)."""
    previous_run = ScreeningRun.objects.filter(authority=authority, on__lt=on).order_by("-on").first()
    if previous_run is None:
        return {}
    rows = CheckOutcome.objects.filter(
        authority=authority, check_run__run=previous_run, check_run__person_id__in=person_ids
    ).values_list("check_run__person_id", "rule_key", "result", "rule_id", "unmet", "missing")
    by_person = {}
    for person_id, key, result, rule_id, unmet, missing in rows:
        by_person.setdefault(person_id, {})[key] = (result, rule_id, tuple(unmet), tuple(missing))
    return by_person


def screen(authority, on, *, batch=500):
    """One screening run of ``authority`` on ``on``: one check per screened person, kept. Idempotent: the
    run of a day exists once, and a retried run only adds the checks still missing."""
    run, _created = ScreeningRun.objects.get_or_create(authority=authority, on=on)
    rules = selectors.rules()
    rows = {(r.key, r.version): r.pk for r in RuleVersion.objects.all()}
    done = set(Check.objects.filter(run=run).values_list("person_id", flat=True))
    routing = routing_rules(authority)
    ids = [pk for pk in screened_persons(authority, on).values_list("pk", flat=True) if pk not in done]
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        people = list(clients_selectors.persons(authority).filter(pk__in=chunk).order_by("pk"))
        entries, recorded = {}, {}
        for entry in clients_selectors.residence_entries_of(authority, chunk):
            entries.setdefault(entry.person_id, []).append(entry)
        for fact in Fact.objects.filter(authority=authority, person_id__in=chunk, established_on__lte=on):
            recorded.setdefault(fact.person_id, []).append(fact)
        previous = _previous(authority, on, chunk)
        teams = _Teams(authority, chunk, rules=routing)
        checks, outcomes = [], []
        for person in people:
            check, made = _check_person(
                authority,
                run,
                person,
                teams.team_id(person),
                entries.get(person.pk, []),
                recorded.get(person.pk, []),
                rules,
                rows,
                previous.get(person.pk),
            )
            checks.append(check)
            outcomes.append(made)
        with transaction.atomic():  # per batch: the checks, their ids, then their outcomes
            _insert(Check, checks)
            check_ids = dict(Check.objects.filter(run=run, person_id__in=chunk).values_list("person_id", "pk"))
            for check, made in zip(checks, outcomes, strict=True):
                for outcome in made:
                    outcome.check_run_id = check_ids[check.person_id]
            _insert(CheckOutcome, [o for made in outcomes for o in made])
    run.persons = Check.objects.filter(run=run).count()
    run.finished_at = timezone.now()
    run.save(update_fields=["persons", "finished_at"])
    _audit_run(authority, run, len(ids))
    return run


def _insert(model, objs):
    """Insert ``objs`` (unsaved; their ids are not set): on PostgreSQL by COPY – a check with its facts and
    five outcomes with three JSON lists each made Django's bulk INSERT (client-side quoting of arrays of
    JSON) half of a run's time – elsewhere by ``bulk_create``."""
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for obj in objs:
            row = [f.pre_save(obj, True) for f in fields]  # pre_save: auto_now_add fields get their time
            copy.write_row([json.dumps(v) if f.attname in json_fields else v for f, v in zip(fields, row, strict=True)])


def _audit_run(authority, run, read):
    """The job's own reads: one audit entry per run (call) naming how many persons' files it read. Every
    person read also has its ``Check`` row of this run, which keeps the facts used – the per-person trail –
    so the log does not take 200,000 rows a month (docs/rights.md, "The monthly screening")."""
    audit.record(
        authority=authority,
        action=Action.READ,
        obj=run,
        purpose="rights screening job",
        detail=f"{read} persons read (residence history and recorded facts), screening of {run.on.isoformat()}",
    )


def _check_person(authority, run, person, team_id, entries, recorded, rules, rows, previous):
    """The unsaved check of one person and its unsaved outcomes (the caller inserts them by batch)."""
    person_facts, sources = facts.build(person, entries, recorded, run.on)
    results = evaluator.evaluate(person_facts, run.on, rules)
    made = [
        CheckOutcome(
            authority=authority,
            rule_id=rows[(o.key, o.version)],
            rule_key=o.key,
            result=o.result,
            rank=evaluator.RESULT_ORDER[o.result],
            met=o.met,
            unmet=o.unmet,
            missing=o.missing,
        )
        for o in results.values()
    ]
    check = Check(
        authority=authority,
        run=run,
        person=person,
        team_id=team_id,
        on=run.on,
        best=evaluator.best(results),
        facts={"record": facts.as_record(person_facts), "sources": sources},
        changed=previous is None or previous != _signature(made),
    )
    return check, made


def screen_all(on=None):
    """The monthly job: every authority, screened on ``on`` (default today)."""
    from willkommen.tenancy.models import Authority

    on = on or timezone.localdate()
    runs = []
    for authority in Authority.objects.order_by("pk"):
        runs.append(screen(authority, on))
    return runs


# --- inviting a candidate to apply ----------------------------------------------------------------------


def _checklist(anliegen):
    """The catalogue's checklist for the rule's Anliegen, per language (items without a condition)."""
    if anliegen is None:
        return []

    def titles(language):
        return [entry.title for entry in checklist_lib.build(anliegen, {}, language).entries]

    return titles


def _links(authority, actor, person, anliegen, mode, deadline, portal_url):
    """``(template key, link, extra values, appointment invitation)`` for the chosen way to apply: the online
    application for the Anliegen, or a personal link to book an appointment for it (appointments room)."""
    from willkommen.appointments import services as appointments

    base = (portal_url or settings.SITE_URL).rstrip("/")
    if mode == InvitationMode.ONLINE:
        link = f"{base}{reverse('applications:start', args=[anliegen.slug])}" if anliegen is not None else ""
        return "rights_invitation", link, {}, None
    if anliegen is None:
        raise RightsError(_("This rule has no Anliegen in the catalogue: no appointment can be offered."))
    if deadline is None or deadline < timezone.localdate():
        raise RightsError(_("Choose a booking deadline that does not lie in the past."), "deadline")
    try:
        made = appointments.personal_link(authority, person=person, anliegen=anliegen, deadline=deadline, staff=actor)
    except appointments.InvitationRefused as error:
        raise RightsError(f"{person.full_name}: {error}") from error
    booked, token = made
    return "rights_invitation_appointment", appointments.invitation_link(token, base), {"deadline": deadline}, booked


@transaction.atomic
def invite(authority, actor, outcome, *, mode=InvitationMode.ONLINE, deadline=None, portal_url="", request=None):
    """Send the person of ``outcome`` (likely or needs data) an invitation to apply: in their language and
    channel (by letter where that is their channel), the rule explained, the catalogue's checklist for the
    legal basis and either the link to the online application (``mode="online"``) or a personal link to
    book an appointment for the rule's Anliegen until ``deadline`` (``mode="appointment"``). Once per
    outcome: a second call returns the first invitation and sends nothing. Raises RightsError for an
    unlikely outcome or an appointment that cannot be offered."""
    outcome = CheckOutcome.objects.select_for_update().select_related("check_run__person", "rule").get(pk=outcome.pk)
    if outcome.authority_id != authority.pk:
        raise RightsError(_("This person is not of this authority."))
    existing = RightsInvitation.objects.filter(outcome=outcome).first()
    if existing is not None:
        return existing, False
    if outcome.result not in (evaluator.LIKELY, evaluator.NEEDS_DATA):
        raise RightsError(_("Only likely candidates and those with missing facts are invited."))
    if mode not in InvitationMode.values:
        raise RightsError(_("Choose how the person is to apply."), "mode")
    person, rule = outcome.check_run.person, outcome.rule
    anliegen = catalogue_selectors.anliegen_list(authority).filter(slug=rule.anliegen_slug).first()
    key, link, extra, booked = _links(authority, actor, person, anliegen, mode, deadline, portal_url)
    context = {
        "name": person.full_name,
        "rule": rule.legal_basis,
        "explanation": lambda language: selectors.explanation(rule, language),
        "checklist": _checklist(anliegen),
        "link": link,
        "authority": authority.name,
        **extra,
    }
    message = messaging_services.send_template(
        authority, key, person=person, context=context, idempotency_key=f"rights-invitation:{outcome.pk}"
    )
    invitation = RightsInvitation.objects.create(
        authority=authority,
        outcome=outcome,
        person=person,
        rule=rule,
        message=message,
        mode=mode,
        appointment=booked,
        language=getattr(message, "language", person.preferred_language),
        invited_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        authority=authority,
        action=Action.CREATE,
        person_id=person.pk,
        obj=invitation,
        actor=actor,
        request=request,
        purpose="rights.invitation",
        detail=f"{rule.key} {mode}",
    )
    return invitation, True


@transaction.atomic
def invite_many(authority, actor, outcomes, *, mode=InvitationMode.ONLINE, deadline=None, portal_url="", request=None):
    """Invite the persons of several outcomes in one go (the candidate list's selection): all or nothing –
    a RightsError for one rolls back every invitation of the call. Outcomes already invited are reported,
    not sent again. Returns ``(invited, already)``: the new invitations and the earlier ones."""
    invited, already = [], []
    for outcome in outcomes:
        invitation, sent = invite(
            authority, actor, outcome, mode=mode, deadline=deadline, portal_url=portal_url, request=request
        )
        (invited if sent else already).append(invitation)
    return invited, already


def _waiting_invitation(authority_id, person_id, slug):
    """The person's newest invitation to apply for the Anliegen ``slug`` that no case answered yet."""
    if not slug or person_id is None:
        return None
    return (
        RightsInvitation.objects.filter(
            authority_id=authority_id, person_id=person_id, rule__anliegen_slug=slug, case__isnull=True
        )
        .select_related("outcome__check_run")
        .order_by("-invited_at", "-id")
        .first()
    )


def route_application(authority, person, anliegen):
    """Hook of the cases room (``opening.register_router``): a case for the Anliegen of a rule the person was
    invited to apply under goes to the team of the check that invited (None: the routing rules decide)."""
    invitation = _waiting_invitation(authority.pk, getattr(person, "pk", None), getattr(anliegen, "slug", ""))
    if invitation is None or invitation.outcome.check_run.team_id is None:
        return None
    return tenancy_selectors.teams(authority).filter(pk=invitation.outcome.check_run.team_id).first()


def link_application(case):
    """Hook of the cases room (``opening.register_opened``): a case for the Anliegen of a rule the person was
    invited to apply under is linked to the newest such invitation not yet linked."""
    invitation = _waiting_invitation(case.authority_id, case.person_id, getattr(case.anliegen, "slug", ""))
    if invitation is not None:
        RightsInvitation.objects.filter(pk=invitation.pk).update(case=case)
