"""Recording a change made on a desk page: one audit entry naming the object and what changed, old → new.

The office's set-up pages (law changes, routing rules, teams and staff, appointment offers, hours, ...)
write with ``purpose=OFFICE_SETUP``; the change history (``/desk/office/history/``) lists those entries.

Usage with a model form (take the snapshot *before* the form is validated: validation writes the new
values into the instance)::

    before = changes.snapshot(obj, form_fields)
    form = Form(request.POST, instance=obj)
    if form.is_valid():
        obj = form.save()
        changes.record_change(request, obj, Action.UPDATE, form=form, before=before)

Without a form pass ``before`` and ``after`` as ``{name: text}`` and ``labels`` as ``{name: label}``.
"""

import datetime as dt

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from .models import Action
from .services import record

OFFICE_SETUP = "office set-up"
EMPTY = "–"
MAX_DETAIL = 500


def value_text(value):
    """A value as the history shows it: "–" for nothing, yes/no, dates as ISO, lists joined."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return ", ".join(sorted(value_text(item) for item in value))
    return str(value)


def field_text(obj, name):
    """The text of one field of ``obj``: a choice by its label, a relation by its name."""
    try:
        field = obj._meta.get_field(name)
    except FieldDoesNotExist:
        return value_text(getattr(obj, name, None))
    if field.many_to_many:
        return value_text([str(item) for item in getattr(obj, name).all()]) if obj.pk else EMPTY
    if field.choices:
        return value_text(str(getattr(obj, f"get_{name}_display")()) if getattr(obj, name) not in (None, "") else "")
    return value_text(getattr(obj, name))


def snapshot(obj, names):
    """{name: text} of ``obj``'s fields ``names`` (for a form: ``list(form.fields)`` or ``form._meta.fields``)."""
    return {name: field_text(obj, name) for name in names}


def _label(obj, name, form, labels):
    if labels and name in labels:
        return str(labels[name])
    if form is not None and name in form.fields and form.fields[name].label:
        return str(form.fields[name].label)
    try:
        return str(obj._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def describe(obj, action, *, form=None, before=None, after=None, labels=None):
    """ "label: old → new; …" for the fields that changed (created: "label: new"; deleted: "label: old")."""
    before = before or {}
    if form is not None:
        names = [name for name in form.changed_data if name in before or action == Action.CREATE]
        after = {**snapshot(obj, names), **(after or {})}
    else:
        after = after or {}
        names = list(dict.fromkeys([*before, *after]))
    parts = []
    for name in names:
        old, new = before.get(name, EMPTY), after.get(name, EMPTY)
        label = _label(obj, name, form, labels)
        if action == Action.CREATE:
            if new != EMPTY:
                parts.append(f"{label}: {new}")
        elif action == Action.DELETE:
            parts.append(f"{label}: {old}")
        elif old != new:
            parts.append(f"{label}: {old} → {new}")
    text = "; ".join(parts)
    return text if len(text) <= MAX_DETAIL else text[: MAX_DETAIL - 1] + "…"


def record_change(request, obj, action, *, form=None, before=None, after=None, labels=None, purpose=OFFICE_SETUP):
    """Write one audit entry for a change of ``obj`` by ``request``'s user; returns it, or None when an
    update changed nothing."""
    detail = describe(obj, action, form=form, before=before, after=after, labels=labels)
    if action == Action.UPDATE and not detail:
        return None
    return record(authority=request.authority, action=action, obj=obj, request=request, purpose=purpose, detail=detail)
