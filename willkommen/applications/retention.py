"""Retention of online applications: drafts nobody finished are deleted with their files.

Its own module so that the nightly job reads it without importing the commands (which enqueue jobs)."""

import datetime as dt

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from .models import Application, ApplicationStatus


def abandoned_drafts(now=None, authority=None):
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.APPLICATION_DRAFT_RETENTION_DAYS)
    drafts = Application.objects.filter(status=ApplicationStatus.DRAFT, updated_at__lt=cutoff)
    return drafts.filter(authority=authority) if authority is not None else drafts


def delete_abandoned_drafts(now=None, *, dry_run=True, authority=None, tally=None):
    """Delete drafts untouched for APPLICATION_DRAFT_RETENTION_DAYS with their files. Returns a report
    (ids, counts; never the content); ``tally`` (of a recorded retention run) counts what went."""
    from willkommen.audit.services import record

    report = []
    for app in abandoned_drafts(now, authority).select_related("authority"):
        uploads = list(app.uploads.all())
        report.append({"application": str(app.public_id), "authority": app.authority.slug, "files": len(uploads)})
        if dry_run:
            continue
        with transaction.atomic():
            names = [u.storage_name for u in uploads]
            record(
                authority=app.authority,
                action="delete",
                obj=app,
                purpose="retention: abandoned draft",
                detail=f"{len(names)} files",
            )
            _n, counts = app.delete()
            transaction.on_commit(lambda names=names: [default_storage.delete(n) for n in names])
        if tally is not None:
            tally.add_all({label.lower(): number for label, number in counts.items()})
    return report
