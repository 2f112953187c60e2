"""Commands of the rights room: recording a fact on a person, the monthly screening run."""

import datetime as dt
import json
import logging

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from willkommen.audit import services as audit
from willkommen.audit.models import Action
from willkommen.cases import selectors as cases_selectors
from willkommen.clients import selectors as clients_selectors
from willkommen.clients.models import ResidenceKind
from willkommen.efile import selectors as efile_selectors
from willkommen.tenancy import selectors as tenancy_selectors
from willkommen.tenancy import services as tenancy_services

from . import evaluator, facts, selectors
from .errors import RightsError
from .models import (
    Check,
    CheckOutcome,
    Fact,
    FactKind,
    FactSource,
    RuleVersion,
    ScreeningRun,
)

log = logging.getLogger(__name__)


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


# invitations to apply live in invitations.py; their names stay importable from here
from .invitations import invite, invite_many, link_application, route_application  # noqa: E402, F401
