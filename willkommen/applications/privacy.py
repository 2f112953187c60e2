"""The applications room's share of data protection: a person's online applications and drafts (with the
uploads not yet in the e-file) in the Art. 15 copy; erasing them with the person; keeping a person while a
draft is in progress; and the retention job for abandoned drafts (APPLICATION_DRAFT_RETENTION_DAYS).

A draft is linked to a person only when it is submitted. Until then it is the person's draft when its
personal data carry the same e-mail address, family name and date of birth (the three together, so a
family sharing an address never sees another member's draft)."""

import datetime as dt
import unicodedata

from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from willkommen.audit import retention
from willkommen.clients import personal_data
from willkommen.clients.personal_data import ExportFile, Section, rows

from .models import Application, ApplicationStatus, ApplicationUpload

SECRETS = ("sealed_code", "idempotency_key")


def _normal(text):
    return " ".join(unicodedata.normalize("NFKC", str(text or "")).casefold().split())


def _same(person, personal):
    return (
        _normal(personal.get("family_name")) == _normal(person.family_name)
        and str(personal.get("date_of_birth") or "") == person.date_of_birth.isoformat()
        and _normal(personal.get("email")) == _normal(person.email)
    )


def drafts_of(authority, persons):
    """{person id: [draft ids]} of the unlinked drafts that carry these persons' identity."""
    by_email = {}
    for person in persons:
        if person.email:
            by_email.setdefault(person.email.strip().lower(), []).append(person)
    found = {}
    if not by_email:
        return found
    drafts = (
        Application.objects.filter(authority=authority, status=ApplicationStatus.DRAFT, person__isnull=True)
        .annotate(email_lower=Lower("email"))
        .filter(email_lower__in=list(by_email))
        .values_list("pk", "email_lower", "personal")
    )
    for pk, email, personal in drafts:
        for person in by_email.get(email, []):
            if _same(person, personal or {}):
                found.setdefault(person.pk, []).append(pk)
    return found


def _applications(authority, persons):
    ids = [pk for pks in drafts_of(authority, persons).values() for pk in pks]
    linked = Application.objects.filter(authority=authority, person__in=persons).values_list("pk", flat=True)
    return Application.objects.filter(pk__in=[*linked, *ids])


def export(authority, person):
    applications = _applications(authority, [person]).order_by("created_at", "id")
    uploads = ApplicationUpload.objects.filter(application__in=applications).order_by("created_at", "id")
    return Section(
        tables={"applications": rows(applications, exclude=SECRETS), "uploads": rows(uploads, exclude=("text",))},
        # Uploads of a submitted application are documents of the e-file now (exported there).
        files=[
            ExportFile(f"{u.application_id}-{u.pk}-{u.original_name}", u.storage_name, sha256=u.sha256)
            for u in uploads
            if u.document_id is None
        ],
    )


def _persons(authority, person_ids):
    from willkommen.clients.models import Person

    return list(Person.objects.filter(authority=authority, pk__in=person_ids))


def erase(authority, person_ids):
    from django.core.files.storage import default_storage
    from django.db import transaction

    applications = _applications(authority, _persons(authority, person_ids))
    names = list(
        ApplicationUpload.objects.filter(application__in=applications, document__isnull=True).values_list(
            "storage_name", flat=True
        )
    )
    _n, counts = Application.objects.filter(pk__in=list(applications.values_list("pk", flat=True))).delete()
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
    return counts


def keeps(authority, person_ids, now):
    """A draft in progress (changed within APPLICATION_DRAFT_RETENTION_DAYS) keeps its person."""
    from django.conf import settings

    cutoff = now - dt.timedelta(days=settings.APPLICATION_DRAFT_RETENTION_DAYS)
    drafts = drafts_of(authority, _persons(authority, person_ids))
    candidates = [pk for pks in drafts.values() for pk in pks]
    live = set(Application.objects.filter(pk__in=candidates, updated_at__gte=cutoff).values_list("pk", flat=True))
    linked = Application.objects.filter(
        authority=authority, person_id__in=person_ids, status=ApplicationStatus.DRAFT, updated_at__gte=cutoff
    )
    return {pid for pid, pks in drafts.items() if live & set(pks)} | set(linked.values_list("person_id", flat=True))


def apply_retention(authority, now, tally):
    from .retention import delete_abandoned_drafts

    delete_abandoned_drafts(now, dry_run=False, authority=authority, tally=tally)


CONTRIBUTOR = personal_data.Contributor(
    key="applications",
    label=_("Online applications and drafts"),
    models=("applications.Application", "applications.ApplicationUpload"),
    export=export,
    erase=erase,
    keeps=keeps,
)

JOB = retention.Job(
    room="applications",
    label=_("Abandoned drafts"),
    apply=apply_retention,
    order=10,
    periods=(
        retention.Period(
            "APPLICATION_DRAFT_RETENTION_DAYS",
            "days",
            _("Drafts of online applications never submitted, with their uploads"),
            _(
                "Derived: a draft is not an application (no file exists); 30 days after the last change give "
                "the client time to finish it."
            ),
        ),
    ),
)


def register():
    personal_data.register(CONTRIBUTOR)
    retention.register(JOB)
