"""The case's timeline: every transition, note, document, message and letter is one line."""

from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import CaseError
from .models import TimelineEntry, TimelineKind
from .permissions import require_capability


def _actor_label(actor):
    if actor is None:
        return "system"
    return f"{actor.display_name} ({actor.get_role_display()})"


def add_entry(case, kind, *, actor=None, text="", from_status="", to_status="", data=None, at=None):
    return TimelineEntry.objects.create(
        authority_id=case.authority_id,
        case=case,
        at=at or timezone.now(),
        kind=kind,
        actor=actor,
        actor_label=_actor_label(actor),
        from_status=from_status,
        to_status=to_status,
        text=text or "",
        data=data or {},
    )


def add_note(case, actor, text):
    text = (text or "").strip()
    if not text:
        raise CaseError(_("Please write a note."))
    if len(text) > 5000:
        raise CaseError(_("The note is too long (at most 5,000 characters)."))
    require_capability(actor, "cases.work", case)
    return add_entry(case, TimelineKind.NOTE, actor=actor, text=text)


def record_document(case, document, actor=None):
    """Called when a document for the case arrives (e.g. by the e-file): a line on the timeline."""
    title = getattr(document, "title", "") or getattr(document, "original_name", "") or str(document)
    return add_entry(
        case, TimelineKind.DOCUMENT, actor=actor, text=title, data={"document_id": getattr(document, "pk", None)}
    )
