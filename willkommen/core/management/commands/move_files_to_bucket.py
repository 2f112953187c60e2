"""Move the files of an installation from the file system (MEDIA_ROOT) into the S3 bucket, verified.

    manage.py move_files_to_bucket --dry-run          # what would be copied, and any damaged file
    manage.py move_files_to_bucket                    # copy, read back from the bucket, compare checksums
    manage.py move_files_to_bucket --delete-source    # the same, then remove each verified local copy

The bucket is the one the AWS_* settings name (whatever STORAGE_BACKEND says, so it can run before the switch).
Every file keeps its storage name as the object key, so no database row changes; afterwards set
``STORAGE_BACKEND=s3``. The SHA-256 of every file is computed locally, compared with the checksum the database
keeps for it (every model with a ``sha256`` field beside a file field or ``storage_name``), and compared again
after reading the object back from the bucket. A damaged file is reported and not copied. Running it again
skips what is already in the bucket with the same checksum. Exit status 1 when anything did not verify.
"""

import hashlib
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import models

from willkommen.core.storage import s3_storage


def checksum_tables():
    """(model, name field) for every model that keeps a stored file and its SHA-256."""
    tables = []
    for model in apps.get_models():
        names = {f.name: f for f in model._meta.get_fields() if getattr(f, "concrete", False)}
        if "sha256" not in names:
            continue
        file_fields = [f.name for f in names.values() if isinstance(f, models.FileField)]
        if file_fields:
            tables.append((model, file_fields[0]))
        elif "storage_name" in names:
            tables.append((model, "storage_name"))
    return tables


def known_checksums():
    known = {}
    for model, field in checksum_tables():
        for name, sha256 in model._base_manager.exclude(**{field: ""}).values_list(field, "sha256").iterator():
            known[str(name)] = sha256
    return known


def _sha256(data):
    return hashlib.sha256(data).hexdigest()


class Command(BaseCommand):
    help = "Copy every file from MEDIA_ROOT into the S3 bucket and verify every checksum."

    def add_arguments(self, parser):
        parser.add_argument("--source", default=str(settings.MEDIA_ROOT), help="directory to move (MEDIA_ROOT)")
        parser.add_argument("--dry-run", action="store_true", help="only check and report")
        parser.add_argument("--delete-source", action="store_true", help="remove local copies once verified")

    def handle(self, *args, source, dry_run, delete_source, **options):
        root = Path(source)
        if not root.is_dir():
            raise CommandError(f"{root} is not a directory")
        bucket = s3_storage()
        known = known_checksums()
        counts = {"copied": 0, "already": 0, "damaged": 0, "failed": 0, "unrecorded": 0}
        seen = set()
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            name = path.relative_to(root).as_posix()
            seen.add(name)
            outcome = self._move(bucket, path, name, known.get(name), dry_run)
            counts[outcome] += 1
            if name not in known:
                counts["unrecorded"] += 1
            if delete_source and not dry_run and outcome in ("copied", "already"):
                path.unlink()
        missing = sorted(set(known) - seen)
        for name in missing:
            if not bucket.exists(name):
                self.stderr.write(f"MISSING  {name}: recorded in the database, neither on disk nor in the bucket")
        self.stdout.write(
            f"{counts['copied']} copied and verified, {counts['already']} already in the bucket, "
            f"{counts['damaged']} damaged, {counts['failed']} failed, {counts['unrecorded']} without a checksum "
            f"in the database (checked against themselves), {len(missing)} recorded but not on disk"
            + (" (dry run: nothing copied)" if dry_run else "")
        )
        if counts["damaged"] or counts["failed"]:
            raise CommandError("some files did not verify; nothing of them was copied or deleted")

    def _move(self, bucket, path, name, expected, dry_run):
        data = path.read_bytes()
        local = _sha256(data)
        if expected and local != expected:
            self.stderr.write(f"DAMAGED  {name}: {local} on disk, {expected} in the database")
            return "damaged"
        if bucket.exists(name):
            with bucket.open(name, "rb") as handle:
                remote = _sha256(handle.read())
            if remote == local:
                return "already"
            self.stderr.write(f"FAILED   {name}: a different object of that name is in the bucket")
            return "failed"
        if dry_run:
            return "copied"
        stored = bucket.save(name, ContentFile(data))
        with bucket.open(stored, "rb") as handle:
            remote = _sha256(handle.read())
        if stored != name or remote != local:
            bucket.delete(stored)
            self.stderr.write(f"FAILED   {name}: read back {remote} as {stored}")
            return "failed"
        return "copied"
