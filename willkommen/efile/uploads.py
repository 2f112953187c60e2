"""Checking an uploaded file before anything is stored.

The type is decided by the content (magic bytes, then parsing with pypdf or Pillow), never
by the name. PDFs with JavaScript, encryption or a broken structure are refused; images are
re-encoded without their metadata; decompression bombs are refused; a virus scanner
(ClamAV's clamd) checks the file when one is configured. The result is the content to
store, its checksum, its text for the search and a neutralised file name.
"""

import hashlib
import io
import re
import shutil
import socket
import struct
import subprocess
import unicodedata
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
MAX_TEXT_CHARS = 200_000
MAX_PDF_PAGES_FOR_TEXT = 300
MAX_PDF_OBJECTS_WALKED = 200_000
DANGEROUS_PDF_KEYS = {"/JS", "/JavaScript", "/Launch", "/EmbeddedFile", "/RichMedia", "/XFA"}


class UploadRejected(ValueError):
    """The upload was refused; ``message`` is translated and safe to show to the client."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


@dataclass
class CheckedUpload:
    content: bytes
    content_type: str
    extension: str
    sha256: str
    safe_name: str
    text: str
    scan_status: str

    @property
    def size(self):
        return len(self.content)


def max_file_bytes():
    return settings.UPLOAD_MAX_FILE_MB * 1024 * 1024


def max_application_bytes():
    return settings.UPLOAD_MAX_APPLICATION_MB * 1024 * 1024


# --- names ---------------------------------------------------------------------------------------

_UNSAFE_NAME_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def safe_file_name(name, extension):
    """A neutralised display name: no path, no control or direction-override characters, no markup,
    and the extension of the detected type (``invoice.exe.pdf`` stays harmless because the type is
    decided by content)."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co", "Cn"})
    name = _UNSAFE_NAME_CHARS.sub("", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = stem.strip(" .")[:80] or _("document")
    return f"{stem}.{extension}"


# --- type by content -----------------------------------------------------------------------------


def sniff(head):
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


def _read_limited(uploaded_file, limit):
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > limit:
        raise UploadRejected(too_large_message(limit))
    if hasattr(uploaded_file, "seek"):
        try:
            uploaded_file.seek(0)
        except (OSError, ValueError):
            pass
    data = uploaded_file.read(limit + 1)
    if len(data) > limit:
        raise UploadRejected(too_large_message(limit))
    return data


def too_large_message(limit):
    return _("The file is too large. Each file may have at most %(mb)d MB.") % {"mb": limit // (1024 * 1024)}


# --- PDF -----------------------------------------------------------------------------------------


def _walk_pdf(reader):
    """Look through every object reachable from the document's trailer for active content."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen = set()
    stack = [reader.trailer]
    walked = 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        walked += 1
        if walked > MAX_PDF_OBJECTS_WALKED:
            raise UploadRejected(_("The PDF is too complex to check. Please print it to a new PDF and try again."))
        if isinstance(obj, DictionaryObject):
            for key, value in obj.items():
                if key in DANGEROUS_PDF_KEYS:
                    return key
                if key == "/S" and value in ("/JavaScript", "/Launch"):
                    return str(value)
                stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return None


def check_pdf(data):
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    broken = _(
        "The PDF file is damaged or incomplete and cannot be opened. Please save or scan it again and upload the new file."
    )
    if b"%%EOF" not in data[-2048:]:
        raise UploadRejected(broken)
    if re.search(rb"/(JavaScript|JS|Launch)\b", data):
        raise UploadRejected(
            _(
                "The PDF contains active content (JavaScript), which we do not accept for safety. "
                "Please print it to a new PDF or scan the paper document."
            )
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise UploadRejected(
                    _("The PDF is protected by a password or encrypted. Please upload a version without protection.")
                )
            pages = reader.pages
            if len(pages) == 0:
                raise UploadRejected(broken)
            if _walk_pdf(reader):
                raise UploadRejected(
                    _(
                        "The PDF contains active content (JavaScript), which we do not accept for safety. "
                        "Please print it to a new PDF or scan the paper document."
                    )
                )
            texts = []
            total = 0
            for index, page in enumerate(pages):
                if index >= MAX_PDF_PAGES_FOR_TEXT or total > MAX_TEXT_CHARS:
                    break
                chunk = page.extract_text() or ""
                texts.append(chunk)
                total += len(chunk)
    except UploadRejected:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, RecursionError):
        raise UploadRejected(broken) from None
    except Exception:  # noqa: BLE001 - any parser failure means the structure is broken
        raise UploadRejected(broken) from None
    return data, "\n".join(texts)[:MAX_TEXT_CHARS].replace("\x00", "")


# --- images --------------------------------------------------------------------------------------


def check_image(data, content_type):
    from PIL import Image, ImageOps, UnidentifiedImageError

    broken = _("The image is damaged or incomplete. Please take the photo or scan again.")
    bomb = _("The image has too many pixels. Please upload a smaller image (at most %(mp)d megapixels).") % {
        "mp": settings.UPLOAD_MAX_IMAGE_PIXELS // 1_000_000
    }
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                width, height = probe.size
                if width * height > settings.UPLOAD_MAX_IMAGE_PIXELS:
                    raise UploadRejected(bomb)
                if probe.format not in ("JPEG", "PNG"):
                    raise UploadRejected(broken)
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                image = ImageOps.exif_transpose(image)
                out = io.BytesIO()
                if content_type == JPEG:
                    if image.mode not in ("RGB", "L"):
                        image = image.convert("RGB")
                    # Saving without exif= / icc_profile= drops all metadata (location, camera, ...).
                    image.save(out, format="JPEG", quality=90, optimize=True)
                else:
                    if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                        image = image.convert("RGBA")
                    image.save(out, format="PNG", optimize=True)
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadRejected(bomb) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error, EOFError):
        raise UploadRejected(broken) from None
    return out.getvalue(), ocr_image(out.getvalue())


HEIC_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1", b"heim", b"heis")


def is_heic(head):
    return head[4:8] == b"ftyp" and head[8:12] in HEIC_BRANDS


def heic_to_jpeg(data):
    """Decode a HEIC/HEIF photo (pillow-heif, libheif) to a JPEG; the pixel limit and the damage
    checks of :func:`check_image` follow on the result."""
    import pillow_heif
    from PIL import Image

    broken = _("The image is damaged or incomplete. Please take the photo or scan again.")
    try:
        heif = pillow_heif.open_heif(io.BytesIO(data), convert_hdr_to_8bit=True)
        width, height = heif.size
        if width * height > settings.UPLOAD_MAX_IMAGE_PIXELS:
            raise UploadRejected(
                _("The image has too many pixels. Please upload a smaller image (at most %(mp)d megapixels).")
                % {"mp": settings.UPLOAD_MAX_IMAGE_PIXELS // 1_000_000}
            )
        image = Image.frombytes(heif.mode, heif.size, heif.data, "raw", heif.mode, heif.stride)
        out = io.BytesIO()
        # EXIF goes into the intermediate JPEG only so that check_image can apply the orientation;
        # check_image then writes the photo without any metadata.
        image.convert("RGB").save(out, format="JPEG", quality=95, exif=heif.info.get("exif") or b"")
        return out.getvalue()
    except UploadRejected:
        raise
    except (ValueError, OSError, RuntimeError, SyntaxError, struct.error, EOFError):
        raise UploadRejected(broken) from None


def ocr_image(data):
    """Text of an image through Tesseract when it is installed (deu+eng), else ''."""
    binary = shutil.which("tesseract")
    if not binary or not settings.EFILE_OCR:
        return ""
    try:
        result = subprocess.run(  # noqa: S603 - fixed binary, content on stdin
            [binary, "stdin", "stdout", "-l", "deu+eng"], input=data, capture_output=True, timeout=60, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.decode("utf-8", "replace")[:MAX_TEXT_CHARS]


# --- virus scan ----------------------------------------------------------------------------------


class ScanError(Exception):
    pass


def clamd_scan(data, address):
    """Send ``data`` to clamd (INSTREAM). ``address`` is a socket path or host:port. Returns the
    threat name or None."""
    if ":" in address and not address.startswith("/"):
        host, port = address.rsplit(":", 1)
        sock = socket.create_connection((host, int(port)), timeout=30)
    else:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(30)
        sock.connect(address)
    try:
        sock.sendall(b"zINSTREAM\0")
        for start in range(0, len(data), 65536):
            chunk = data[start : start + 65536]
            sock.sendall(struct.pack("!L", len(chunk)) + chunk)
        sock.sendall(struct.pack("!L", 0))
        reply = b""
        while not reply.endswith(b"\0"):
            part = sock.recv(4096)
            if not part:
                break
            reply += part
    finally:
        sock.close()
    answer = reply.rstrip(b"\0").decode("utf-8", "replace")
    if answer.endswith("OK"):
        return None
    if answer.endswith("FOUND"):
        return answer.split(":", 1)[-1].rsplit(" ", 1)[0].strip()
    raise ScanError(answer)


def virus_scan(data):
    """'clean' or 'not_scanned'; raises UploadRejected when a threat is found or the scanner fails."""
    address = settings.CLAMD_SOCKET
    if not address:
        return "not_scanned"
    try:
        threat = clamd_scan(data, address)
    except (OSError, ScanError):
        raise UploadRejected(_("The file could not be checked for viruses just now. Please try again later.")) from None
    if threat:
        raise UploadRejected(_("The file contains malware and was not accepted."))
    return "clean"


# --- all together --------------------------------------------------------------------------------


def check_upload(uploaded_file, *, name=None, limit=None):
    """Check one uploaded file (a Django UploadedFile or any binary file object with ``name``).

    Returns a :class:`CheckedUpload`; raises :class:`UploadRejected` with a translated reason."""
    if uploaded_file is None:
        raise UploadRejected(_("Please choose a file."))
    limit = limit or max_file_bytes()
    data = _read_limited(uploaded_file, limit)
    if not data:
        raise UploadRejected(_("The file is empty."))
    content_type = sniff(data[:16])
    if content_type is None and is_heic(data[:16]):
        # Phone photos (iPhone): decoded once and handed on as JPEG, re-encoded below like any photo.
        data, content_type = heic_to_jpeg(data), JPEG
    if content_type is None:
        raise UploadRejected(_("This type of file is not accepted. Please upload a PDF, JPEG or PNG file."))
    if content_type == PDF:
        content, text = check_pdf(data)
    else:
        content, text = check_image(data, content_type)
    scan_status = virus_scan(content)
    extension = EXTENSIONS[content_type]
    return CheckedUpload(
        content=content,
        content_type=content_type,
        extension=extension,
        sha256=hashlib.sha256(content).hexdigest(),
        safe_name=safe_file_name(name or getattr(uploaded_file, "name", ""), extension),
        text=text,
        scan_status=scan_status,
    )
