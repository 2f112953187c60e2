"""Expiries as dated entries of the residence history: a nightly job writes "validity ended" for every
title, visa, Duldung, Gestattung or certificate that ran out and was not followed by anything (another
entry reaching further, a refusal, an end), so the timeline says what happened on that day.

Set-based: one query finds the candidates of the last ``lookback_days`` (the job catches up after a
pause), each written through ``services.record_residence`` with ``source_ref = "expired:<entry>"`` –
unique per authority, so a repeated run writes nothing twice. Whether § 81 keeps the rights alive
meanwhile is the case's question (cases/fiction.py), not the history's: the entry says only that the
document's validity ended.
"""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from .models import ResidenceEntry, ResidenceKind, ResidenceSource

EXPIRING_KINDS = (
    ResidenceKind.VISA,
    ResidenceKind.SCHENGEN,
    ResidenceKind.TITLE,
    ResidenceKind.DULDUNG,
    ResidenceKind.GESTATTUNG,
    ResidenceKind.FICTION,
)


def expired_without_follow_up(on, *, lookback_days=60, authority=None):
    """Entries that ended before ``on`` (at most ``lookback_days`` ago) with nothing after them."""
    later = ResidenceEntry.objects.filter(
        authority_id=OuterRef("authority_id"), person_id=OuterRef("person_id")
    ).filter(
        Q(valid_to__gt=OuterRef("valid_to"))
        | Q(valid_to__isnull=True, valid_from__gt=OuterRef("valid_from"))
        | Q(valid_to__isnull=True, valid_from__isnull=True)
    )
    qs = ResidenceEntry.objects.filter(
        kind__in=EXPIRING_KINDS,
        valid_to__lt=on,
        valid_to__gte=on - timedelta(days=lookback_days),
        person__merged_into__isnull=True,
    ).filter(~Exists(later))
    if authority is not None:
        qs = qs.filter(authority=authority)
    return qs.select_related("person").order_by("authority_id", "person_id", "valid_to")


def record_expiries(on=None, *, lookback_days=60, authority=None):
    """Write the "validity ended" entries due on ``on`` (default today); returns how many were written."""
    from django.db import transaction
    from django.utils import translation

    from .services import record_residence

    on = on or timezone.localdate()
    written = 0
    for entry in expired_without_follow_up(on, lookback_days=lookback_days, authority=authority).iterator():
        with transaction.atomic(), translation.override("de"):  # the note is for the office, in German
            record_residence(
                entry.person,
                kind=ResidenceKind.EXPIRED,
                valid_from=entry.valid_to + timedelta(days=1),
                legal_basis=entry.legal_basis,
                document_number=entry.document_number,
                note=entry.get_kind_display(),
                source=ResidenceSource.EXPIRY,
                source_ref=f"expired:{entry.pk}",
            )
        written += 1  # a written entry follows its expiry, so the next run no longer finds it
    return written
