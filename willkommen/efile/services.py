"""Commands on the electronic file. Other rooms add documents only through these functions.

``add_document`` runs the same upload checks for every way in (online upload, ServicePoint
scan, generated letter) and writes the file to durable storage, verified by its checksum,
before the database row exists: a document that is acknowledged is on storage.
"""

import hashlib
import os
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from willkommen.audit.services import record

from .models import UNVERSIONED_TYPES, Document, FileState, PersonFile, Source
from .uploads import CheckedUpload, UploadRejected, check_upload, safe_file_name

__all__ = [
    "UploadRejected",
    "add_document",
    "add_generated_document",
    "check_upload",
    "file_under_case",
    "register_stored_file",
    "store_checked",
    "verify_document",
]

SOURCES = set(Source.values)


def _storage_name(authority, extension, folder="efile"):
    today = timezone.now()
    return f"{folder}/{authority.pk}/{today:%Y/%m}/{uuid.uuid4().hex}.{extension}"


def store_checked(authority, checked: CheckedUpload, folder="efile"):
    """Write checked content to the default storage, flush it to disk where the storage is a file
    system, and read it back to compare the checksum. Returns the storage name."""
    name = default_storage.save(_storage_name(authority, checked.extension, folder), ContentFile(checked.content))
    try:
        path = default_storage.path(name)
    except NotImplementedError:
        path = None
    if path:
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())
    with default_storage.open(name, "rb") as handle:
        digest = hashlib.sha256(handle.read()).hexdigest()
    if digest != checked.sha256:
        default_storage.delete(name)
        raise UploadRejected(_("The file could not be stored safely. Please try again."))
    return name


def ensure_file(authority, person):
    person_file, _created = PersonFile.objects.get_or_create(authority=authority, person=person)
    return person_file


def _update_search_vector(document):
    """The document's full-text vector (PostgreSQL): words, and the names, case and type it is about."""
    from .search_vector import refresh_document

    refresh_document(document)


def register_stored_file(
    authority,
    person,
    *,
    storage_name,
    original_name,
    content_type,
    size,
    sha256,
    scan_status,
    text="",
    document_type="other",
    source=Source.UPLOAD,
    case=None,
    uploaded_by=None,
    title="",
    valid_until=None,
):
    """Create the document row for a file already checked and stored (e.g. a draft upload of an
    online application). A new document of a versioned type becomes the current version."""
    if person.authority_id != authority.pk or (case is not None and case.authority_id != authority.pk):
        raise ValueError("person and case must belong to the authority")
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    document_type = (document_type or "other")[:60]
    with transaction.atomic():
        ensure_file(authority, person)
        previous = None
        if document_type not in UNVERSIONED_TYPES:
            previous = (
                Document.objects.select_for_update()
                .filter(authority=authority, person=person, document_type=document_type, is_current=True)
                .order_by("-version")
                .first()
            )
        document = Document.objects.create(
            authority=authority,
            person=person,
            case=case,
            document_type=document_type,
            title=(title or "")[:200],
            source=source,
            version=previous.version + 1 if previous else 1,
            file=storage_name,
            original_name=original_name[:120],
            content_type=content_type,
            size=size,
            sha256=sha256,
            scan_status=scan_status,
            text=text or "",
            valid_until=valid_until,
            uploaded_by=uploaded_by if getattr(uploaded_by, "is_authenticated", False) else None,
        )
        if previous:
            Document.objects.filter(pk=previous.pk).update(is_current=False)
            Document.objects.filter(pk=document.pk).update(previous=previous)
            document.previous = previous
        _update_search_vector(document)
    return document


def add_document(authority, person, uploaded_file, *, document_type, source, case=None, uploaded_by=None, title=""):
    """Check an uploaded file, store it durably and add it to the person's file.

    Raises :class:`UploadRejected` (with a translated message) when the file is refused;
    nothing is stored then."""
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    checked = check_upload(uploaded_file)
    name = store_checked(authority, checked)
    try:
        return register_stored_file(
            authority,
            person,
            storage_name=name,
            original_name=checked.safe_name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            scan_status=checked.scan_status,
            text=checked.text,
            document_type=document_type,
            source=source,
            case=case,
            uploaded_by=uploaded_by,
            title=title,
        )
    except Exception:
        default_storage.delete(name)
        raise


def add_generated_document(authority, person, content, *, file_name, document_type, case=None, title="", text=""):
    """Add a PDF the system generated (receipt, letter). Trusted content: stored as it is."""
    checked = CheckedUpload(
        content=content,
        content_type="application/pdf",
        extension="pdf",
        sha256=hashlib.sha256(content).hexdigest(),
        safe_name=safe_file_name(file_name, "pdf"),
        text=text,
        scan_status="not_scanned",
    )
    name = store_checked(authority, checked)
    return register_stored_file(
        authority,
        person,
        storage_name=name,
        original_name=checked.safe_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        scan_status=checked.scan_status,
        text=text,
        document_type=document_type,
        source=Source.LETTER,
        case=case,
        title=title,
    )


def file_under_case(authority, person, document_ids, case):
    """File documents of ``person``'s e-file that belong to no case yet under ``case`` (documents handed in
    before the case was opened, e.g. at a ServicePoint drop-off). Documents of another person or authority,
    or already filed under another case, are left alone. Returns how many were filed."""
    if case.authority_id != authority.pk or case.person_id != person.pk:
        raise ValueError("the case belongs to another person or authority")
    return Document.objects.filter(
        authority=authority, person=person, pk__in=list(document_ids), case__isnull=True
    ).update(case=case)


def verify_document(document, user, *, valid_until=None, valid_from=None, request=None):
    """Stamp that ``user`` checked the original: the next case of the same person reuses the check."""
    if document.authority_id != user.authority_id:
        raise ValueError("staff of another authority")
    document.verified_by = user
    document.verified_at = timezone.now()
    fields = ["verified_by", "verified_at"]
    if valid_until is not None:
        document.valid_until = valid_until
        fields.append("valid_until")
    if valid_from is not None:
        document.valid_from = valid_from
        fields.append("valid_from")
    document.save(update_fields=fields)
    record(
        authority=document.authority,
        action="update",
        person_id=document.person_id,
        obj=document,
        actor=user,
        request=request,
        purpose="original verified",
    )
    return document


def read_content(document):
    """The document's bytes, verified against its checksum (raises ``DamagedFile``, an ``OSError``)."""
    from willkommen.core.storage import read_verified

    return read_verified(document.file.name, document.sha256)


def hand_over_file(person, target_person, *, case_map=None):
    """Copy the current documents of ``person``'s file into ``target_person``'s file at another
    authority (a client moved): same content, checksum, type, validity and verification date, source
    "transfer"; documents of a handed-over case are attached to the new case (``case_map``: old case
    id -> new case). Each copy is written and read back like an upload. Returns the new documents."""
    case_map = case_map or {}
    target = target_person.authority
    copies = []
    for document in Document.objects.filter(authority_id=person.authority_id, person=person, is_current=True).order_by(
        "uploaded_at", "pk"
    ):
        with default_storage.open(document.file.name, "rb") as handle:
            content = handle.read()
        if hashlib.sha256(content).hexdigest() != document.sha256:
            raise UploadRejected(
                _("A document of the file is damaged and was not handed over: %(name)s")
                % {"name": document.original_name}
            )
        checked = CheckedUpload(
            content=content,
            content_type=document.content_type,
            extension=(document.file.name.rsplit(".", 1)[-1] or "bin")[:5],
            sha256=document.sha256,
            safe_name=document.original_name,
            text=document.text,
            scan_status=document.scan_status,
        )
        name = store_checked(target, checked)
        copy = register_stored_file(
            target,
            target_person,
            storage_name=name,
            original_name=document.original_name,
            content_type=document.content_type,
            size=document.size,
            sha256=document.sha256,
            scan_status=document.scan_status,
            text=document.text,
            document_type=document.document_type,
            source=Source.TRANSFER,
            case=case_map.get(document.case_id),
            title=document.title,
            valid_until=document.valid_until,
        )
        if document.verified_at:
            Document.objects.filter(pk=copy.pk).update(valid_from=document.valid_from, verified_at=document.verified_at)
        copies.append(copy)
    return copies


def archive_file(authority, person, *, reason, event_date, receiving_authority=""):
    """Move a person's file to the archive (death, moving away, naturalisation)."""
    from .retention import delete_after

    person_file = ensure_file(authority, person)
    person_file.state = FileState.ARCHIVED
    person_file.archive_reason = reason
    person_file.event_date = event_date
    person_file.receiving_authority = receiving_authority[:200]
    person_file.archived_at = timezone.now()
    person_file.delete_after = delete_after(reason, event_date)
    person_file.save()
    return person_file


def apply_retention(today=None, *, dry_run=True, authority=None):
    """Delete the documents of archived files whose retention period is over.

    Returns a report (authority, person id, reason, number of documents, due date) – first run it with
    ``dry_run=True``. A real run deletes the files and rows, keeps a :class:`RetentionRecord` with the
    checksums (never the content) and writes the deletion to the audit log. The person record itself
    belongs to the clients room."""
    from .models import RetentionRecord

    today = today or timezone.localdate()
    due = PersonFile.objects.filter(state=FileState.ARCHIVED, delete_after__isnull=False, delete_after__lte=today)
    if authority is not None:
        due = due.filter(authority=authority)
    due = due.select_related("authority").order_by("authority_id", "delete_after")
    report = []
    for person_file in due:
        documents = Document.objects.filter(authority=person_file.authority, person_id=person_file.person_id)
        report.append(
            {
                "authority": person_file.authority.slug,
                "person_id": person_file.person_id,
                "reason": person_file.archive_reason,
                "delete_after": person_file.delete_after.isoformat(),
                "documents": documents.count(),
            }
        )
        if dry_run:
            continue
        with transaction.atomic():
            rows = list(documents.values_list("file", "sha256"))
            Document.objects.filter(pk__in=documents.values("pk")).update(previous=None)
            documents.delete()
            RetentionRecord.objects.create(
                authority=person_file.authority,
                person_id_deleted=person_file.person_id,
                reason=person_file.archive_reason,
                documents_deleted=len(rows),
                checksums=[sha for _name, sha in rows],
            )
            person_file.state = FileState.DELETED
            person_file.deleted_at = timezone.now()
            person_file.save(update_fields=["state", "deleted_at"])
            record(
                authority=person_file.authority,
                action="delete",
                person_id=person_file.person_id,
                obj=person_file,
                purpose=f"retention: {person_file.archive_reason}",
                detail=f"{len(rows)} documents deleted",
            )
            names = [name for name, _sha in rows]
            transaction.on_commit(lambda names=names: [default_storage.delete(n) for n in names])
    return report
