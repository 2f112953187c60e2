"""Backup: the database and the stored files together in one archive with a manifest (``make backup``).

The archive is a plain tar file (documents are compressed already) holding

- ``database/sqlite3.db`` – a consistent copy made with SQLite's online backup API, or
  ``database/postgresql.dump`` – ``pg_dump --format=custom`` of one exported snapshot;
- ``files/<name>`` – every file of the default storage (disk or S3, through Django's storage API);
- ``manifest.json`` (last) – format, time, engine, migration state, the row count of every table *in
  the same snapshot as the dump*, the size and SHA-256 of the database copy and of every file, and a
  checksum of the manifest itself.

Order and consistency: the database snapshot comes first, then the files. Stored files are written
once and never changed, so every file a row of the snapshot names is on storage (unless a retention job
deleted it in between: it is listed under ``missing`` and the command warns; do not run backups during
the nightly retention window, 02:40-04:30). The restore (``restore.py``) refuses an archive whose
manifest, database copy or any file does not match its checksum.
"""

import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path

import django
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.crypto import salted_hmac

FORMAT = "willkommen-backup"
VERSION = 1
CHUNK = 1024 * 1024
MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


def engine():
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def secret_fingerprint():
    """A fingerprint of SECRET_KEY (not reversible): the restore warns when the key differs."""
    return salted_hmac("willkommen.backup.fingerprint", "secret", algorithm="sha256").hexdigest()[:16]


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def manifest_checksum(manifest):
    body = {key: value for key, value in manifest.items() if key != "manifest_sha256"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


# --- the database ------------------------------------------------------------------------------------------


def sqlite_tables(db):
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    return [name for (name,) in rows]


def sqlite_counts(db):
    return {name: db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in sqlite_tables(db)}  # noqa: S608


def dump_sqlite(target):
    """Copy the live database into ``target`` with the online backup API (one consistent snapshot; in WAL
    mode writers go on meanwhile) and count the rows of the copy."""
    import sqlite3

    if connection.in_atomic_block:
        raise BackupError("Run the backup outside a transaction (SQLite would wait for itself).")
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("The copy of the SQLite database failed its integrity check.")
        return sqlite_counts(copy)
    finally:
        copy.close()


def pg_environment():
    """Environment for pg_dump/pg_restore/psql from the Django database settings (the password never on
    the command line)."""
    db = connection.settings_dict
    env = dict(os.environ)
    for key, value in (
        ("PGHOST", db.get("HOST")),
        ("PGPORT", str(db.get("PORT") or "")),
        ("PGUSER", db.get("USER")),
        ("PGPASSWORD", db.get("PASSWORD")),
        ("PGDATABASE", db.get("NAME")),
        ("PGSSLMODE", (db.get("OPTIONS") or {}).get("sslmode")),
    ):
        if value:
            env[key] = value
    return env


def pg_tables(cursor):
    cursor.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
    )
    return [name for (name,) in cursor.fetchall()]


def pg_counts(cursor):
    counts = {}
    for name in pg_tables(cursor):
        cursor.execute('SELECT COUNT(*) FROM "{}"'.format(name.replace('"', '""')))  # noqa: S608
        counts[name] = cursor.fetchone()[0]
    return counts


def dump_postgresql(target):
    """pg_dump of one snapshot, exported from a REPEATABLE READ transaction in which the rows are counted:
    the counts in the manifest are exactly the rows in the dump, however busy the database is."""
    if not shutil.which("pg_dump"):
        raise BackupError("pg_dump is not installed (Debian: apt-get install postgresql-client).")
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = False
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = pg_counts(cursor)
            command = [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={target}",
            ]
            result = subprocess.run(command, env=pg_environment(), capture_output=True, text=True, check=False)
            if result.returncode != 0:
                raise BackupError(f"pg_dump failed: {result.stderr.strip()[:2000]}")
        raw.rollback()
    finally:
        raw.close()
    return counts


def migration_state():
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return {}
    state = {}
    for app, name in recorder.migration_qs.order_by("app", "name").values_list("app", "name"):
        state.setdefault(app, []).append(name)
    return state


# --- the files ---------------------------------------------------------------------------------------------


def storage_files(storage=None, folder=""):
    """Every file name in the storage, depth first, sorted (works for the file system and for S3)."""
    storage = storage or default_storage
    try:
        folders, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from storage_files(storage, f"{folder}/{sub}" if folder else sub)


class HashingReader:
    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size=-1):
        chunk = self.handle.read(size)
        self.digest.update(chunk)
        self.size += len(chunk)
        return chunk


def _add_file(archive, name):
    with default_storage.open(name, "rb") as handle:
        size = default_storage.size(name)
        info = tarfile.TarInfo(f"files/{name}")
        info.size = size
        info.mtime = int(time.time())
        info.mode = 0o640
        reader = HashingReader(handle)
        archive.addfile(info, reader)
    return {"sha256": reader.digest.hexdigest(), "size": reader.size}


def _add_path(archive, member, path):
    info = archive.gettarinfo(str(path), arcname=member)
    info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
    with open(path, "rb") as handle:
        archive.addfile(info, handle)


# --- the archive -------------------------------------------------------------------------------------------


def default_path(vendor):
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.BACKUP_DIR) / f"willkommen-{vendor}-{stamp}.tar"


def create(path=None, *, log=print):
    """Write the archive (atomically: a ``.partial`` file renamed at the end, readable by the owner only).
    Returns (path, manifest)."""
    vendor = engine()
    path = Path(path or default_path(vendor))
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="willkommen-backup-") as work:
        dump = Path(work) / ("sqlite3.db" if vendor == "sqlite" else "postgresql.dump")
        counts = dump_sqlite(dump) if vendor == "sqlite" else dump_postgresql(dump)
        log(f"database: {len(counts)} tables, {sum(counts.values())} rows")
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": timezone.now().isoformat(),
            "engine": vendor,
            "django": django.get_version(),
            "secret_key_fingerprint": secret_fingerprint(),
            "migrations": migration_state(),
            "database": {"member": f"database/{dump.name}", "sha256": sha256_of(dump), "size": dump.stat().st_size},
            "tables": counts,
            "files": {},
            "missing": [],
        }
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
            _add_path(archive, manifest["database"]["member"], dump)
            for name in storage_files():
                try:
                    manifest["files"][name] = _add_file(archive, name)
                except FileNotFoundError:
                    manifest["missing"].append(name)  # deleted between listing and copying
            manifest["totals"] = {
                "tables": len(counts),
                "rows": sum(counts.values()),
                "files": len(manifest["files"]),
                "bytes": sum(f["size"] for f in manifest["files"].values()),
            }
            manifest["manifest_sha256"] = manifest_checksum(manifest)
            body = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(body), int(time.time()), 0o600
            archive.addfile(info, io.BytesIO(body))
            raw.flush()
            os.fsync(raw.fileno())
    os.replace(partial, path)
    log(f"files: {manifest['totals']['files']} ({manifest['totals']['bytes']} bytes)")
    if manifest["missing"]:
        log(f"warning: {len(manifest['missing'])} files disappeared during the backup: {manifest['missing'][:5]}")
    return path, manifest


def prune(directory=None, keep_days=None, *, now=None):
    """Delete archives in BACKUP_DIR older than BACKUP_KEEP_DAYS: data deleted by retention must not live on
    in backups for ever. Returns the deleted paths."""
    directory = Path(directory or settings.BACKUP_DIR)
    keep_days = settings.BACKUP_KEEP_DAYS if keep_days is None else keep_days
    if keep_days <= 0 or not directory.is_dir():
        return []
    cutoff = (now or time.time()) - keep_days * 86400
    deleted = []
    for archive in sorted(directory.glob("willkommen-*.tar")):
        if archive.stat().st_mtime < cutoff:
            archive.unlink()
            deleted.append(archive)
    return deleted


def _digest(handle):
    digest = hashlib.sha256()
    size = 0
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def live_counts(tables):
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        counts = sqlite_counts(connection.connection)
    else:
        with connection.cursor() as cursor:
            counts = pg_counts(cursor)
    return {name: counts.get(name) for name in tables}


def inventory():
    """What the installation holds now: the row count of every table and the SHA-256 of every stored file
    (the drill compares it before the backup and after the restore)."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        tables = sqlite_tables(connection.connection)
    else:
        with connection.cursor() as cursor:
            tables = pg_tables(cursor)
    files = {}
    for name in storage_files():
        with default_storage.open(name, "rb") as handle:
            files[name] = _digest(handle)[0]
    return {"tables": live_counts(tables), "files": files}
