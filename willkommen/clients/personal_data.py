"""One registry of the personal data every room holds about a person: the hook behind the copy of a
person's data (GDPR Art. 15) and behind deleting a person when nothing keeps them any more.

A room that stores rows about a person registers one :class:`Contributor` in its
``AppConfig.ready()`` (rooms of the ground – audit, letters – know no domain room: the clients room
registers their contributors for them). A new room plugs in with that one registration:

    personal_data.register(personal_data.Contributor(
        key="consents", label=_("Consents"), models=("partners.Consent",),
        export=export, erase=erase, keeps=keeps))

- ``export(authority, person) -> Section``: the room's rows about the person (tables of plain values)
  and the stored files that belong to them; tables of internal working (notes, decision drafts) are
  named in ``Section.internal`` and left out of the client's self-service copy; tables that only holders
  of a capability may read are named in ``Section.restricted``.
- ``erase(authority, person_ids) -> {kind: count}``: delete the room's rows of these persons (called
  inside one transaction per batch; stored files are deleted after commit).
- ``keeps(authority, person_ids, now) -> ids``: the persons this room still needs as of ``now`` – an
  open matter (an open case, an active booking, a current placement, a draft in progress, a message not
  yet delivered) or records still inside the room's own retention period. A kept person is never deleted.
- ``released(authority) -> ids`` (rare): persons whose retention ended in this room and who go at once
  when no other room keeps them (the e-file after its archive period).

``uncovered_models()`` lists every model that points at a person (found through Django's relation
metadata) without a contributor naming it: a test fails on it, so a new room cannot forget the export.
"""

import datetime as dt
import decimal
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.db.models.fields.files import FieldFile

PERSON_MODEL = "clients.Person"


@dataclass
class ExportFile:
    """A stored file in the copy: ``name`` inside the room's folder, ``storage_name`` in the default storage."""

    name: str
    storage_name: str
    internal: bool = False  # see Section.internal
    sha256: str = ""  # the checksum recorded when the file was stored: the copy says whether it still matches


@dataclass
class Section:
    tables: dict = field(default_factory=dict)  # {"bookings": [{...}, ...]}
    files: list = field(default_factory=list)  # [ExportFile]
    # Tables of the office's internal working (notes, decision drafts): in the copy the office makes (to be
    # reviewed under GDPR Art. 23 / § 29 VwVfG before it is handed over), not in the client's self-service copy.
    internal: set = field(default_factory=set)
    # Tables only staff with a capability may read ({table: capability}, e.g. needs for protection: only the
    # accommodation team). The client's own copy holds them (Art. 15); a copy made by staff without the
    # capability names them with their number of rows only, so it is clear that something was withheld.
    restricted: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Contributor:
    key: str
    label: object  # lazy translated text
    models: tuple  # labels ("app.Model") of the models whose rows this contributor exports and erases
    export: Callable
    erase: Callable | None = None
    keeps: Callable | None = None
    released: Callable | None = None


_registry: dict[str, Contributor] = {}


def register(contributor):
    """Add (or replace, by key) a room's contributor."""
    _registry[contributor.key] = contributor
    return contributor


def contributors():
    return list(_registry.values())


def covered_models():
    return {label.lower() for c in _registry.values() for label in c.models}


def models_pointing_at_person(candidates=None):
    """Every model with a foreign key, one-to-one or many-to-many field to the person."""
    person = apps.get_model(PERSON_MODEL)
    found = []
    for model in candidates if candidates is not None else apps.get_models():
        for model_field in model._meta.get_fields(include_hidden=True):
            if model_field.auto_created and not model_field.concrete:
                continue  # reverse relations
            if getattr(model_field, "related_model", None) is person and model_field.is_relation:
                found.append(model)
                break
    return found


def uncovered_models(candidates=None):
    covered = covered_models()
    return sorted(m._meta.label for m in models_pointing_at_person(candidates) if m._meta.label_lower not in covered)


def erase_order():
    """Contributors in an order that deletes referring rows first: a contributor whose models point at
    another contributor's models erases before it (letters before cases, cases before the person)."""
    items = [c for c in _registry.values() if c.erase is not None]
    owner = {label.lower(): c.key for c in items for label in c.models}
    after = {c.key: set() for c in items}  # key -> keys that must erase before it
    for c in items:
        for label in c.models:
            for model_field in apps.get_model(label)._meta.concrete_fields:
                if not model_field.is_relation or model_field.related_model is None:
                    continue
                if c.key == owner.get("clients.person") and model_field.remote_field.on_delete is models.SET_NULL:
                    continue  # the person goes last: its rows' references upwards (residence entry → case) never block

                target = owner.get(model_field.related_model._meta.label_lower)
                if target and target != c.key:
                    after[target].add(c.key)
    ordered, done = [], set()
    pending = [c.key for c in items]
    while pending:
        ready = [key for key in pending if after[key] <= done] or pending[:1]  # a cycle: registration order
        key = ready[0]
        ordered.append(_registry[key])
        done.add(key)
        pending.remove(key)
    return ordered


# --- turning rows into plain values -------------------------------------------------------------------------

NEVER_EXPORTED = {"search_vector"}


def _plain(value):
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def rows(queryset, *, exclude=()):
    """All stored fields of each row (foreign keys as ids, choices also as their label), minus ``exclude``
    (secrets such as token hashes, which say nothing about the person)."""
    skip = set(exclude) | NEVER_EXPORTED
    result = []
    model_fields = [f for f in queryset.model._meta.concrete_fields if f.name not in skip and f.attname not in skip]
    for obj in queryset.iterator(chunk_size=500):
        row = {}
        for model_field in model_fields:
            value = model_field.value_from_object(obj)
            row[model_field.attname] = _plain(value)
            if model_field.choices and not isinstance(model_field, models.ForeignKey):
                row[f"{model_field.name}_display"] = str(getattr(obj, f"get_{model_field.name}_display")())
        result.append(row)
    return result
