"""Sharing across the authorities on the platform: an authority publishes an instruction, a text block or
a country note; another adopts it – a copy it owns and changes like its own, which remembers its source
and the version (for notes: the time of the last change) it was taken from, so the copy shows when the
original has changed since. This is the one place where the room reads other authorities' rows, and it
reads only what they published."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from willkommen.audit.services import record
from willkommen.catalogue.selectors import anliegen_list

from . import versions
from .models import CountryNote, CountryNoteShare, InstructionVersion, TextBlock, TextBlockVersion, WorkInstruction
from .services import KnowledgeError

KINDS = ("instruction", "block", "note")


def published_elsewhere(authority):
    """What the other authorities published: {"instruction": [...], "block": [...], "note": [...]}."""
    return {
        "instruction": list(
            WorkInstruction.objects.filter(published=True).exclude(authority=authority).select_related("authority")
        ),
        "block": list(
            TextBlock.objects.filter(published=True).exclude(authority=authority).select_related("authority")
        ),
        "note": list(
            CountryNote.objects.filter(share__published=True).exclude(authority=authority).select_related("authority")
        ),
    }


def get_published(authority, kind, pk):
    """One published object of another authority, or None."""
    if kind == "instruction":
        qs = WorkInstruction.objects.filter(published=True)
    elif kind == "block":
        qs = TextBlock.objects.filter(published=True)
    elif kind == "note":
        qs = CountryNote.objects.filter(share__published=True)
    else:
        return None
    return qs.exclude(authority=authority).select_related("authority").filter(pk=pk).first()


def adopted_sources(authority):
    """{kind: set of source ids} this authority already adopted."""
    return {
        "instruction": set(
            WorkInstruction.objects.filter(authority=authority, source__isnull=False).values_list("source", flat=True)
        ),
        "block": set(
            TextBlock.objects.filter(authority=authority, source__isnull=False).values_list("source", flat=True)
        ),
        "note": set(
            CountryNoteShare.objects.filter(note__authority=authority, source__isnull=False).values_list(
                "source", flat=True
            )
        ),
    }


def _own_anliegen(authority, anliegen):
    if anliegen is None:
        return None
    return next((a for a in anliegen_list(authority) if a.slug == anliegen.slug), None)


def _instruction_body(source):
    current = InstructionVersion.objects.get(instruction=source, number=source.version)
    return {field: getattr(current, field) for field in versions.INSTRUCTION_FIELDS}


def _block_text(source):
    return TextBlockVersion.objects.get(block=source, number=source.version).text


def adopt(authority, actor, kind, source):
    """A copy of ``source`` (published by another authority) owned by ``authority``; adopting twice
    returns the first copy."""
    if source is None or source.authority_id == authority.pk:
        raise KnowledgeError(_("This entry cannot be adopted."))
    with transaction.atomic():
        if kind == "instruction":
            copy = WorkInstruction.objects.filter(authority=authority, source=source).first()
            if copy is None:
                copy = versions.save_instruction(
                    authority,
                    actor,
                    title=source.title,
                    legal_basis=source.legal_basis,
                    anliegen=_own_anliegen(authority, source.anliegen),
                    **_instruction_body(source),
                )
                WorkInstruction.objects.filter(pk=copy.pk).update(source=source, source_version=source.version)
        elif kind == "block":
            copy = TextBlock.objects.filter(authority=authority, source=source).first()
            if copy is None:
                copy = versions.save_block(
                    authority,
                    actor,
                    title=source.title,
                    legal_basis=source.legal_basis,
                    outcome=source.outcome,
                    kind=source.kind,
                    text=_block_text(source),
                )
                TextBlock.objects.filter(pk=copy.pk).update(source=source, source_version=source.version)
        elif kind == "note":
            copy = CountryNote.objects.filter(authority=authority, share__source=source).first()
            if copy is None:
                copy = _adopt_note(authority, actor, source)
        else:
            raise KnowledgeError(_("This entry cannot be adopted."))
    copy.refresh_from_db()
    return copy


def _adopt_note(authority, actor, source):
    if CountryNote.objects.filter(authority=authority, country=source.country).exists():
        raise KnowledgeError(_("There is already a note for this country."))
    fields = ("country", "passports", "embassies", "cooperation", "deportation_bans", "sources", "as_of")
    note = CountryNote(authority=authority, updated_by=actor, **{f: getattr(source, f) for f in fields})
    try:
        with transaction.atomic():
            note.save()
            CountryNoteShare.objects.create(note=note, source=source, source_updated_at=source.updated_at)
    except IntegrityError as error:
        raise KnowledgeError(_("There is already a note for this country.")) from error
    record(authority=authority, action="create", obj=note, actor=actor)
    return note


def source_change(obj):
    """How the original of an adopted copy changed since: None (not adopted, or unchanged), or a dict
    with the source's authority and, for instructions and blocks, the version adopted and the current."""
    if isinstance(obj, CountryNote):
        share = CountryNoteShare.objects.filter(note=obj).select_related("source__authority").first()
        if share is None or share.source is None:
            return None
        if share.source_updated_at and share.source.updated_at > share.source_updated_at:
            return {"authority": share.source.authority, "changed_at": share.source.updated_at}
        return None
    source = obj.source
    if source is None or obj.source_version is None or source.version <= obj.source_version:
        return None
    return {"authority": source.authority, "adopted": obj.source_version, "current": source.version}


def take_over(authority, actor, obj):
    """Take the original's current text into the copy (a new version of the copy)."""
    if obj.authority_id != authority.pk or getattr(obj, "source", None) is None:
        raise KnowledgeError(_("This entry was not adopted."))
    source = obj.source
    with transaction.atomic():
        if isinstance(obj, WorkInstruction):
            obj = versions.save_instruction(
                authority,
                actor,
                instruction=obj,
                title=obj.title,
                legal_basis=obj.legal_basis,
                anliegen=obj.anliegen,
                published=obj.published,
                **_instruction_body(source),
            )
        else:
            obj = versions.save_block(
                authority,
                actor,
                block=obj,
                title=obj.title,
                legal_basis=obj.legal_basis,
                outcome=obj.outcome,
                kind=obj.kind,
                text=_block_text(source),
                published=obj.published,
            )
        type(obj).objects.filter(pk=obj.pk).update(source_version=source.version)
    obj.refresh_from_db()
    return obj


def set_note_published(authority, actor, note, published):
    if note.authority_id != authority.pk:
        raise KnowledgeError(_("Unknown entry."))
    CountryNoteShare.objects.update_or_create(note=note, defaults={"published": published})
    record(authority=authority, action="update", obj=note, actor=actor)
