"""Backup and restore: the drill (fill data and files, `make backup`, wipe, `make restore`, compare every
table's row count and every file's checksum) on SQLite and on PostgreSQL, and the refusal of damaged
archives."""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from willkommen.core import backup, restore

BASE = Path(settings.BASE_DIR)


@pytest.fixture
def media(settings, tmp_path):
    root = tmp_path / "media"
    root.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(root)}},
    }
    settings.CLAMD_SOCKET = ""
    return root


def fill():
    """Two authorities with persons, cases, documents (files), messages with attachments, letters,
    generated appointment slots and a few thousand audit entries."""
    from django.core.files.base import ContentFile

    from willkommen.appointments.testing import make_offer
    from willkommen.audit.models import AuditEntry
    from willkommen.cases.services import open_case
    from willkommen.catalogue.testing import make_anliegen
    from willkommen.clients.testing import make_client
    from willkommen.core.testing import make_authority, make_team
    from willkommen.efile import services as efile
    from willkommen.efile.tests.conftest import jpeg_bytes, pdf_bytes, upload
    from willkommen.letters.models import Letter
    from willkommen.messaging.services import send_message

    for slug, name in (("alpha", "Stadt Alpha"), ("beta", "Landkreis Beta")):
        authority = make_authority(slug, name)
        team = make_team(authority)
        anliegen = make_anliegen(authority)
        make_offer(authority, anliegen=anliegen, horizon=10)
        for n in range(6):
            person = make_client(authority, family_name=f"Person{n}", email=f"p{n}@{slug}.example")
            if n < 3:
                case, _code = open_case(authority, person=person, anliegen=anliegen, team=team)
                efile.add_document(
                    authority,
                    person,
                    upload(f"pass{n}.pdf", pdf_bytes(f"Pass {slug} {n}")),
                    document_type="passport",
                    source="upload",
                    case=case,
                )
                efile.add_document(
                    authority, person, upload("foto.jpg", jpeg_bytes()), document_type="photo", source="upload"
                )
                letter = Letter(
                    authority=authority, person=person, case=case, kind="receipt", languages="de", title="E"
                )
                letter.file.save(f"receipt-{n}.pdf", ContentFile(f"%PDF-1.4 {slug} {n}".encode()), save=False)
                letter.save()
                send_message(
                    authority,
                    person=person,
                    email=person.email,
                    subject="Hallo",
                    body="Text",
                    attachments=[("anlage.pdf", f"%PDF-1.4 attachment {n}".encode(), "application/pdf")],
                )
        AuditEntry.objects.bulk_create(
            AuditEntry(authority=authority, actor_label="system", action="read", person_id=n % 6, purpose="drill")
            for n in range(2500)
        )


def make(target, **variables):
    """Run a Makefile target as an operator would, against the database and storage in ``variables``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "DJANGO_SETTINGS"))}
    env.update(
        {key: str(value) for key, value in variables.items() if key.isupper() and key not in ("BACKUP", "RESTORE_ARGS")}
    )
    arguments = [f"{key}={value}" for key, value in variables.items() if key in ("BACKUP", "RESTORE_ARGS")]
    result = subprocess.run(
        ["make", "--no-print-directory", "-C", str(BASE), target, *arguments],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def operator_env(tmp_path, media, database_url):
    return {
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": media,
        "STORAGE_BACKEND": "filesystem",
        "VAR_DIR": tmp_path / "var",
        "BACKUP_DIR": tmp_path / "backups",
        "SECRET_KEY": settings.SECRET_KEY,
    }


def file_checksums(root):
    import hashlib

    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()
    }


def assert_worth_a_drill(state):
    assert sum(state["tables"].values()) > 5000 and len(state["files"]) >= 20
    assert state["tables"]["audit_auditentry"] == 5000


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_drill_sqlite_make_backup_wipe_make_restore(tmp_path, media):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite drill")
    fill()
    before = backup.inventory()
    assert_worth_a_drill(before)
    # The installation of the drill: this test database as a file of its own, and the stored files.
    db_file = tmp_path / "willkommen.sqlite3"
    copy = sqlite3.connect(db_file)
    connection.connection.backup(copy)
    copy.close()
    archive = tmp_path / "drill.tar"
    env = operator_env(tmp_path, media, f"sqlite:///{db_file}")
    out = make("backup", BACKUP=archive, **env)
    assert "Backup written" in out and archive.exists() and (archive.stat().st_mode & 0o777) == 0o600

    for path in tmp_path.glob("willkommen.sqlite3*"):  # the database is lost, and the files with it
        path.unlink()
    shutil.rmtree(media)
    media.mkdir()

    out = make("restore", BACKUP=archive, RESTORE_ARGS="--noinput", **env)
    assert "0 rows and 0 files lost" in out
    restored = sqlite3.connect(db_file)
    after = {"tables": backup.sqlite_counts(restored), "files": file_checksums(media)}
    restored.close()
    assert after == before  # 0 rows and 0 files lost


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_drill_postgresql_make_backup_wipe_make_restore(tmp_path, media):
    from willkommen.clients.models import Person

    fill()
    before = backup.inventory()
    assert_worth_a_drill(before)
    highest = Person.objects.order_by("-pk").first().pk
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    archive = tmp_path / "drill.tar"
    env = operator_env(tmp_path, media, url)
    assert "Backup written" in make("backup", BACKUP=archive, **env)

    call_command("flush", interactive=False, verbosity=0)  # the data are lost, and the files with them
    shutil.rmtree(media)
    media.mkdir()
    assert backup.inventory()["tables"]["clients_person"] == 0
    connection.close()

    assert "0 rows and 0 files lost" in make("restore", BACKUP=archive, RESTORE_ARGS="--noinput", **env)
    assert backup.inventory() == before  # 0 rows and 0 files lost
    # The sequences came back too: a new row does not collide with a restored one.
    from willkommen.clients.testing import make_client
    from willkommen.tenancy.models import Authority

    assert make_client(Authority.objects.get(slug="alpha"), family_name="After").pk > highest


# --- damaged archives are refused and change nothing --------------------------------------------------------


@pytest.fixture
def archive(tmp_path, media, transactional_db):
    from willkommen.clients.testing import make_client
    from willkommen.core.testing import make_authority
    from willkommen.efile import services as efile
    from willkommen.efile.tests.conftest import pdf_bytes, upload

    authority = make_authority()
    person = make_client(authority)
    efile.add_document(authority, person, upload("pass.pdf", pdf_bytes()), document_type="passport", source="upload")
    path, _manifest = backup.create(tmp_path / "a.tar", log=lambda *a: None)
    return path


def rewrite(path, change):
    """Copy the archive member by member, letting ``change(name, data)`` alter (or drop: None) each one."""
    target = path.with_name("changed.tar")
    with tarfile.open(path) as source, tarfile.open(target, "w") as out:
        for member in source:
            data = change(member.name, source.extractfile(member).read())
            if data is None:
                continue
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    return target


def flip_in_document(name, data):
    return data[:-20] + bytes([data[-20] ^ 0xFF]) + data[-19:] if name.startswith("files/efile/") else data


def cut_in_the_middle(path):
    """The archive cut inside the document (a copy that broke off)."""
    with tarfile.open(path) as tar:
        member = next(m for m in tar.getmembers() if m.name.startswith("files/"))
    target = path.with_name("cut.tar")
    target.write_bytes(path.read_bytes()[: member.offset_data + member.size // 2])
    return target


def changed_manifest(**changes):
    def change(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest.update(changes)
        if "manifest_sha256" not in changes:
            manifest["manifest_sha256"] = backup.manifest_checksum(manifest)
        return json.dumps(manifest).encode()

    return change


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "damage,message",
    [
        (lambda p: rewrite(p, flip_in_document), "is damaged"),
        (lambda p: rewrite(p, lambda n, d: d[: len(d) // 2] if n.startswith("database/") else d), "is damaged"),
        (lambda p: rewrite(p, lambda n, d: None if n.startswith("files/") else d), "missing"),
        (lambda p: rewrite(p, lambda n, d: None if n == "manifest.json" else d), "no readable manifest"),
        (
            lambda p: rewrite(p, changed_manifest(tables={"clients_person": 99}, manifest_sha256="0")),
            "manifest is damaged",
        ),
        (lambda p: rewrite(p, changed_manifest(version=99)), "newer version"),
        (cut_in_the_middle, "no readable manifest|truncated"),
    ],
    ids=["file-byte", "database-cut", "file-missing", "no-manifest", "manifest-edited", "version", "truncated"],
)
def test_restore_refuses_a_damaged_archive_and_changes_nothing(archive, damage, message):
    damaged = damage(archive)
    before = backup.inventory()
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(damaged), interactive=False)
    assert backup.inventory() == before
    assert restore.verify(archive)["totals"]["files"] == 1  # the intact archive is fine


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_an_archive_of_the_other_engine(archive):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    with pytest.raises(CommandError, match="same kind of database"):
        call_command("restore", str(rewrite(archive, changed_manifest(engine=other))), interactive=False)


@pytest.mark.django_db(transaction=True)
def test_check_only_verifies_and_a_question_guards_the_restore(archive, monkeypatch, capsys):
    call_command("restore", str(archive), check=True)
    assert "all checksums match" in capsys.readouterr().out
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(archive))


@pytest.mark.django_db(transaction=True)
def test_in_process_round_trip_restores_rows_and_files(archive, media):
    """The restore path in this process (SQLite in memory or the PostgreSQL test database)."""
    from willkommen.clients.models import Person

    before = backup.inventory()
    Person.objects.all().update(family_name="Changed")
    for path in media.rglob("*"):
        if path.is_file():
            path.write_bytes(b"overwritten")
    call_command("restore", str(archive), interactive=False)
    assert backup.inventory() == before
    assert set(Person.objects.values_list("family_name", flat=True)) == {"Haddad"}


@pytest.mark.django_db(transaction=True)
def test_manifest_lists_counts_checksums_and_migrations(archive):
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        names = tar.getnames()
    assert names[-1] == "manifest.json" and names[0] == manifest["database"]["member"]
    assert manifest["tables"]["clients_person"] == 1 and manifest["totals"]["files"] == 1
    assert "0001_initial" in manifest["migrations"]["clients"]
    [(name, entry)] = manifest["files"].items()
    assert name.startswith("efile/") and len(entry["sha256"]) == 64


def test_old_archives_are_pruned(tmp_path):
    old, new = tmp_path / "willkommen-sqlite-old.tar", tmp_path / "willkommen-sqlite-new.tar"
    for path in (old, new):
        path.write_bytes(b"x")
    os.utime(old, (0, timezone.now().timestamp() - 40 * 86400))
    assert backup.prune(tmp_path, 30) == [old]
    assert new.exists() and not old.exists()
    assert backup.prune(tmp_path, 0) == []


def test_make_restore_needs_an_archive():
    result = subprocess.run(
        ["make", "--no-print-directory", "-C", str(BASE), "restore"], capture_output=True, text=True, check=False
    )
    assert result.returncode != 0 and "usage: make restore BACKUP=" in result.stdout
