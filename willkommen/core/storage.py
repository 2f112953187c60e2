"""Reading stored files with their checksum verified, and handing them out after the permission checks.

Files live in Django's default storage: the file system by default, an S3-compatible bucket in production
(``STORAGE_BACKEND=s3``). Every table that keeps a file keeps its SHA-256 beside it; :func:`read_verified`
and :func:`open_verified` compare it on every read and raise :class:`DamagedFile` instead of handing out
changed or truncated content. :func:`download` answers a download whose permission the view has checked:
streamed through the web server (default, verified) or – ``STORAGE_DOWNLOADS=presigned`` with S3 – a
redirect to a short-lived signed URL of the bucket (``STORAGE_URL_SECONDS``), so large files do not pass
through the web server; the bucket itself stays private.
"""

import hashlib
import logging
import tempfile
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponseRedirect

logger = logging.getLogger("willkommen.storage")

CHUNK = 1024 * 1024


class DamagedFile(OSError):
    """The stored content does not match the checksum recorded when it was stored."""


def _copy_hashed(name, storage, target):
    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            target.write(chunk)
    return digest.hexdigest()


def _check(name, expected, actual):
    if expected and actual != expected:
        logger.error("stored file %s does not match its checksum (expected %s, found %s)", name, expected, actual)
        raise DamagedFile(f"{name}: checksum mismatch")


def read_verified(name, sha256, storage=None):
    """The file's bytes, after comparing their SHA-256 with ``sha256``."""
    import io

    buffer = io.BytesIO()
    _check(name, sha256, _copy_hashed(name, storage or default_storage, buffer))
    return buffer.getvalue()


def open_verified(name, sha256, storage=None):
    """A temporary file (in memory up to 8 MB) with the verified content, positioned at the start."""
    spool = tempfile.SpooledTemporaryFile(max_size=8 * CHUNK)  # noqa: SIM115 (returned to the caller)
    try:
        _check(name, sha256, _copy_hashed(name, storage or default_storage, spool))
    except Exception:
        spool.close()
        raise
    spool.seek(0)
    return spool


def presigned_downloads(storage=None):
    storage = storage or default_storage
    return getattr(settings, "STORAGE_DOWNLOADS", "stream") == "presigned" and hasattr(storage, "bucket_name")


def download(name, sha256, *, content_type, filename, attachment=True, storage=None):
    """The response for a download the caller has allowed (and audit-logged): a verified stream, or a
    redirect to a signed URL valid for ``STORAGE_URL_SECONDS``. Raises :class:`DamagedFile`/``OSError``."""
    storage = storage or default_storage
    if presigned_downloads(storage):
        disposition = "attachment" if attachment else "inline"
        url = storage.url(
            name,
            parameters={
                "ResponseContentDisposition": f"{disposition}; filename*=UTF-8''{quote(filename)}",
                "ResponseContentType": content_type,
                "ResponseCacheControl": "private, no-store",
            },
            expire=getattr(settings, "STORAGE_URL_SECONDS", 60),
        )
        response = HttpResponseRedirect(url)
    else:
        response = FileResponse(
            open_verified(name, sha256, storage), content_type=content_type, as_attachment=attachment, filename=filename
        )
        response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def s3_storage():
    """The bucket configured by the AWS_* settings, whatever STORAGE_BACKEND says (for moving files there)."""
    from storages.backends.s3 import S3Storage

    return S3Storage(**settings.S3_STORAGE_OPTIONS)
