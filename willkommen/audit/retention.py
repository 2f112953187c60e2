"""Retention as one mechanism for every room: a room declares its job and the periods it applies, and
every run is recorded per authority (:class:`RetentionRun`: room, started, finished, rows deleted per kind).

A room registers its job in its ``AppConfig.ready()``::

    retention.register(retention.Job(room="appointments", label=_("Bookings"), periods=(...), apply=apply))

``apply(authority, now, tally)`` deletes what is past its period *as of* ``now`` – through
:func:`delete_in_batches`, so every batch is its own short transaction and a large table never holds
a long lock. Jobs are idempotent: a rerun, or a run after a crash in the middle, finds only what is
left. The periods are settings (``settings.py``, each explained where declared); the desk page
``/desk/audit/retention/`` lists them with their legal source and the recorded runs.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from .models import RetentionRun, RunStatus

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Period:
    """One retention period: the setting that holds it, what it deletes, and where it comes from."""

    setting: str
    unit: str  # "days" or "years"
    applies_to: object  # lazy translated text: what goes when the period is over
    source: object  # lazy translated text: the legal source, or the reasoning where the law names none

    @property
    def value(self):
        return getattr(settings, self.setting)


@dataclass(frozen=True)
class Job:
    room: str
    label: object
    apply: Callable  # (authority, now, tally) -> None
    periods: tuple = ()
    order: int = 50  # the order of ``run_all``: persons last, after every room has deleted its own rows


_jobs: dict[str, Job] = {}


def register(job):
    """Add (or replace) a room's retention job. Called from the room's ``AppConfig.ready()``."""
    _jobs[job.room] = job
    return job


def jobs():
    return sorted(_jobs.values(), key=lambda job: (job.order, job.room))


def get_job(room):
    return _jobs[room]


class Tally:
    """Counts what one run deleted, kind by kind (``app_label.model``), and writes the counts to its
    :class:`RetentionRun` as they grow, so a run that dies half-way still shows what it did."""

    def __init__(self, run):
        self.run = run

    def add(self, kind, number):
        if not number:
            return
        self.run.deleted[kind] = self.run.deleted.get(kind, 0) + number
        RetentionRun.objects.filter(pk=self.run.pk).update(deleted=self.run.deleted)

    def add_all(self, counts):
        for kind, number in counts.items():
            self.add(kind, number)


def _delete_files(names):
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:  # already gone, or the storage is unreachable: the row is gone either way
            log.warning("retention: could not delete stored file %s", name)


def delete_in_batches(queryset, tally, *, file_names=None, batch_size=None):
    """Delete the rows of ``queryset`` in batches of ``RETENTION_BATCH_SIZE``, each batch one transaction,
    and count what went per kind (cascades included). ``file_names(ids)`` returns the storage names of
    files that belong to those rows; they are deleted after the batch committed."""
    batch_size = batch_size or settings.RETENTION_BATCH_SIZE
    model = queryset.model
    total = 0
    while True:
        ids = list(queryset.order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            return total
        with transaction.atomic():
            names = [name for name in (file_names(ids) if file_names else []) if name]
            _count, per_model = model._base_manager.filter(pk__in=ids).delete()
            if names:
                transaction.on_commit(partial(_delete_files, names))
        tally.add_all({label.lower(): number for label, number in per_model.items()})
        total += len(ids)


def run_job(room, *, now=None, authorities=None):
    """Run one room's job for every authority (or the given ones); returns the recorded runs. A failure at
    one authority is recorded and does not stop the others; the first one is raised at the end, so the
    job shows as failed and Huey retries it (safe: the job is idempotent)."""
    from willkommen.tenancy.models import Authority

    job = get_job(room)
    now = now or timezone.now()
    runs, errors = [], []
    for authority in authorities if authorities is not None else Authority.objects.order_by("pk"):
        try:
            runs.append(_run_one(job, authority, now))
        except Exception as error:
            errors.append(error)
    if errors:
        raise errors[0]
    return runs


def _run_one(job, authority, now):
    run = RetentionRun.objects.create(authority=authority, room=job.room, as_of=now, started_at=timezone.now())
    try:
        job.apply(authority, now, Tally(run))
    except Exception as error:
        run.status = RunStatus.FAILED
        RetentionRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, finished_at=timezone.now(), error=repr(error)[:500]
        )
        log.exception("retention job %s failed for %s", job.room, authority.slug)
        raise
    run.status = RunStatus.DONE
    run.finished_at = timezone.now()
    RetentionRun.objects.filter(pk=run.pk).update(status=run.status, finished_at=run.finished_at)
    return run


def run_all(*, now=None, authorities=None):
    """Every registered job, persons last (``manage.py retention``)."""
    return [run for job in jobs() for run in run_job(job.room, now=now, authorities=authorities)]


def settings_documented(path=None):
    """The period settings of all jobs that are not explained where ``settings.py`` declares them
    (a comment line starting with ``# NAME``) – used by a test so that no period is undocumented."""
    from pathlib import Path

    text = Path(path or Path(settings.BASE_DIR) / "willkommen" / "settings.py").read_text()
    lines = [line.strip() for line in text.splitlines()]
    missing = []
    for job in jobs():
        for period in job.periods:
            documented = any(line.startswith("#") and period.setting in line for line in lines)
            declared = any(line.startswith(f"{period.setting} =") for line in lines)
            if not (documented and declared):
                missing.append(period.setting)
    return missing
