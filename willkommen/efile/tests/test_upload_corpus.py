"""Bad input corpus: every file is refused with a clear reason (or its name neutralised), nothing is
stored, and the pages answer with 4xx, never 500."""

import io
import struct
import zlib

import pytest
from django.core.files.storage import default_storage

from willkommen.efile import services
from willkommen.efile.models import Document
from willkommen.efile.services import UploadRejected
from willkommen.efile.uploads import check_upload, safe_file_name

from .conftest import jpeg_bytes, pdf_bytes, png_bytes, upload


def _stored_files(root):
    return [p for p in root.rglob("*") if p.is_file()]


def pdf_with_javascript():
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    action = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert('hello');")}
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bomb(width=20000, height=20000):
    """A tiny PNG whose header claims 400 megapixels."""
    data = bytearray(png_bytes())
    ihdr = data.index(b"IHDR")
    data[ihdr + 4 : ihdr + 12] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[ihdr : ihdr + 17])) & 0xFFFFFFFF
    data[ihdr + 17 : ihdr + 21] = struct.pack(">I", crc)
    return bytes(data)


EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 200
    + b"This program cannot be run in DOS mode"
)

CORPUS = {
    "renamed executable": ("scan.pdf", EXE, "not accepted"),
    "html named pdf": ("passport.pdf", b"<html><script>alert(1)</script></html>", "not accepted"),
    "pdf with javascript": ("form.pdf", pdf_with_javascript(), "JavaScript"),
    "encrypted pdf": ("locked.pdf", encrypted_pdf(), "password"),
    "truncated pdf": ("cut.pdf", pdf_bytes()[:300], "damaged"),
    "truncated jpeg": ("photo.jpg", jpeg_bytes((400, 300))[:400], "damaged"),
    "empty file": ("empty.pdf", b"", "empty"),
    "decompression bomb": ("bomb.png", png_bomb(), "too many pixels"),
    "broken heic": ("photo.heic", b"\x00\x00\x00\x18ftypheic" + b"\x00" * 100, "damaged"),
}


@pytest.mark.parametrize("label", sorted(CORPUS))
def test_bad_files_refused_and_nothing_stored(label, authority, person, _media, settings):
    settings.LANGUAGE_CODE = "en"
    name, content, reason = CORPUS[label]
    with pytest.raises(UploadRejected) as excinfo:
        services.add_document(authority, person, upload(name, content), document_type="passport", source="upload")
    assert reason.lower() in excinfo.value.message.lower()
    assert Document.objects.count() == 0
    assert _stored_files(_media) == []


def test_over_the_limit_refused_before_reading_everything(authority, person, _media, settings):
    settings.UPLOAD_MAX_FILE_MB = 1
    content = pdf_bytes() + b"%" + b"x" * (1024 * 1024)
    with pytest.raises(UploadRejected, match="too large"):
        services.add_document(authority, person, upload("big.pdf", content), document_type="passport", source="upload")
    assert Document.objects.count() == 0
    assert _stored_files(_media) == []


def test_german_message(authority, person):
    from django.utils import translation

    with translation.override("de"), pytest.raises(UploadRejected) as excinfo:
        check_upload(upload("x.pdf", b""))
    assert excinfo.value.message  # translated once the catalogue is compiled; never empty


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\me\\Desktop\\pass.pdf", "pass.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.pdf"),
        ("<script>alert(1)</script>.pdf", "script.pdf"),
        ("<img src=x onerror=alert(1)>.pdf", "img src=x onerror=alert(1).pdf"),
        ("", "document.pdf"),
        ("جواز السفر.pdf", "جواز السفر.pdf"),
    ],
)
def test_names_neutralised(name, expected):
    assert safe_file_name(name, "pdf") == expected


def test_good_pdf_stored_with_checksum_and_text(authority, person, _media):
    import hashlib

    content = pdf_bytes("Reisepass Nummer C01X00T47")
    document = services.add_document(
        authority, person, upload("../x/\u202eevil<b>.pdf", content), document_type="passport", source="upload"
    )
    assert document.content_type == "application/pdf"
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert "C01X00T47" in document.text
    assert "\u202e" not in document.original_name and "<" not in document.original_name
    assert "/" not in document.original_name
    with default_storage.open(document.file.name, "rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == document.sha256
    assert document.scan_status == "not_scanned"


def test_jpeg_reencoded_without_metadata(authority, person):
    from PIL import Image

    original = jpeg_bytes()
    assert b"SecretCamera" in original
    document = services.add_document(
        authority, person, upload("p.jpeg", original), document_type="photo", source="upload"
    )
    stored = services.read_content(document)
    assert b"SecretCamera" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and image.size == (40, 30)
        assert not image.getexif()


def heic_bytes(size=(64, 48), orientation=None):
    import pillow_heif
    from PIL import Image

    pillow_heif.register_heif_opener()
    image = Image.new("RGB", size, (200, 20, 20))
    exif = Image.Exif()
    exif[0x0110] = "SecretCamera"  # model
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, format="HEIF", exif=exif.tobytes())
    return out.getvalue()


def test_heic_photo_becomes_jpeg_without_metadata(authority, person):
    from PIL import Image

    original = heic_bytes()
    assert original[4:12] == b"ftypheic" and b"SecretCamera" in original
    document = services.add_document(
        authority, person, upload("IMG_0001.HEIC", original), document_type="photo", source="upload"
    )
    assert document.content_type == "image/jpeg" and document.original_name == "IMG_0001.jpg"
    stored = services.read_content(document)
    assert b"SecretCamera" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and image.size == (64, 48)
        assert not image.getexif()
        red, green, _blue = image.getpixel((10, 10))
        assert red > 150 and green < 80  # the picture itself survived


def test_heic_bomb_refused(authority, person, settings):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 1000
    with pytest.raises(UploadRejected, match="too many pixels"):
        services.add_document(
            authority, person, upload("big.heic", heic_bytes()), document_type="photo", source="upload"
        )
    assert Document.objects.count() == 0


def test_png_with_pdf_name_is_stored_as_png(authority, person):
    document = services.add_document(
        authority, person, upload("scan.pdf", png_bytes()), document_type="photo", source="upload"
    )
    assert document.content_type == "image/png"
    assert document.original_name == "scan.png"


def test_new_upload_of_same_type_is_new_version(authority, person):
    first = services.add_document(
        authority, person, upload("a.pdf", pdf_bytes("one")), document_type="passport", source="upload"
    )
    second = services.add_document(
        authority, person, upload("b.pdf", pdf_bytes("two")), document_type="passport", source="upload"
    )
    first.refresh_from_db()
    assert (first.is_current, second.is_current, second.version) == (False, True, 2)
    assert second.previous_id == first.pk
    from willkommen.efile.selectors import documents_for_person

    assert list(documents_for_person(authority, person)) == [second]


def test_virus_found_by_clamd_refused(authority, person, settings, monkeypatch, _media):
    from willkommen.efile import uploads

    settings.CLAMD_SOCKET = "/run/clamav/clamd.ctl"
    monkeypatch.setattr(uploads, "clamd_scan", lambda data, address: "Eicar-Test-Signature")
    with pytest.raises(UploadRejected, match="malware"):
        services.add_document(
            authority, person, upload("a.pdf", pdf_bytes()), document_type="passport", source="upload"
        )
    monkeypatch.setattr(uploads, "clamd_scan", lambda data, address: None)
    document = services.add_document(
        authority, person, upload("a.pdf", pdf_bytes()), document_type="passport", source="upload"
    )
    assert document.scan_status == "clean"
    assert Document.objects.count() == 1


def test_clamd_protocol_against_fake_daemon(tmp_path):
    """The INSTREAM conversation with a fake clamd on a Unix socket."""
    import socket
    import threading

    from willkommen.efile.uploads import clamd_scan

    path = str(tmp_path / "clamd.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(1)

    def serve():
        conn, _ = server.accept()
        received = b""
        while not received.endswith(struct.pack("!L", 0)):
            received += conn.recv(65536)
        verdict = b"stream: Eicar-Signature FOUND\0" if b"EICAR" in received else b"stream: OK\0"
        conn.sendall(verdict)
        conn.close()

    for payload, expected in [(b"EICAR test", "Eicar-Signature"), (b"harmless", None)]:
        thread = threading.Thread(target=serve)
        thread.start()
        assert clamd_scan(payload, path) == expected
        thread.join()
    server.close()
