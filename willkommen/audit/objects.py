"""Hook: how the audit log names its objects ("Vorgang ABH-2026-000017", "Yilmaz, Ayşe"), not "cases.case 17".

An entry keeps the object as ``object_type`` (``app.model``) and ``object_id``; the audit room knows no
room above it. Each room registers, in its ``AppConfig.ready()``, one function per object type it
writes into the log: ``describe(authority, ids) -> {id: text}`` (ids as the strings the entries keep),
answering for many ids with one query. ``describe_entries`` resolves a page of entries with one call per
object type, so the page costs a query per type, never one per entry. Without a registration (or for a
row deleted since) the entry is named by the model's name in the reader's language and its number.
"""

from django.apps import apps

_describers = {}

PERSON = "clients.person"  # a reference by name: the audit room knows no clients room


def register(object_type, describe):
    """``object_type``: ``app_label.model_name`` in lower case, as ``AuditEntry.object_type`` keeps it."""
    _describers[object_type.lower()] = describe


def registered():
    return set(_describers)


def model_name(object_type):
    """The model's name in the reader's language ("Vorgang"), or the type as it is when unknown."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return str(model._meta.verbose_name)


def fallback(object_type, object_id):
    return f"{model_name(object_type)} {object_id}".strip()


def describe(authority, object_type, ids):
    """{id: text} for ``ids`` of one type; ids the room does not name (or deleted rows) get the fallback."""
    ids = {str(i) for i in ids if i not in (None, "")}
    if not ids:
        return {}
    names = {}
    describer = _describers.get(object_type)
    if describer is not None:
        names = {str(key): str(text) for key, text in (describer(authority, sorted(ids)) or {}).items() if text}
    return {i: names.get(i) or fallback(object_type, i) for i in ids}


def describe_entries(authority, entries):
    """Sets ``object_label`` and ``person_label`` on each entry; one call per object type."""
    wanted = {}
    for entry in entries:
        if entry.object_type:
            wanted.setdefault(entry.object_type, set()).add(entry.object_id)
        if entry.person_id is not None:
            wanted.setdefault(PERSON, set()).add(str(entry.person_id))
    names = {object_type: describe(authority, object_type, ids) for object_type, ids in wanted.items()}
    for entry in entries:
        entry.object_label = names.get(entry.object_type, {}).get(entry.object_id, "") if entry.object_type else ""
        entry.person_label = "" if entry.person_id is None else names[PERSON].get(str(entry.person_id), "")
    return entries


def int_ids(ids):
    """The ids that are numbers (a describer's query takes these; anything else cannot be a primary key)."""
    return [int(i) for i in ids if str(i).isdigit()]
