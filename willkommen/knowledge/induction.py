"""Induction checklists for new staff: the authority's items (per role, in order, optionally with a work
instruction), each staff member's checklist (the items for their role) with done marks (who confirmed,
when), and how far each staff member has come."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from willkommen.accounts.roles import Role
from willkommen.audit.services import record

from . import learning
from .models import InductionItem, InductionMark, WorkInstruction
from .services import KnowledgeError

STAFF_ROLES = [role for role in Role if role not in (Role.PARTNER, Role.INTEGRATION)]


def items(authority):
    return InductionItem.objects.filter(authority=authority).select_related("instruction")


def save_item(authority, actor, *, item=None, title, description="", instruction=None, position=0, roles=()):
    if not (title or "").strip():
        raise KnowledgeError(_("Name the induction item."), "title")
    allowed = {role.value for role in STAFF_ROLES}
    roles = [str(role) for role in roles or ()]
    if any(role not in allowed for role in roles):
        raise KnowledgeError(_("Unknown role."), "roles")
    if instruction is not None and instruction.authority_id != authority.pk:
        raise KnowledgeError(_("Unknown work instruction."), "instruction")
    with transaction.atomic():
        action = "update" if item is not None else "create"
        item = item or InductionItem(authority=authority)
        item.title = title.strip()
        item.description = (description or "").strip()
        item.instruction = instruction
        item.position = position or 0
        item.roles = sorted(set(roles))
        item.save()
        record(authority=authority, action=action, obj=item, actor=actor)
    return item


def remove_item(authority, actor, pk):
    """Remove an item (and its marks). Removing twice removes once."""
    with transaction.atomic():
        item = InductionItem.objects.filter(authority=authority, pk=pk).first()
        if item is None:
            return False
        record(authority=authority, action="delete", obj=item, actor=actor)
        item.delete()
    return True


def instructions(authority):
    return WorkInstruction.objects.filter(authority=authority).order_by("title")


def checklist(authority, staff_member):
    """The items for the staff member's role, each with ``mark`` (the done mark or None)."""
    marks = {
        mark.item_id: mark
        for mark in InductionMark.objects.filter(authority=authority, staff=staff_member).select_related("confirmed_by")
    }
    found = [item for item in items(authority) if item.applies_to(staff_member.role)]
    for item in found:
        item.mark = marks.get(item.pk)
    return found


def mark_done(authority, actor, *, staff_member, item_id):
    """Mark an item done for ``staff_member``: the staff member for themself, or a holder of
    ``knowledge.edit`` for anyone of the authority. Marking twice keeps the first mark."""
    if staff_member is None or staff_member.authority_id != authority.pk:
        raise KnowledgeError(_("Unknown staff member."), "staff")
    if actor.pk != staff_member.pk and not actor.can("knowledge.edit"):
        raise KnowledgeError(_("Only the head of office can confirm items for others."), "staff")
    item = items(authority).filter(pk=item_id).first()
    if item is None or not item.applies_to(staff_member.role):
        raise KnowledgeError(_("Unknown induction item."), "item")
    try:
        with transaction.atomic():
            mark = InductionMark.objects.create(authority=authority, item=item, staff=staff_member, confirmed_by=actor)
            record(authority=authority, action="create", obj=mark, actor=actor)
    except IntegrityError:
        return InductionMark.objects.get(item=item, staff=staff_member)
    return mark


def unmark(authority, actor, *, staff_member, item_id):
    """Take a done mark back (head of office: a mistake)."""
    if staff_member is None or staff_member.authority_id != authority.pk:
        raise KnowledgeError(_("Unknown staff member."), "staff")
    with transaction.atomic():
        mark = InductionMark.objects.filter(authority=authority, staff=staff_member, item_id=item_id).first()
        if mark is not None:
            record(authority=authority, action="delete", obj=mark, actor=actor)
            mark.delete()


def progress(authority):
    """Per staff member with induction items for their role: done, total, and whether complete; the
    ones not yet complete first (new staff), then by name. Two queries."""
    all_items = list(items(authority))
    done = {}
    for staff_id, item_id in InductionMark.objects.filter(authority=authority).values_list("staff_id", "item_id"):
        done.setdefault(staff_id, set()).add(item_id)
    rows = []
    for user in learning.staff(authority).exclude(role__in=[Role.PARTNER, Role.INTEGRATION]):
        mine = {item.pk for item in all_items if item.applies_to(user.role)}
        if not mine:
            continue
        count = len(mine & done.get(user.pk, set()))
        rows.append({"staff": user, "done": count, "total": len(mine), "complete": count == len(mine)})
    return sorted(rows, key=lambda row: (row["complete"], row["staff"].last_name, row["staff"].first_name))
