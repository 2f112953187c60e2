"""Retention and backup at scale on PostgreSQL: one authority with 100,000 persons (90 % with a file that
keeps them, 10 % contact-only records untouched for three years), 1,000,000 audit entries over the last
year and 200,000 messages outside any file. Measures the nightly jobs (persons, audit log, messages: time,
rows deleted, a rerun that finds nothing) and `make backup` / `make restore` of the whole database
(time, archive size, 0 rows lost).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<your db> BENCH=privacy make bench
    BENCH_SCALE=0.1 ...   # 10,000 persons, 100,000 audit entries, 20,000 messages

Warning: the restore step replaces the whole database named by DATABASE_URL with its own backup (the data
come back, but run it only on a database of your own). Seeding uses INSERT ... SELECT generate_series and
is skipped when the data are there; the jobs delete part of them, so each run seeds what is missing.
"""

import json
import os
import tempfile
import time
from pathlib import Path

SLUG = "bench-privacy"


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "willkommen.settings")
    os.environ.setdefault("HUEY_STORAGE", "memory")
    os.environ.setdefault("EMAIL_BACKEND", "locmem")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("benchmarks/privacy.py needs DATABASE_URL=postgres://... (a database of your own)")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, skip_checks=True)


def seed(scale):
    from django.db import connection

    from benchmarks.cases import _insert_series
    from willkommen.audit.models import AuditEntry
    from willkommen.clients.models import Person
    from willkommen.core.testing import make_authority
    from willkommen.messaging.models import Message

    authority = make_authority(SLUG, "Stadt Benchmark")
    persons, audit, messages = int(100_000 * scale), int(1_000_000 * scale), int(200_000 * scale)
    a = str(authority.pk)
    have = Person.objects.filter(authority=authority).count()
    if have < persons:
        _insert_series(
            Person,
            persons - have,
            {
                "authority": a,
                "family_name": "'Bench' || g",
                "given_names": "'Kim'",
                "date_of_birth": "date '1980-01-01' + (g % 9000)",
                "name_key": "'bnch'",
                "updated_at": "now() - interval '3 years'",
                "created_at": "now() - interval '3 years'",
            },
        )
        with connection.cursor() as cursor:  # 90 % get a file that keeps them (active)
            cursor.execute(
                "INSERT INTO efile_personfile (authority_id, person_id, state, archive_reason, receiving_authority) "
                "SELECT %s, p.id, 'active', '', '' FROM clients_person p "
                "LEFT JOIN efile_personfile f ON f.person_id = p.id "
                "WHERE p.authority_id = %s AND f.id IS NULL AND p.id %% 10 <> 0",
                [authority.pk, authority.pk],
            )
    have = AuditEntry.objects.filter(authority=authority).count()
    if have < audit:
        _insert_series(
            AuditEntry,
            audit - have,
            {
                "authority": a,
                "at": "now() - (g % 365) * interval '1 day'",
                "actor_label": "'system'",
                "action": "'read'",
                "person_id": "g % 100000",
                "purpose": "'benchmark'",
            },
        )
    have = Message.objects.filter(authority=authority).count()
    if have < messages:
        _insert_series(
            Message,
            messages - have,
            {
                "authority": a,
                "direction": "'out'",
                "channel": "'email'",
                "status": "'sent'",
                "subject": "'Ihr Termin'",
                "created_at": "now() - (g % 365) * interval '1 day'",
            },
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return authority, {"persons": persons, "audit_entries": audit, "messages": messages}


def timed(label, fn, results):
    started = time.perf_counter()
    value = fn()
    seconds = time.perf_counter() - started
    results[label] = {"seconds": round(seconds, 2)}
    return value, results[label]


def main():
    _setup()
    from django.utils import timezone

    from willkommen.audit import retention
    from willkommen.core import backup, restore

    scale = float(os.environ.get("BENCH_SCALE", "1.0"))
    authority, sizes = seed(scale)
    results = {"scale": scale, "seeded": sizes}
    now = timezone.now()
    for room in ("clients", "audit", "messaging"):
        runs, entry = timed(room, lambda room=room: retention.run_job(room, now=now, authorities=[authority]), results)
        entry["deleted"] = runs[0].deleted
        again, entry_again = timed(
            f"{room} (rerun)", lambda room=room: retention.run_job(room, now=now, authorities=[authority]), results
        )
        entry_again["deleted"] = again[0].deleted
    with tempfile.TemporaryDirectory() as work:
        archive = Path(work) / "bench.tar"
        (_path, manifest), entry = timed("backup", lambda: backup.create(archive, log=lambda *a: None), results)
        entry.update(rows=manifest["totals"]["rows"], archive_mb=round(archive.stat().st_size / 1e6, 1))
        report, entry = timed("restore", lambda: restore.restore(archive, log=lambda *a: None), results)
        entry.update(rows=report["rows"], tables_differing=len(report["tables_differing"]))
    for label, value in results.items():
        print(f"{label}: {value}")
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "privacy.json").write_text(json.dumps(results, indent=1, default=str))
