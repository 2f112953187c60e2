"""Restore: put an archive of ``make backup`` back – database and stored files together (``make restore``).

1. ``verify`` reads the whole archive first: the manifest's own checksum, then the SHA-256 of the database
   copy and of every file against the manifest, no member missing, none extra, no unsafe name. A damaged
   archive is refused before anything is touched.
2. The database is replaced as a whole: SQLite through the online backup API (the copy's pages overwrite
   the live database), PostgreSQL by one ``psql --single-transaction`` that drops the schema and replays
   ``pg_restore``'s script – if any statement fails, nothing changed.
3. Every file is written back to the default storage under its name and read back against its checksum.
4. The row count of every table and the checksum of every file are compared with the manifest; the
   command reports what was restored and fails loudly on any difference.

Stop the web server and the job consumer first: a restore replaces the data under them.
"""

import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connection

from .backup import (
    CHUNK,
    FORMAT,
    MANIFEST,
    VERSION,
    BackupError,
    _digest,
    engine,
    live_counts,
    manifest_checksum,
    pg_environment,
    secret_fingerprint,
    sha256_of,
    storage_files,
)


class DamagedArchive(BackupError):
    pass


def _safe(name):
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == str(path)


def read_manifest(archive):
    try:
        member = archive.getmember(MANIFEST)
        manifest = json.loads(archive.extractfile(member).read())
    except (KeyError, ValueError, tarfile.TarError, OSError) as error:
        raise DamagedArchive(f"The archive has no readable manifest ({error}).")
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise DamagedArchive("This is not an archive of `make backup` (or of a newer version).")
    if manifest.get("manifest_sha256") != manifest_checksum(manifest):
        raise DamagedArchive("The manifest is damaged (its checksum does not match).")
    return manifest


def verify(path):
    """Check every member of the archive against the manifest; returns the manifest or raises DamagedArchive."""
    try:
        archive = tarfile.open(path, "r:")
    except (tarfile.TarError, OSError) as error:
        raise DamagedArchive(f"The archive cannot be read ({error}).")
    with archive:
        manifest = read_manifest(archive)
        expected = {f"files/{name}": entry for name, entry in manifest["files"].items()}
        expected[manifest["database"]["member"]] = manifest["database"]
        seen = set()
        try:
            for member in archive:
                if member.name == MANIFEST:
                    continue
                if not member.isfile() or not _safe(member.name) or member.name not in expected:
                    raise DamagedArchive(f"Unexpected member in the archive: {member.name!r}.")
                sha, size = _digest(archive.extractfile(member))
                entry = expected[member.name]
                if (sha, size) != (entry["sha256"], entry["size"]):
                    raise DamagedArchive(f"{member.name} is damaged (checksum or size does not match the manifest).")
                seen.add(member.name)
        except (tarfile.TarError, OSError, EOFError) as error:
            raise DamagedArchive(f"The archive is truncated or damaged ({error}).")
        missing = sorted(set(expected) - seen)
        if missing:
            raise DamagedArchive(f"{len(missing)} members are missing from the archive, e.g. {missing[0]}.")
    return manifest


# --- the database ------------------------------------------------------------------------------------------


def restore_sqlite(dump):
    import sqlite3

    source = sqlite3.connect(dump)
    try:
        if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise DamagedArchive("The database copy in the archive failed its integrity check.")
        connection.close()
        connection.ensure_connection()
        source.backup(connection.connection)
    finally:
        source.close()


def restore_postgresql(dump):
    for tool in ("pg_restore", "psql"):
        if not shutil.which(tool):
            raise BackupError(f"{tool} is not installed (Debian: apt-get install postgresql-client).")
    env = pg_environment()
    connection.close()
    script = subprocess.Popen(  # noqa: S603 (fixed arguments)
        ["pg_restore", "--no-owner", "--no-privileges", "--file=-", str(dump)], env=env, stdout=subprocess.PIPE
    )
    replay = subprocess.run(
        [
            "psql",
            "--no-psqlrc",
            "--quiet",
            "--set=ON_ERROR_STOP=1",
            "--single-transaction",
            "--command=DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;",
            "--file=-",
        ],
        env=env,
        stdin=script.stdout,
        capture_output=True,
        text=True,
        check=False,
    )
    script.stdout.close()
    if script.wait() != 0 or replay.returncode != 0:
        raise BackupError(f"The database was not restored (nothing changed): {replay.stderr.strip()[:2000]}")


# --- the files ---------------------------------------------------------------------------------------------


def restore_files(archive, manifest):
    for name in sorted(manifest["files"]):
        if default_storage.exists(name):
            default_storage.delete(name)
        with archive.extractfile(f"files/{name}") as handle:
            stored = default_storage.save(name, File(handle, name=name))
        if stored != name:
            raise BackupError(f"The storage wrote {name} as {stored}; restore stopped.")


def check_files(manifest):
    wrong = []
    for name, entry in manifest["files"].items():
        try:
            with default_storage.open(name, "rb") as handle:
                if _digest(handle) != (entry["sha256"], entry["size"]):
                    wrong.append(name)
        except FileNotFoundError:
            wrong.append(name)
    return wrong


# --- all of it ---------------------------------------------------------------------------------------------


def restore(path, *, log=print):
    """Verify, then restore database and files, then compare everything with the manifest. Returns a report."""
    manifest = verify(path)
    if manifest["engine"] != engine():
        raise BackupError(
            f"The archive holds a {manifest['engine']} database; this installation runs {engine()}. "
            "Restore it into the same kind of database."
        )
    with tempfile.TemporaryDirectory(prefix="willkommen-restore-") as work, tarfile.open(path, "r:") as archive:
        member = manifest["database"]["member"]
        dump = Path(work) / PurePosixPath(member).name
        with archive.extractfile(member) as source, open(dump, "wb") as target:
            shutil.copyfileobj(source, target, CHUNK)
        if sha256_of(dump) != manifest["database"]["sha256"]:
            raise DamagedArchive("The database copy changed while it was read.")
        (restore_sqlite if manifest["engine"] == "sqlite" else restore_postgresql)(dump)
        log(f"database restored: {len(manifest['tables'])} tables")
        restore_files(archive, manifest)
        log(f"files restored: {len(manifest['files'])}")
    counts = live_counts(manifest["tables"])
    rows_lost = {t: (n, counts[t]) for t, n in manifest["tables"].items() if counts[t] != n}
    files_wrong = check_files(manifest)
    extra = sorted(set(storage_files()) - set(manifest["files"]))
    report = {
        "tables": len(manifest["tables"]),
        "rows": sum(manifest["tables"].values()),
        "files": len(manifest["files"]),
        "tables_differing": rows_lost,
        "files_differing": files_wrong,
        "files_not_in_archive": len(extra),
        "secret_key_matches": manifest.get("secret_key_fingerprint") == secret_fingerprint(),
    }
    if rows_lost or files_wrong:
        raise BackupError(f"Restored, but the check found differences: {rows_lost or ''} {files_wrong[:5] or ''}")
    return report
