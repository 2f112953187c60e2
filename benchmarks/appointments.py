"""Booking rush: the server under gunicorn on PostgreSQL, many concurrent simulated clients racing
for a fixed number of places through the public API. Prints places booked per second, p50/p95/p99
latency of all booking requests, the overbooked count (must be 0), and, measured in the same run,
the bare PostgreSQL rate of the equivalent write transaction (pgbench custom script) with the ratio.
Also the p95 of the free-slot search over 90 days for 10 locations.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wk_bench_appointments BENCH=appointments make bench
    BENCH_SCALE=0.25 ...   # 500 clients for 50 places

The rate limits are lifted for the benchmark server (all clients come from one address); the
measurement is the booking write path, not the limiter.
"""

import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/wk_bench_appointments"
SCALE = float(os.environ.get("BENCH_SCALE", "1.0"))
CLIENTS = max(20, int(2000 * SCALE))
PLACES = max(2, int(200 * SCALE))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "200"))
WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", "4"))
THREADS = int(os.environ.get("BENCH_GUNICORN_THREADS", "4"))


def _setup():
    os.environ.setdefault("DATABASE_URL", os.environ.get("BENCH_APPOINTMENTS_DATABASE_URL", DEFAULT_URL))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "willkommen.settings")
    os.environ.setdefault("HUEY_STORAGE", "memory")
    os.environ.setdefault("EMAIL_BACKEND", "locmem")
    from benchmarks.cases import _create_database

    if os.environ["DATABASE_URL"].startswith("postgres"):
        _create_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _seed():
    """A fresh authority 'rush' with one Anliegen at 10 locations; the rush targets location 1."""
    import datetime as dt

    from django.db.models.signals import post_delete, post_save

    from willkommen.appointments import signals
    from willkommen.tenancy.models import Closure, OpeningHours

    # Seeding generates the slots itself, once; the change signals would regenerate per row.
    for signal in (post_save, post_delete):
        signal.disconnect(signals.hours_changed, sender=OpeningHours)
        signal.disconnect(signals.hours_changed, sender=Closure)
    post_save.disconnect(signals.offer_changed, sender=Offer_model())

    from django.utils import timezone

    from willkommen.appointments.generation import generate_for_offer
    from willkommen.appointments.models import Booking, Offer, Slot, WaitingWindow
    from willkommen.catalogue.testing import make_anliegen
    from willkommen.core.testing import make_authority, make_location

    authority = make_authority("rush", "Stadt Rush", "BE")
    Booking.objects.filter(authority=authority).delete()
    WaitingWindow.objects.filter(authority=authority).delete()
    Slot.objects.filter(authority=authority).delete()
    Offer.objects.filter(authority=authority).delete()
    from willkommen.catalogue.models import Anliegen

    anliegen = Anliegen.objects.filter(authority=authority, slug="study").first() or make_anliegen(authority)
    locations = list(authority.location_set.order_by("pk"))
    while len(locations) < 10:
        locations.append(make_location(authority, f"Standort {len(locations) + 1}", cap=1000))
    offers = []
    for location in locations:
        offers.append(Offer.objects.create(authority=authority, anliegen=anliegen, location=location, workstations=2))
    today = timezone.localdate()
    for offer in offers:
        generate_for_offer(offer, today=today, horizon=90)
    # The rush: exactly PLACES public places at location 1, released "now" (the rest withdrawn).
    target = offers[0]
    slots = list(
        Slot.objects.filter(
            authority=authority, location=target.location, starts_at__gt=timezone.now() + dt.timedelta(days=1)
        ).order_by("starts_at")
    )
    keep = slots[: (PLACES + 1) // 2]
    Slot.objects.filter(location=target.location).exclude(pk__in=[s.pk for s in keep]).update(withdrawn=True)
    Slot.objects.filter(pk__in=[s.pk for s in keep]).update(public_places=2)
    if PLACES % 2:
        Slot.objects.filter(pk=keep[-1].pk).update(public_places=1)
    return authority, anliegen, locations, [s.pk for s in keep]


def Offer_model():  # noqa: N802
    from willkommen.appointments.models import Offer

    return Offer


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_server(port):
    env = {
        **os.environ,
        "APPOINTMENTS_BOOKING_RATE_LIMIT": "1000000",
        "APPOINTMENTS_BOOKING_RATE_LIMIT_NO_POW": "1000000",
        "DEFAULT_AUTHORITY": "rush",
        "DEBUG": "false",
        "DB_CONN_MAX_AGE": "60",
    }
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    process = subprocess.Popen(
        [
            gunicorn,
            "willkommen.wsgi",
            "-w",
            str(WORKERS),
            "--threads",
            str(THREADS),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/v1/appointments/challenge/")
            conn.getresponse().read()
            return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError("gunicorn did not start")


def _rush(port, anliegen_slug, slot_ids):
    local = threading.local()
    barrier = threading.Barrier(min(CONCURRENCY, CLIENTS))

    def client(n):
        if not hasattr(local, "conn"):
            local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            try:
                barrier.wait(timeout=60)
            except threading.BrokenBarrierError:
                pass
        body = json.dumps(
            {
                "slot": slot_ids[n % len(slot_ids)],
                "anliegen": anliegen_slug,
                "family_name": f"Rush{n}",
                "given_names": "Client",
                "date_of_birth": "1990-01-01",
                "email": f"rush{n}@example.org",
                "language": "de",
            }
        )
        started = time.perf_counter()
        try:
            local.conn.request(
                "POST", "/a/rush/api/v1/appointments/bookings/", body, {"Content-Type": "application/json"}
            )
            response = local.conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            status = 0
        return status, time.perf_counter() - started, time.perf_counter()

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=min(CONCURRENCY, CLIENTS)) as pool:
        results = list(pool.map(client, range(CLIENTS)))
    return t0, results


PGBENCH_SCRIPT = """\\set sid random(1, {slots})
BEGIN;
SELECT taken FROM bench_slot WHERE id = :sid FOR UPDATE;
UPDATE bench_slot SET taken = taken + 1 WHERE id = :sid AND taken < places;
INSERT INTO bench_booking (slot_id, name, created_at) VALUES (:sid, 'x', now());
COMMIT;
"""


def _pgbench(url, seconds=10):
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_booking; DROP TABLE IF EXISTS bench_slot")
        conn.execute("CREATE TABLE bench_slot (id int PRIMARY KEY, places int, taken int)")
        conn.execute(
            "CREATE TABLE bench_booking (id bigserial PRIMARY KEY, slot_id int, name text, created_at timestamptz)"
        )
        conn.execute("INSERT INTO bench_slot SELECT g, 1000000, 0 FROM generate_series(1, 100) g")
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write(PGBENCH_SCRIPT.format(slots=100))
    output = subprocess.run(
        ["pgbench", "-n", "-c", "16", "-j", "2", "-T", str(seconds), "-f", script.name, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    tps = float(next(line for line in output.splitlines() if line.startswith("tps")).split("=")[1].split()[0])
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE bench_booking; DROP TABLE bench_slot")
    return tps


def _search_p95(authority, anliegen, repeat=20):
    import datetime as dt

    from django.utils import timezone

    from willkommen.appointments import selectors

    today = timezone.localdate()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        slots = selectors.free_slots(authority, anliegen, date_from=today, date_to=today + dt.timedelta(days=90))
        timings.append(time.perf_counter() - started)
    timings.sort()
    return timings[int(0.95 * (len(timings) - 1))], len(slots)


def _pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))]


def main():
    _setup()
    from django.db import connection
    from django.db.models import F

    from willkommen.appointments.models import Booking, Slot

    if connection.vendor != "postgresql":
        print("The booking rush needs PostgreSQL (DATABASE_URL=postgres://...).")
        return
    authority, anliegen, locations, slot_ids = _seed()
    search_p95, found = _search_p95(authority, anliegen)
    connection.close()
    port = _free_port()
    server = _start_server(port)
    try:
        t0, results = _rush(port, anliegen.slug, slot_ids)
    finally:
        server.terminate()
        server.wait(timeout=30)
    booked = [r for r in results if r[0] == 201]
    gone = [r for r in results if r[0] == 409]
    other = [r for r in results if r[0] not in (201, 409)]
    last_booking = max((r[2] for r in booked), default=t0)
    rate = len(booked) / max(1e-9, last_booking - t0)
    latencies = [r[1] * 1000 for r in results]
    overbooked = Slot.objects.filter(authority=authority).filter(public_taken__gt=F("public_places")).count()
    bookings = Booking.objects.filter(authority=authority).count()
    pg_tps = _pgbench(os.environ["DATABASE_URL"])
    result = {
        "clients": CLIENTS,
        "places": PLACES,
        "booked": len(booked),
        "gone_409": len(gone),
        "other_status": len(other),
        "bookings_in_db": bookings,
        "overbooked_slots": overbooked,
        "places_booked_per_second": round(rate, 1),
        "latency_ms_p50": round(_pct(latencies, 50), 1),
        "latency_ms_p95": round(_pct(latencies, 95), 1),
        "latency_ms_p99": round(_pct(latencies, 99), 1),
        "pgbench_equivalent_tps": round(pg_tps, 1),
        "ratio_http_to_bare_pg": round(rate / pg_tps, 3) if pg_tps else None,
        "free_slot_search_90_days_10_locations_p95_ms": round(search_p95 * 1000, 1),
        "free_slots_found": found,
        "gunicorn": f"{WORKERS} workers x {THREADS} threads",
    }
    for key, value in result.items():
        print(f"{key}: {value}")
    results_dir = Path(__file__).parent / "results"
    results_dir.mkdir(exist_ok=True)
    (results_dir / "appointments.json").write_text(json.dumps(result, indent=1))
    assert overbooked == 0 and bookings <= PLACES, "OVERBOOKED"
