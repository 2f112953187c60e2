"""The e-file in the Art. 15 copy, in erasure and in retention (time advanced)."""

import datetime as dt
import hashlib

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from willkommen.audit import retention
from willkommen.clients.privacy import kept
from willkommen.clients.testing import section
from willkommen.efile import privacy, services
from willkommen.efile.models import Document, FileState, PersonFile

from .conftest import pdf_bytes, upload


@pytest.fixture
def document(authority, person):
    return services.add_document(
        authority, person, upload("pass.pdf", pdf_bytes("C01X00T47")), document_type="passport", source="upload"
    )


@pytest.mark.django_db
def test_copy_holds_every_document_with_its_content(authority, person, document, other_authority):
    second = services.add_document(
        authority, person, upload("pass2.pdf", pdf_bytes("C02")), document_type="passport", source="upload"
    )
    part, members = section(authority, person, "efile")
    assert [row["id"] for row in part["tables"]["documents"]] == [document.pk, second.pk]  # earlier versions too
    assert part["tables"]["file"][0]["state"] == "active"
    for entry in part["files"]:
        assert hashlib.sha256(members[entry["file"]]).hexdigest() == entry["sha256"]
        assert entry["checksum_matches"] is True
    assert {e["sha256"] for e in part["files"]} == {document.sha256, second.sha256}
    assert "text" not in part["tables"]["documents"][0]


@pytest.mark.django_db
def test_erase_deletes_documents_and_files(authority, person, document, django_capture_on_commit_callbacks):
    name = document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        counts = privacy.erase(authority, [person.pk])
    assert counts["efile.Document"] == 1 and counts["efile.PersonFile"] == 1
    assert not Document.objects.exists() and not default_storage.exists(name)


@pytest.mark.django_db
def test_a_kept_file_keeps_its_person(authority, person, document):
    now = timezone.now()
    assert kept(authority, [person.pk], now) == {person.pk}
    PersonFile.objects.filter(person=person).update(state=FileState.DELETED)
    Document.objects.all().delete()
    assert kept(authority, [person.pk], now) == set()


@pytest.mark.django_db
def test_retention_job_deletes_archived_files_after_their_period(authority, person, document, settings):
    settings.EFILE_RETENTION_YEARS_DEATH = 5
    services.archive_file(authority, person, reason="death", event_date=timezone.localdate())
    in_four_years = timezone.now() + dt.timedelta(days=4 * 365)
    [early] = retention.run_job("efile", now=in_four_years, authorities=[authority])
    assert early.deleted == {} and Document.objects.filter(pk=document.pk).exists()
    in_six_years = timezone.now() + dt.timedelta(days=6 * 365)
    [run] = retention.run_job("efile", now=in_six_years, authorities=[authority])
    assert run.deleted == {"efile.document": 1} and not Document.objects.exists()
    assert PersonFile.objects.get(person=person).state == FileState.DELETED
    [again] = retention.run_job("efile", now=in_six_years, authorities=[authority])
    assert again.deleted == {}


@pytest.mark.django_db
def test_copy_says_when_a_stored_file_no_longer_matches_its_checksum(authority, person, document):
    with default_storage.open(document.file.name, "wb") as handle:
        handle.write(b"changed on disk")
    part, _members = section(authority, person, "efile")
    assert part["files"][0]["checksum_matches"] is False
