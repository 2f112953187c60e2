"""The clients room's share of data protection.

- Contributors for the Art. 15 copy and for erasure: the person (names, aliases, residence history,
  records merged into it) and, for the rooms of the ground that know no domain room, the audit log
  (who read the file, when and why) and the letters.
- The retention job for persons: a person whom no room keeps (no open matter, nothing inside a room's
  period) is deleted with all rows of every room – at once when a room released them (the e-file after
  its archive period), else PERSON_RETENTION_DAYS after the record's last change.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from willkommen.audit import retention
from willkommen.audit.services import record

from . import personal_data
from .models import Person, PersonAlias, ResidenceEntry
from .personal_data import Contributor, ExportFile, Section, rows


def _export_person(authority, person):
    merged = Person.objects.filter(authority=authority, merged_into=person)
    return Section(
        tables={
            "person": rows(Person.objects.filter(pk=person.pk), exclude=("name_key",)),
            "other_names": rows(PersonAlias.objects.filter(authority=authority, person=person)),
            "residence_history": rows(ResidenceEntry.objects.filter(authority=authority, person=person)),
            "merged_records": rows(merged, exclude=("name_key",)),
        }
    )


def _erase_person(authority, person_ids):
    counts = {}
    for queryset in (
        PersonAlias.objects.filter(authority=authority, person_id__in=person_ids),
        ResidenceEntry.objects.filter(authority=authority, person_id__in=person_ids),
        # Records merged into these persons are pointers only; they go before the persons they point at.
        Person.objects.filter(authority=authority, merged_into_id__in=person_ids),
        Person.objects.filter(authority=authority, pk__in=person_ids),
    ):
        _n, per_model = queryset.delete()
        for label, number in per_model.items():
            counts[label] = counts.get(label, 0) + number
    return counts


def _export_audit(authority, person):
    from willkommen.audit import privacy as audit

    return Section(tables=audit.export(authority, person))


def _export_letters(authority, person):
    from willkommen.letters import privacy as letters

    tables, files = letters.export(authority, person)
    return Section(
        tables={name: rows(queryset) for name, queryset in tables.items()},
        files=[
            ExportFile(name, storage_name, internal=internal, sha256=sha) for name, storage_name, internal, sha in files
        ],
        internal={"internal_letters"},
    )


def _erase_letters(authority, person_ids):
    from willkommen.letters import privacy as letters

    return letters.erase(authority, person_ids)


CONTRIBUTORS = (
    Contributor(
        key="person",
        label=_("Person and residence history"),
        models=("clients.Person", "clients.PersonAlias", "clients.ResidenceEntry"),
        export=_export_person,
        erase=_erase_person,
    ),
    # Audit entries are not erased with the person: they prove lawful processing and go after their own
    # period (AUDIT_RETENTION_DAYS; GDPR Art. 17 (3) (b)).
    Contributor(
        key="audit", label=_("Who read or changed your data"), models=("audit.AuditEntry",), export=_export_audit
    ),
    Contributor(
        key="letters",
        label=_("Letters and certificates"),
        models=("letters.Letter", "letters.Fiktionsbescheinigung"),
        export=_export_letters,
        erase=_erase_letters,
    ),
)


# --- erasing persons -----------------------------------------------------------------------------------------


def kept(authority, person_ids, now):
    """The persons of ``person_ids`` that some room still keeps (as of ``now``). Each room is asked only
    about the persons no room before it keeps (most persons have a file: the rooms after the e-file see
    few)."""
    result = set()
    open_ids = set(person_ids)
    for contributor in personal_data.contributors():
        if contributor.keeps is None or not open_ids:
            continue
        found = set(contributor.keeps(authority, sorted(open_ids), now)) & open_ids
        result |= found
        open_ids -= found
    return result


def _with_merged(authority, person_ids):
    """The persons and every record merged into them (pointers), transitively."""
    ids = set(person_ids)
    frontier = set(person_ids)
    while frontier:
        frontier = (
            set(Person.objects.filter(authority=authority, merged_into_id__in=frontier).values_list("pk", flat=True))
            - ids
        )
        ids |= frontier
    return sorted(ids)


def erase_persons(authority, person_ids, tally=None, *, purpose="retention"):
    """Delete these persons and every row of every room about them, in one transaction; one audit
    entry per person (ids and counts only). Returns the counts per kind."""
    counts = {}
    with transaction.atomic():
        ids = _with_merged(authority, person_ids)
        for contributor in personal_data.erase_order():
            for label, number in contributor.erase(authority, ids).items():
                if number:
                    counts[label.lower()] = counts.get(label.lower(), 0) + number
        for person_id in person_ids:
            record(authority=authority, action="delete", person_id=person_id, purpose=f"{purpose}: person erased")
    if tally is not None:
        tally.add_all(counts)
    return counts


def due_persons(authority, now):
    """Persons of the authority that may go now, unless a room keeps them."""
    condition = Q(updated_at__lt=now - timedelta(days=settings.PERSON_RETENTION_DAYS))
    for contributor in personal_data.contributors():
        if contributor.released is not None:
            condition |= Q(pk__in=contributor.released(authority))
    return Person.objects.filter(authority=authority, merged_into__isnull=True).filter(condition)


def apply_retention(authority, now, tally):
    """Erase the due persons that no room keeps, a batch at a time (idempotent: a rerun finds only
    what is left)."""
    last = 0
    due = due_persons(authority, now)
    while True:
        batch = list(
            due.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[: settings.RETENTION_BATCH_SIZE]
        )
        if not batch:
            return
        last = batch[-1]
        free = sorted(set(batch) - kept(authority, batch, now))
        if free:
            erase_persons(authority, free, tally)


JOB = retention.Job(
    room="clients",
    label=_("Persons without open matters"),
    apply=apply_retention,
    order=90,
    periods=(
        retention.Period(
            "PERSON_RETENTION_DAYS",
            "days",
            _("Persons no room needs any more (no file, no case, no open matter), with all their rows"),
            _(
                "Derived: 2 years after the last change, as data kept only for a visa consent go 2 years after it "
                "expired (AufenthV § 68). A person whose archived file was deleted goes at once."
            ),
        ),
    ),
)


def register():
    for contributor in CONTRIBUTORS:
        personal_data.register(contributor)
    retention.register(JOB)
