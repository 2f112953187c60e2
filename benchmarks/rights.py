"""The monthly rights screening over 200,000 tolerated persons on PostgreSQL: the run time of
``rights.services.screen`` as a ratio to a bare scan of the same persons (their ids, names and birth dates).

Each person has a Duldung (every tenth a § 104c title), a stay with one gap and a few recorded facts, so
the evaluator sees likely, needs-data and unlikely results. The screening writes one check and five
outcomes per person; the baseline only reads.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wk_bench_rights BENCH=rights make bench
    BENCH_SCALE=0.02 ...   # 4,000 persons

Seeding uses bulk inserts and is skipped when the data are there; each measurement screens a new day.
"""

import json
import os
import time
from pathlib import Path

from benchmarks.cases import setup_django

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/wk_bench_rights"
PERSONS = 200_000
BATCH = 2_000


def seed(slug, count):
    import datetime as dt

    from willkommen.clients.models import Person, ResidenceEntry
    from willkommen.core.testing import make_authority
    from willkommen.rights.models import Fact

    authority = make_authority(slug, f"Bench {slug}", "BY")
    have = Person.objects.filter(authority=authority).count()
    if have >= count:
        return authority
    t0 = time.perf_counter()
    for start in range(have, count, BATCH):
        n = min(BATCH, count - start)
        persons = Person.objects.bulk_create(
            Person(
                authority=authority,
                family_name=f"Geduldet{start + i}",
                given_names="Sam",
                date_of_birth=dt.date(1990, 1, 1) + dt.timedelta(days=(start + i) % 6000),
                nationalities=["SYR"],
            )
            for i in range(n)
        )
        entries, facts = [], []
        for i, person in enumerate(persons):
            k = start + i
            since = dt.date(2015, 1, 1) + dt.timedelta(days=k % 2500)
            entries.append(
                ResidenceEntry(
                    authority=authority,
                    person=person,
                    kind="gestattung",
                    valid_from=since - dt.timedelta(days=400),
                    valid_to=since - dt.timedelta(days=60 + k % 60),
                )
            )
            entries.append(
                ResidenceEntry(
                    authority=authority,
                    person=person,
                    kind="title" if k % 10 == 0 else "duldung",
                    legal_basis="§ 104c AufenthG" if k % 10 == 0 else "§ 60a AufenthG",
                    valid_from=since,
                    valid_to=dt.date(2030, 1, 1),
                )
            )
            for kind, value in (
                ("german_level", "A2"),
                ("livelihood", "work_mainly"),
                ("identity_deception", k % 17 == 0),
            ):
                if k % 5 != 0 or kind != "german_level":  # every fifth: German never entered
                    facts.append(
                        Fact(
                            authority=authority,
                            person=person,
                            kind=kind,
                            value=value,
                            source="staff",
                            established_on=dt.date(2024, 1, 1),
                        )
                    )
        ResidenceEntry.objects.bulk_create(entries)
        Fact.objects.bulk_create(facts)
    print(f"  seeded {slug}: {count} persons in {time.perf_counter() - t0:.1f} s", flush=True)
    return authority


def main():
    setup_django(DEFAULT_URL, "BENCH_RIGHTS_DATABASE_URL")
    import datetime as dt

    from django.db import connection

    from willkommen.clients.models import Person
    from willkommen.rights import services
    from willkommen.rights.models import ScreeningRun

    scale = float(os.environ.get("BENCH_SCALE", "1.0"))
    count = max(100, int(PERSONS * scale))
    authority = seed("bench-rights", count)

    t0 = time.perf_counter()
    scanned = sum(
        1
        for _ in Person.objects.filter(authority=authority)
        .values_list("pk", "family_name", "date_of_birth")
        .iterator(chunk_size=5000)
    )
    bare = time.perf_counter() - t0

    day = dt.date(2026, 1, 1) + dt.timedelta(days=ScreeningRun.objects.filter(authority=authority).count())
    t0, c0 = time.perf_counter(), time.process_time()
    run = services.screen(authority, day)
    screening, cpu = time.perf_counter() - t0, time.process_time() - c0
    by_result = {}
    for best in run.checks.values_list("best", flat=True):
        by_result[best] = by_result.get(best, 0) + 1
    result = {
        "persons": scanned,
        "checked": run.persons,
        "bare_scan_s": round(bare, 3),
        "screening_s": round(screening, 2),
        "ratio": round(screening / max(bare, 0.001), 1),
        "per_person_ms": round(1000 * screening / max(run.persons, 1), 3),
        "screening_cpu_s": round(cpu, 2),  # this process only (Python); the rest is waiting on PostgreSQL
        "per_person_cpu_ms": round(1000 * cpu / max(run.persons, 1), 3),
        "results": by_result,
    }
    print(
        f"  {scanned} persons: bare scan {bare:.2f} s, screening {screening:.1f} s "
        f"(ratio {result['ratio']}, {result['per_person_ms']} ms per person; Python CPU {cpu:.1f} s), {by_result}"
    )
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "rights.json").write_text(
        json.dumps({"vendor": connection.vendor, "load": os.getloadavg(), "scale": scale, "result": result}, indent=1)
    )
