"""The facts of a person for the evaluator, from the file: the residence history gives the status, since
when it runs and the stay with its gaps; the caseworker's recorded facts (``Fact``) give the rest. A fact
never entered stays ``None``: missing, never assumed.

``from_history`` and ``from_recorded`` are pure (they take rows already loaded), so the monthly run
loads the rows of many persons in a few queries and a test can feed them plain values.
"""

import dataclasses
import datetime as dt

from willkommen.clients import selectors as clients_selectors
from willkommen.clients.models import ResidenceKind

from . import evaluator
from .models import Fact

ONE_DAY = dt.timedelta(days=1)

# What counts as stay with permit, Duldung or Gestattung (an entry or a Schengen visa does not).
STAY_KINDS = {
    ResidenceKind.TITLE,
    ResidenceKind.SETTLEMENT,
    ResidenceKind.VISA,
    ResidenceKind.DULDUNG,
    ResidenceKind.GESTATTUNG,
    ResidenceKind.FICTION,
    ResidenceKind.EU,
}
STATUS_OF_KIND = {
    ResidenceKind.DULDUNG: "duldung",
    ResidenceKind.GESTATTUNG: "gestattung",
    ResidenceKind.TITLE: "permit",
    ResidenceKind.SETTLEMENT: "permit",
    ResidenceKind.VISA: "permit",
    ResidenceKind.EU: "permit",
    ResidenceKind.FICTION: "permit",
}
RESIDENCE_FIELDS = ("status", "status_since", "stay_since", "gaps")
RECORDED_FIELDS = tuple(
    f.name for f in dataclasses.fields(evaluator.Facts) if f.name not in ("born", *RESIDENCE_FIELDS)
)


def _status(entry):
    if entry.kind == ResidenceKind.TITLE and "104c" in (entry.legal_basis or ""):
        return "permit_104c"
    return STATUS_OF_KIND.get(entry.kind, "none")


def _runs_on(entry, on):
    return entry.valid_from is not None and entry.valid_from <= on and (entry.valid_to is None or on <= entry.valid_to)


def from_history(entries, on):
    """``{status, status_since, stay_since, gaps}`` from a person's residence entries (any order).

    Status: the newest stay entry running on ``on`` (none: ``none``); it has run since the start of the
    unbroken chain of entries of the same status before it. Stay: the entries of ``STAY_KINDS`` up to
    ``on`` merged; ``stay_since`` the first start; a gap is ``[end of one, start of the next]`` where at
    least a day lies between them. Entries without a start are not counted (their time is unknown)."""
    dated = sorted(
        (e for e in entries if e.kind in STAY_KINDS and e.valid_from is not None and e.valid_from <= on),
        key=lambda e: (e.valid_from, e.valid_to or dt.date.max),
    )
    running = [e for e in dated if _runs_on(e, on)]
    if running:
        current = max(running, key=lambda e: (e.valid_from, e.pk or 0))
        status = _status(current)
        since = current.valid_from
        same = [e for e in dated if _status(e) == status and e.valid_from < since]
        for entry in reversed(same):
            if entry.valid_to is None or entry.valid_to >= since - ONE_DAY:
                since = min(since, entry.valid_from)
        status_since = since
    else:
        status, status_since = "none", None
    stay_since, gaps, end = None, [], None
    for entry in dated:
        until = min(entry.valid_to or on, on)
        if stay_since is None:
            stay_since, end = entry.valid_from, until
            continue
        if entry.valid_from > end + ONE_DAY:
            gaps.append((end, entry.valid_from))
        end = max(end, until)
    return {"status": status, "status_since": status_since, "stay_since": stay_since, "gaps": gaps}


def latest_recorded(facts, on):
    """The newest recorded fact of each kind established by ``on``: ``{kind: Fact}``."""
    chosen = {}
    for fact in sorted(facts, key=lambda f: (f.established_on, f.pk or 0)):
        if fact.established_on <= on:
            chosen[fact.kind] = fact
    return chosen


def build(person, entries, recorded, on):
    """``(Facts, sources)`` for one person; ``sources`` says where each recorded fact came from."""
    values = {"born": person.date_of_birth, **from_history(entries, on)}
    latest = latest_recorded(recorded, on)
    sources = {}
    for kind, fact in latest.items():
        values[kind] = fact.value
        sources[kind] = {
            "source": fact.source,
            "established_on": fact.established_on.isoformat(),
            "document": fact.document_id,
            "fact": fact.pk,
        }
    return evaluator.Facts(**values), sources


def facts_of(person, on):
    """The facts of one person on ``on``, read from the database."""
    entries = list(clients_selectors.residence_entries_of(person.authority, [person.pk]))
    recorded = list(Fact.objects.filter(authority_id=person.authority_id, person=person, established_on__lte=on))
    return build(person, entries, recorded, on)


def as_record(facts):
    """Facts in the JSON record format of docs/rights.md (``rights_screen`` reads it back)."""
    record = {}
    for field in dataclasses.fields(facts):
        value = getattr(facts, field.name)
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif field.name == "gaps" and value is not None:
            value = [[a.isoformat(), b.isoformat()] for a, b in value]
        record[field.name] = value
    return record
