"""Booking rush: the server under gunicorn on PostgreSQL, many concurrent simulated clients racing
for a fixed number of places through the public API. Prints places booked per second, p50/p95/p99
latency of all booking requests, the overbooked count (must be 0), and, measured in the same run,
the bare PostgreSQL rate of the equivalent write transaction (pgbench custom script) with the ratio.
Also the p95 of the free-slot search over 90 days for 10 locations.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wk_bench_appointments BENCH=appointments make bench
    BENCH_SCALE=0.25 ...   # 500 clients for 50 places

The server runs as in production: gunicorn on PostgreSQL, rate-limit counters in Redis (``REDIS_URL``,
``BENCH_REDIS_URL`` to choose the database; the file cache when Redis is not reachable), the job queue on
Huey's SQLite storage in a private temporary directory with one consumer (``manage.py run_huey``), so the
e-mails are rendered and sent by the consumer, not inside the booking request. After the rush the
benchmark waits until every confirmation-request e-mail has been delivered and reports how long that
took. Each gunicorn worker is warmed up (a few requests that are not measured) before the clients are
released, so the rush measures the booking path and not Python's imports in cold workers.

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
    # This process only seeds and checks; the server and its consumer get their own queue (see _server_env).
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


def _redis_url():
    """Redis for the server's cache (rate limits) as in production, if it answers; else None (file cache)."""
    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001 (no Redis: the server keeps its default cache)
        return None
    return url


def _server_env(var_dir):
    """Environment of the server and its job consumer: production-like queue (Huey on SQLite in a private
    directory, so no other consumer on this machine takes our jobs) and, if reachable, Redis for the cache."""
    import secrets

    env = {
        **os.environ,
        "APPOINTMENTS_BOOKING_RATE_LIMIT": "1000000",
        "APPOINTMENTS_BOOKING_RATE_LIMIT_NO_POW": "1000000",
        "DEFAULT_AUTHORITY": "rush",
        "DEBUG": "false",
        "DB_CONN_MAX_AGE": "60",
        "HUEY_STORAGE": os.environ.get("BENCH_HUEY_STORAGE", "sqlite"),
        "VAR_DIR": var_dir,
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(40),
        "EMAIL_BACKEND": "locmem",
        "LOG_LEVEL": "ERROR",  # not one "Conflict" line per losing client
    }
    redis_url = _redis_url()
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def _start_consumer(env):
    if env["HUEY_STORAGE"] == "memory":
        return None  # jobs run inline in the server (the old, unrealistic set-up)
    manage = str(Path(__file__).resolve().parent.parent / "manage.py")
    return subprocess.Popen(
        [sys.executable, manage, "run_huey", "--workers", "2", "--no-periodic", "--quiet"],
        env=env,
        stdout=subprocess.DEVNULL,
    )


def _start_server(port, env):
    """gunicorn as in production; its log (one "Conflict" line per losing client) goes to var_dir/server.log."""
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    log = open(Path(env["VAR_DIR"]) / "server.log", "w")  # noqa: SIM115 (closed with the process)
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
        stderr=log,
    )
    log.close()
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


def _warm_up(port, anliegen_slug):
    """Every worker thread serves a few unmeasured requests first (a challenge, a booking for an unknown
    slot: the same view, serializer, form and slot query as the rush, answered 400)."""

    def request(n):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for _ in range(3):
            conn.request("GET", "/a/rush/api/v1/appointments/challenge/")
            conn.getresponse().read()
            body = json.dumps(
                {
                    "slot": 0,
                    "anliegen": anliegen_slug,
                    "family_name": "Warm",
                    "given_names": "Up",
                    "date_of_birth": "1990-01-01",
                    "email": f"warm{n}@example.org",
                }
            )
            conn.request("POST", "/a/rush/api/v1/appointments/bookings/", body, {"Content-Type": "application/json"})
            conn.getresponse().read()
        conn.close()

    with ThreadPoolExecutor(max_workers=WORKERS * THREADS * 2) as pool:
        list(pool.map(request, range(WORKERS * THREADS * 2)))


def _wait_for_mail(authority, expected, timeout=300):
    """Seconds until ``expected`` confirmation requests are sent by the consumer (None if not within timeout)."""
    from willkommen.messaging.models import Message

    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        sent = Message.objects.filter(
            authority=authority, template_key="appointments.confirm_request", status="sent"
        ).count()
        if sent >= expected:
            return time.perf_counter() - started, sent
        time.sleep(0.5)
    return None, sent


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
    """p95 of the free-slot list and of the per-day counts (``selectors.free_days``) over 90 days for all
    locations, measured alternately in this process."""
    import datetime as dt

    from django.utils import timezone

    from willkommen.appointments import selectors

    today = timezone.localdate()
    end = today + dt.timedelta(days=90)
    slot_timings, day_timings = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        slots = selectors.free_slots(authority, anliegen, date_from=today, date_to=end)
        slot_timings.append(time.perf_counter() - started)
        started = time.perf_counter()
        days = selectors.free_days(authority, anliegen, date_from=today, date_to=end)
        day_timings.append(time.perf_counter() - started)
    assert sum(d["slots"] for d in days) == len(slots), "per-day counts disagree with the slot list"

    def p95(timings):
        return sorted(timings)[int(0.95 * (len(timings) - 1))]

    return p95(slot_timings), len(slots), p95(day_timings), len(days)


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
    from willkommen.messaging.models import Message

    Message.objects.filter(authority=authority).delete()
    search_p95, found, days_p95, day_rows = _search_p95(authority, anliegen)
    connection.close()
    port = _free_port()
    var_dir = tempfile.mkdtemp(prefix="wk-bench-appointments-")
    env = _server_env(var_dir)
    consumer = _start_consumer(env)
    server = _start_server(port, env)
    try:
        _warm_up(port, anliegen.slug)
        t0, results = _rush(port, anliegen.slug, slot_ids)
        booked_count = sum(1 for r in results if r[0] == 201)
        mail_seconds, mails_sent = _wait_for_mail(authority, booked_count) if consumer else (0.0, None)
    finally:
        server.terminate()
        server.wait(timeout=30)
        if consumer:
            consumer.terminate()
            consumer.wait(timeout=30)
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
        "free_days_counts_90_days_10_locations_p95_ms": round(days_p95 * 1000, 1),
        "free_days_rows": day_rows,
        "gunicorn": f"{WORKERS} workers x {THREADS} threads",
        "job_queue": env["HUEY_STORAGE"] + (" with 1 consumer (2 threads)" if consumer else " (inline)"),
        "cache": "redis" if "REDIS_URL" in env else "file",
        "confirm_request_mails_sent_by_consumer": mails_sent,
        "all_mails_sent_seconds_after_rush": round(mail_seconds, 1) if mail_seconds is not None else None,
    }
    for key, value in result.items():
        print(f"{key}: {value}")
    if other:
        errors = [line for line in (Path(var_dir) / "server.log").read_text().splitlines() if "Conflict" not in line]
        print("server log (without the 409 lines):", *errors[-40:], sep="\n")
    results_dir = Path(__file__).parent / "results"
    results_dir.mkdir(exist_ok=True)
    (results_dir / "appointments.json").write_text(json.dumps(result, indent=1))
    assert overbooked == 0 and bookings <= PLACES, "OVERBOOKED"
