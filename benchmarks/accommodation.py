"""The occupancy view of a city's accommodation management: 60 accommodations with 12,000 beds (normal,
isolation, quarantine, emergency reserve, some blocked) and 6,000 residents on PostgreSQL. Measures p50/p95 of
the desk page `/desk/accommodation/` and of the API `GET /api/v1/accommodation/occupancy/` (as the
accommodation manager), and the SQL queries of each, against a baseline authority with one accommodation of
200 beds in the same database: the queries must be the same, the time should grow little (one aggregate).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wk_bench_accommodation BENCH=accommodation make bench
    BENCH_SCALE=0.1 ...   # 6 accommodations, 1,200 beds

Seeding uses bulk inserts and is skipped when the data are there.
"""

import json
import os
import time
from pathlib import Path

from benchmarks.cases import setup_django, timed_get

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/wk_bench_accommodation"
ROOMS = 50  # per accommodation, 4 beds each
KINDS = ["isolation", "quarantine", "reserve"]  # one room each; the other rooms are normal


def _setup():
    setup_django(DEFAULT_URL, "BENCH_ACCOMMODATION_DATABASE_URL")


def seed(slug, houses):
    """``houses`` accommodations of ROOMS × 4 beds each, half of the normal beds taken."""
    import datetime as dt

    from willkommen.accommodation.models import Accommodation, Bed, Placement, Room
    from willkommen.clients.models import Person
    from willkommen.core.testing import make_authority

    authority = make_authority(slug, f"Bench {slug}", "BY")
    if Accommodation.objects.filter(authority=authority).count() >= houses:
        return authority
    t0 = time.perf_counter()
    today = dt.date.today()
    for h in range(houses):
        house = Accommodation.objects.create(authority=authority, name=f"GU {h:03d}", capacity=ROOMS * 4)
        rooms = Room.objects.bulk_create(
            Room(authority=authority, accommodation=house, floor=str(r // 10), name=f"{r:03d}") for r in range(ROOMS)
        )
        beds = Bed.objects.bulk_create(
            Bed(
                authority=authority,
                accommodation=house,
                room=room,
                label=f"{room.name}-{b}",
                kind=KINDS[r] if r < len(KINDS) else "normal",
                blocked=(r == ROOMS - 1 and b == 0),
                blocked_reason="Wasserschaden" if (r == ROOMS - 1 and b == 0) else "",
            )
            for r, room in enumerate(rooms)
            for b in range(4)
        )
        normal = [bed for bed in beds if bed.kind == "normal" and not bed.blocked]
        taken = normal[: len(normal) // 2]
        persons = Person.objects.bulk_create(
            Person(
                authority=authority,
                family_name=f"Bewohner{h}-{i}",
                given_names="Kim",
                date_of_birth=dt.date(1980, 1, 1) + dt.timedelta(days=i),
            )
            for i in range(len(taken))
        )
        Placement.objects.bulk_create(
            Placement(authority=authority, person=person, accommodation=house, bed=bed, moved_in=today)
            for person, bed in zip(persons, taken, strict=True)
        )
    print(f"  seeded {slug}: {houses} accommodations in {time.perf_counter() - t0:.1f} s", flush=True)
    return authority


def measure(authority, path, label):
    from django.test import Client

    from willkommen.accounts.models import User
    from willkommen.core.testing import make_staff, verified_login

    username = f"unterkunft-{authority.slug}"
    user = User.objects.filter(username=username).first() or make_staff(authority, username, role="accommodation")
    return {"what": label, **timed_get(verified_login(Client(), user), f"/a/{authority.slug}{path}")}


def main():
    _setup()
    from django.db import connection

    from willkommen.accommodation.models import Bed

    scale = float(os.environ.get("BENCH_SCALE", "1.0"))
    big = seed("bench-city", max(1, int(60 * scale)))
    small = seed("bench-town", 1)
    results = []
    for url, label in (("/desk/accommodation/", "occupancy page"), ("/api/v1/accommodation/occupancy/", "API")):
        for authority in (big, small):
            beds = Bed.objects.filter(authority=authority).count()
            row = measure(authority, url, f"{label}, {beds} beds")
            results.append(row)
            print(f"  {row['what']}: p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms, {row['queries']} queries")
    for i in (0, 2):
        ratio = results[i]["p95_ms"] / max(results[i + 1]["p95_ms"], 0.001)
        print(f"  {results[i]['what']}: p95 ratio to the baseline {ratio:.2f}")
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "accommodation.json").write_text(
        json.dumps({"vendor": connection.vendor, "load": os.getloadavg(), "results": results}, indent=1)
    )
