"""The e-file's share of data protection: the documents (with their content) in the Art. 15 copy, erasing
a person's file, which persons the file still keeps, and the retention job for archived files
(EFILE_RETENTION_YEARS_*: 10 years after moving away or naturalisation, 5 after death)."""

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from willkommen.audit import retention
from willkommen.clients import personal_data
from willkommen.clients.personal_data import ExportFile, Section, rows

from .models import Document, FileState, PersonFile


def export(authority, person):
    documents = Document.objects.filter(authority=authority, person=person).order_by("uploaded_at", "id")
    return Section(
        tables={
            "file": rows(PersonFile.objects.filter(authority=authority, person=person)),
            "documents": rows(documents, exclude=("text",)),
        },
        files=[ExportFile(f"{d.pk}-v{d.version}-{d.original_name}", d.file.name, sha256=d.sha256) for d in documents],
    )


def erase(authority, person_ids):
    documents = Document.objects.filter(authority=authority, person_id__in=person_ids)
    names = [name for name in documents.values_list("file", flat=True) if name]
    documents.update(previous=None)
    counts = {}
    for queryset in (documents, PersonFile.objects.filter(authority=authority, person_id__in=person_ids)):
        _n, per_model = queryset.delete()
        counts.update(per_model)
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
    return counts


def keeps(authority, person_ids, now):
    """A file that is active or archived (its period not over) keeps its person; so do documents."""
    files = PersonFile.objects.filter(authority=authority, person_id__in=person_ids).exclude(state=FileState.DELETED)
    documents = Document.objects.filter(authority=authority, person_id__in=person_ids)
    return set(files.values_list("person_id", flat=True)) | set(documents.values_list("person_id", flat=True))


def released(authority):
    """Persons whose archived file was deleted after its period: the rest of their data goes at once."""
    from .selectors import persons_with_deleted_file

    return persons_with_deleted_file(authority)


def apply_retention(authority, now, tally):
    from .services import apply_retention as delete_archived

    report = delete_archived(timezone.localtime(now).date(), dry_run=False, authority=authority)
    tally.add("efile.document", sum(item["documents"] for item in report))


CONTRIBUTOR = personal_data.Contributor(
    key="efile",
    label=_("Electronic file and documents"),
    models=("efile.PersonFile", "efile.Document"),
    export=export,
    erase=erase,
    keeps=keeps,
    released=released,
)

JOB = retention.Job(
    room="efile",
    label=_("Archived files"),
    apply=apply_retention,
    order=70,
    periods=tuple(
        retention.Period(setting, "years", label, _("Deletion rules of the foreigners' files (AufenthV § 68)."))
        for setting, label in (
            ("EFILE_RETENTION_YEARS_MOVED_AWAY", _("Documents of a file archived because the person moved away")),
            ("EFILE_RETENTION_YEARS_DEATH", _("Documents of a file archived because the person died")),
            ("EFILE_RETENTION_YEARS_NATURALISED", _("Documents of a file archived after naturalisation")),
        )
    ),
)


def register():
    personal_data.register(CONTRIBUTOR)
    retention.register(JOB)
