"""Object storage for real: an S3-speaking server (moto's server mode) on 127.0.0.1, started by this module.

Uploads go through the e-file's safe-upload path into a private bucket; every read is verified against the
stored checksum; downloads keep the permission checks (streamed, or a redirect to a short-lived signed URL);
``move_files_to_bucket`` moves an installation's files from disk into the bucket and verifies every checksum.
"""

import datetime as dt
import hashlib
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from willkommen.core.testing import make_staff, verified_login
from willkommen.efile.tests.conftest import pdf_bytes

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def s3_server():
    from willkommen.core.scale.s3 import S3Server, Unavailable

    server = S3Server()
    try:
        server.start()
    except Unavailable as exc:
        pytest.skip(str(exc))
    yield server
    server.stop()


@pytest.fixture
def bucket(s3_server, settings):
    """A fresh private bucket as the default storage."""
    name = s3_server.new_bucket()
    options = s3_server.options(name)
    settings.S3_STORAGE_OPTIONS = options
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }
    settings.CLAMD_SOCKET = ""
    settings.EFILE_OCR = False
    settings.STORAGE_DOWNLOADS = "stream"
    client = s3_server.client()

    def keys():
        return sorted(o["Key"] for o in client.list_objects_v2(Bucket=name).get("Contents", []))

    def body(key):
        return client.get_object(Bucket=name, Key=key)["Body"].read()

    def put(key, data):
        client.put_object(Bucket=name, Key=key, Body=data)

    return type(
        "Bucket",
        (),
        {
            "name": name,
            "client": client,
            "keys": staticmethod(keys),
            "body": staticmethod(body),
            "put": staticmethod(put),
            "endpoint": s3_server.endpoint,
        },
    )


@pytest.fixture
def person(authority):
    from willkommen.clients.services import create_person

    return create_person(
        authority, family_name="Haddad", given_names="Amira", date_of_birth=dt.date(1995, 4, 2), email="a@example.org"
    )


def upload(authority, person, data=None, name="pass.pdf"):
    from willkommen.efile.services import add_document

    return add_document(
        authority,
        person,
        SimpleUploadedFile(name, data or pdf_bytes(), content_type="application/pdf"),
        document_type="passport",
        source="upload",
    )


def test_upload_lands_in_the_private_bucket_checked_and_verified(bucket, authority, person):
    from willkommen.efile.services import read_content

    content = pdf_bytes("Reisepass C01X00T47")
    document = upload(authority, person, content)
    assert bucket.keys() == [document.file.name]
    assert document.file.name.startswith(f"efile/{authority.pk}/")
    stored = bucket.body(document.file.name)
    assert hashlib.sha256(stored).hexdigest() == document.sha256
    assert read_content(document) == stored
    grants = bucket.client.get_object_acl(Bucket=bucket.name, Key=document.file.name)["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]  # the owner only: no public read
    # Nobody reads the object without a signature.
    with pytest.raises(urllib.error.HTTPError) as denied:
        urllib.request.urlopen(f"{bucket.endpoint}/{bucket.name}/{document.file.name}")
    assert denied.value.code == 403


def test_refused_upload_leaves_nothing_in_the_bucket(bucket, authority, person):
    from willkommen.efile.services import UploadRejected

    with pytest.raises(UploadRejected):
        upload(authority, person, b"MZ\x90\x00 this is an executable", name="pass.pdf")
    with pytest.raises(UploadRejected):
        upload(authority, person, pdf_bytes() + b"/JavaScript (app.alert(1))", name="pass.pdf")
    assert bucket.keys() == []


def test_damaged_object_is_never_handed_out(bucket, authority, person, client, caseworker):
    from willkommen.core.storage import DamagedFile
    from willkommen.efile.services import read_content

    document = upload(authority, person)
    bucket.put(document.file.name, bucket.body(document.file.name)[:-20])  # truncated in the store
    with pytest.raises(DamagedFile):
        read_content(document)
    verified_login(client, caseworker)
    response = client.get(reverse("efile:content", args=[document.pk]))
    assert response.status_code == 409
    assert b"%PDF" not in response.content
    api = client.get(f"/api/v1/efile/documents/{document.pk}/content/")
    assert api.status_code == 409


def test_streamed_download_keeps_the_permission_checks(bucket, authority, person, client, caseworker):
    from willkommen.audit.models import AuditEntry

    document = upload(authority, person)
    verified_login(client, caseworker)
    response = client.get(reverse("efile:content", args=[document.pk]) + "?download=1")
    assert response.status_code == 200
    assert response.content == bucket.body(document.file.name)
    assert AuditEntry.objects.filter(action="download", person_id=person.pk).exists()

    from django.test import Client

    outsider = verified_login(Client(), make_staff(authority, "sina", role="servicepoint"))
    assert outsider.get(reverse("efile:content", args=[document.pk]) + "?download=1").status_code == 404


def test_presigned_download_after_the_checks_only(bucket, authority, person, client, caseworker, settings):
    from django.test import Client

    settings.STORAGE_DOWNLOADS = "presigned"
    document = upload(authority, person)
    verified_login(client, caseworker)
    response = client.get(reverse("efile:content", args=[document.pk]) + "?download=1")
    assert response.status_code == 302
    url = response["Location"]
    assert url.startswith(f"{bucket.endpoint}/{bucket.name}/{document.file.name}?")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    assert query["X-Amz-Expires"] == ["60"]
    assert "attachment" in query["response-content-disposition"][0]
    # never kept by a cache (PrivateResponseMiddleware adds Django's other never-cache directives)
    assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}
    assert urllib.request.urlopen(url).read() == bucket.body(document.file.name)
    # Another role, another authority: no URL at all.
    outsider = verified_login(Client(), make_staff(authority, "sina", role="servicepoint"))
    assert outsider.get(reverse("efile:content", args=[document.pk]) + "?download=1").status_code == 404
    # The viewer's inline content is still streamed through the web server (CSP img-src 'self').
    assert client.get(reverse("efile:content", args=[document.pk])).status_code == 200


def test_letters_in_the_bucket_verified_on_read(bucket, authority, person):
    from willkommen.core.storage import DamagedFile
    from willkommen.letters.models import Letter
    from willkommen.letters.services import letter_content, letter_download

    content = pdf_bytes("Bescheid")
    letter = Letter(
        authority=authority,
        person=person,
        kind="decision",
        languages="de",
        title="Bescheid",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    letter.file.save("decision.pdf", ContentFile(content), save=True)
    assert letter.file.name in bucket.keys()
    assert letter_content(letter) == content
    response = letter_download(letter, "decision.pdf")
    assert b"".join(response.streaming_content) == content
    bucket.put(letter.file.name, content.replace(b"Bescheid", b"Bescheix"))
    with pytest.raises(DamagedFile):
        letter_content(letter)


def test_move_files_to_bucket_verifies_every_checksum(bucket, authority, person, settings, tmp_path):
    from django.core.files.storage import storages

    from willkommen.efile.models import Document

    # An installation that ran on the file system: three documents on disk.
    options = settings.STORAGES["default"]["OPTIONS"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    documents = [upload(authority, person, pdf_bytes(f"Dokument {n}")) for n in range(3)]
    (tmp_path / "logos").mkdir()
    (tmp_path / "logos" / "wappen.png").write_bytes(b"not in any checksum table")
    damaged = documents[1]
    (tmp_path / damaged.file.name).write_bytes(b"%PDF-1.7 damaged on disk")

    with pytest.raises(CommandError):
        call_command("move_files_to_bucket", source=str(tmp_path))
    intact = sorted([documents[0].file.name, documents[2].file.name, "logos/wappen.png"])
    assert bucket.keys() == intact  # the damaged file was not copied

    # Repair the damaged file (e.g. from the backup); run again: the rest is skipped, the repaired file copied.
    (tmp_path / damaged.file.name).write_bytes(pdf_bytes("Dokument 1"))
    Document.objects.filter(pk=damaged.pk).update(sha256=hashlib.sha256(pdf_bytes("Dokument 1")).hexdigest())
    call_command("move_files_to_bucket", source=str(tmp_path), delete_source=True)
    assert bucket.keys() == sorted(intact + [damaged.file.name])
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]  # verified copies removed from disk

    # Switched over: the same rows read from the bucket, verified.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }
    assert storages["default"].exists(documents[2].file.name)
    from willkommen.efile.services import read_content

    for document in Document.objects.filter(pk__in=[d.pk for d in documents]):
        assert hashlib.sha256(read_content(document)).hexdigest() == document.sha256
