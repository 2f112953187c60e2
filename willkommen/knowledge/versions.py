"""Commands for work instructions and text blocks: every save is a new version (the old ones stay, a
decision keeps pointing at the version it used); a change in the law marks the instructions and blocks
of its legal basis for review until someone saves or confirms them."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from willkommen.audit.services import record

from . import placeholders
from .models import BlockKind, InstructionVersion, TextBlock, TextBlockVersion, WorkInstruction
from .services import KnowledgeError

INSTRUCTION_FIELDS = ("checks", "documents", "pitfalls", "legal_links")


def _clean(text):
    return (text or "").strip()


def _basis(value):
    basis = _clean(value)
    if not basis:
        raise KnowledgeError(_("Name the legal basis."), "legal_basis")
    return basis


def save_instruction(authority, actor, *, instruction=None, title, legal_basis, anliegen=None, published=False, **body):
    """Create an instruction or save a new version of it (``body``: INSTRUCTION_FIELDS). Saving clears a
    pending review."""
    if not _clean(title):
        raise KnowledgeError(_("Give a title."), "title")
    if not _clean(body.get("checks")):
        raise KnowledgeError(_("Say what to check."), "checks")
    if anliegen is not None and anliegen.authority_id != authority.pk:
        raise KnowledgeError(_("Unknown Anliegen."), "anliegen")
    with transaction.atomic():
        if instruction is None:
            instruction = WorkInstruction(authority=authority, version=0)
        else:
            instruction = WorkInstruction.objects.select_for_update().get(pk=instruction.pk, authority=authority)
        created = instruction.pk is None
        instruction.title, instruction.legal_basis = _clean(title), _basis(legal_basis)
        instruction.anliegen, instruction.published = anliegen, published
        instruction.version += 1
        instruction.needs_review, instruction.review_reason = False, ""
        instruction.save()
        InstructionVersion.objects.create(
            authority=authority,
            instruction=instruction,
            number=instruction.version,
            created_by=actor,
            **{field: _clean(body.get(field)) for field in INSTRUCTION_FIELDS},
        )
        record(authority=authority, action="create" if created else "update", obj=instruction, actor=actor)
    return instruction


def save_block(authority, actor, *, block=None, title, legal_basis, outcome, kind, text, published=False):
    """Create a text block or save a new version of it; only the fixed placeholders are allowed."""
    from willkommen.cases.models import Outcome

    if not _clean(title):
        raise KnowledgeError(_("Give a title."), "title")
    if outcome not in Outcome.values:
        raise KnowledgeError(_("Choose grant, partial grant or refusal."), "outcome")
    if kind not in BlockKind.values:
        raise KnowledgeError(_("Choose the part of the decision."), "kind")
    if not _clean(text):
        raise KnowledgeError(_("Write the text."), "text")
    wrong = placeholders.unknown(text)
    if wrong:
        raise KnowledgeError(
            _("Unknown placeholder: %(names)s. Allowed: %(allowed)s.")
            % {"names": ", ".join(wrong), "allowed": ", ".join(placeholders.PLACEHOLDERS)},
            "text",
        )
    with transaction.atomic():
        if block is None:
            block = TextBlock(authority=authority, version=0)
        else:
            block = TextBlock.objects.select_for_update().get(pk=block.pk, authority=authority)
        created = block.pk is None
        block.title, block.legal_basis, block.outcome, block.kind = _clean(title), _basis(legal_basis), outcome, kind
        block.published = published
        block.version += 1
        block.needs_review, block.review_reason = False, ""
        block.save()
        TextBlockVersion.objects.create(
            authority=authority, block=block, number=block.version, text=_clean(text), created_by=actor
        )
        record(authority=authority, action="create" if created else "update", obj=block, actor=actor)
    return block


def confirm_reviewed(authority, actor, obj):
    """The instruction or block was checked against the new law and stays as it is."""
    if obj.authority_id != authority.pk:
        raise KnowledgeError(_("Unknown entry."))
    if obj.needs_review:
        type(obj).objects.filter(pk=obj.pk, authority=authority).update(needs_review=False, review_reason="")
        obj.needs_review, obj.review_reason = False, ""
        record(authority=authority, action="update", obj=obj, actor=actor)
    return obj


def mark_for_review(authority_id, legal_basis, changed_on, note=""):
    """A change in the law for ``legal_basis``: its instructions and text blocks need a review.
    Returns how many were marked."""
    basis = _clean(legal_basis)
    if not basis:
        return 0
    if isinstance(changed_on, str):  # a row created with an ISO string, before the database made it a date
        changed_on = date.fromisoformat(changed_on)
    reason = f"{changed_on:%d.%m.%Y}: {note}".strip().rstrip(":")[:300]
    marked = 0
    for model in (WorkInstruction, TextBlock):
        marked += model.objects.filter(authority_id=authority_id, legal_basis__iexact=basis).update(
            needs_review=True, review_reason=reason
        )
    return marked


def on_legal_change(sender, instance, created, **kwargs):
    """post_save of ``cases.LegalChange`` (registered in apps.py), whoever records it."""
    if created:
        mark_for_review(instance.authority_id, instance.legal_basis, instance.changed_on, instance.note)
