"""Scale-out: the booking rush and the figures page with the read replica on and off, and with one and two
web server processes, measured in the same run and printed as ratios to the baseline (one server, no replica).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wk_bench_scale BENCH=scale make bench
    BENCH_SCALE=0.25 ...   # fewer clients, places and tickets

Per variant: gunicorn process(es) on PostgreSQL (``BENCH_GUNICORN_WORKERS`` x ``BENCH_GUNICORN_THREADS`` each),
rate limits and the job queue in Redis (``BENCH_REDIS_URL``; jobs are only enqueued, no consumer runs, so the
measurement is the web side), the replica a streaming standby made with ``pg_basebackup -R`` on a port of 55433-55439
(willkommen/core/scale/replica.py). With two servers the simulated clients alternate between them, as a proxy
would. Each client of the rush first asks for the free days (a heavy read: on the replica when it is on), then
books. The figures page (ServicePoint visits of 90 days) is fetched by a signed-in team lead, several at once.

On this 2-core machine every process shares the same two cores: a second web server or a replica cannot add
capacity here, so ratios near 1 are the expected result; what they show is that the layout works and what it
costs. docs/deployment.md extrapolates from the per-request costs measured here.
"""

import datetime as dt
import json
import os
import secrets
import signal
import statistics
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/wk_bench_scale"
SCALE = float(os.environ.get("BENCH_SCALE", "1.0"))
CLIENTS = max(40, int(600 * SCALE))
PLACES = max(4, int(60 * SCALE))
TICKETS = max(1000, int(20_000 * SCALE))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "64"))
WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_GUNICORN_THREADS", "4"))
FIGURES_REQUESTS = int(os.environ.get("BENCH_FIGURES_REQUESTS", "24"))
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")
REPLICA_PORT = int(os.environ.get("BENCH_REPLICA_PORT", "0"))  # 0: the first free port of 55433-55439
PASSWORD = "bench-scale-password"  # noqa: S105 (a local benchmark account)


def _setup():
    os.environ.setdefault("DATABASE_URL", os.environ.get("BENCH_SCALE_DATABASE_URL", DEFAULT_URL))
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
    """Authority 'scale': one Anliegen at one location with PLACES public places over the next days, TICKETS
    ServicePoint visits over 90 days, and a team lead for the figures page."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django.db.models.signals import post_delete, post_save
    from django.utils import timezone

    from willkommen.appointments import signals
    from willkommen.appointments.generation import generate_for_offer
    from willkommen.appointments.models import Booking, Offer, Slot, WaitingWindow
    from willkommen.catalogue.models import Anliegen
    from willkommen.catalogue.testing import make_anliegen
    from willkommen.core.testing import make_authority, make_location, make_staff
    from willkommen.servicepoint.models import Ticket
    from willkommen.tenancy.models import Closure, OpeningHours

    for sig in (post_save, post_delete):
        sig.disconnect(signals.hours_changed, sender=OpeningHours)
        sig.disconnect(signals.hours_changed, sender=Closure)
    post_save.disconnect(signals.offer_changed, sender=Offer)

    authority = make_authority("scale", "Stadt Scale", "BE")
    Booking.objects.filter(authority=authority).delete()
    WaitingWindow.objects.filter(authority=authority).delete()
    Slot.objects.filter(authority=authority).delete()
    Offer.objects.filter(authority=authority).delete()
    anliegen = Anliegen.objects.filter(authority=authority, slug="study").first() or make_anliegen(authority)
    location = authority.location_set.order_by("pk").first() or make_location(authority, "Standort 1", cap=100000)
    offer = Offer.objects.create(authority=authority, anliegen=anliegen, location=location, workstations=2)
    generate_for_offer(offer, today=timezone.localdate(), horizon=30)
    slots = list(
        Slot.objects.filter(authority=authority, starts_at__gt=timezone.now() + dt.timedelta(days=1)).order_by(
            "starts_at"
        )
    )
    keep = slots[: (PLACES + 1) // 2]
    Slot.objects.filter(authority=authority).exclude(pk__in=[s.pk for s in keep]).update(withdrawn=True)

    if Ticket.objects.filter(authority=authority).count() != TICKETS:
        Ticket.objects.filter(authority=authority).delete()
        today = timezone.localdate()
        rows = []
        for n in range(TICKETS):
            day = today - dt.timedelta(days=n % 90)
            issued = timezone.make_aware(dt.datetime.combine(day, dt.time(8 + n % 8, n % 60)))
            rows.append(
                Ticket(
                    authority=authority,
                    location=location,
                    day=day,
                    number=n // 90 + 1,
                    category=("quick_info", "drop_off", "forms", "booking")[n % 4],
                    status="done",
                    outcome="solved",
                    issued_at=issued,
                    queued_at=issued,
                    called_at=issued + dt.timedelta(minutes=5 + n % 30),
                    served_at=issued + dt.timedelta(minutes=6 + n % 30),
                    finished_at=issued + dt.timedelta(minutes=12 + n % 30),
                    counter=str(1 + n % 6),
                )
            )
        Ticket.objects.bulk_create(rows, batch_size=2000)

    from willkommen.accounts.models import User

    User.objects.filter(username="bench-lead").delete()
    lead = make_staff(authority, "bench-lead", role="team_lead")
    lead.password = PBKDF2PasswordHasher().encode(PASSWORD, "benchscale", iterations=1000)
    lead.save(update_fields=["password"])
    return authority, anliegen, location, [s.pk for s in keep], lead


def _reset_places(authority, slot_ids):
    from willkommen.appointments.models import Booking, Slot, WaitingWindow

    Booking.objects.filter(authority=authority).delete()
    WaitingWindow.objects.filter(authority=authority).delete()
    Slot.objects.filter(pk__in=slot_ids).update(public_places=2, public_taken=0, invitation_taken=0, urgent_taken=0)
    if PLACES % 2:
        Slot.objects.filter(pk=slot_ids[-1]).update(public_places=1)


def _server_env(var_dir, replica_url, queue_name):
    from willkommen.core.scale.processes import django_env

    env = django_env(
        DEFAULT_AUTHORITY="scale",
        DEBUG="false",
        DB_CONN_MAX_AGE="60",
        APPOINTMENTS_BOOKING_RATE_LIMIT="1000000",
        APPOINTMENTS_BOOKING_RATE_LIMIT_NO_POW="1000000",
        PUBLIC_RATE_LIMIT="1000000",
        HUEY_STORAGE="redis",
        HUEY_REDIS_URL=REDIS_URL,
        HUEY_NAME=queue_name,
        REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX=queue_name,
        VAR_DIR=var_dir,
        SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(40),
        EMAIL_BACKEND="file",  # not locmem: it keeps every mail in the server process for good
        LOG_LEVEL="ERROR",
        DATABASE_REPLICA_URL=replica_url or "",
    )
    env.pop("WILLKOMMEN_TESTING", None)
    return env


def _pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))] if values else None


def _rush(ports, anliegen_slug, slot_ids):
    """CLIENTS clients, CONCURRENCY at once: free days, then a booking. Returns (places/s, p95 ms, statuses)."""
    import http.client

    local = threading.local()
    barrier = threading.Barrier(min(CONCURRENCY, CLIENTS))
    today = dt.date.today()
    days_path = (
        f"/api/v1/appointments/days/?anliegen={anliegen_slug}&date_from={today}&date_to={today + dt.timedelta(days=30)}"
    )

    def client(n):
        port = ports[n % len(ports)]
        if getattr(local, "port", None) != port:
            local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            local.port = port
            if not getattr(local, "waited", False):
                local.waited = True
                try:
                    barrier.wait(timeout=60)
                except threading.BrokenBarrierError:
                    pass
        body = json.dumps(
            {
                "slot": slot_ids[n % len(slot_ids)],
                "anliegen": anliegen_slug,
                "family_name": f"Scale{n}",
                "given_names": "Client",
                "date_of_birth": "1990-01-01",
                "email": f"scale{n}@example.org",
                "language": "de",
            }
        )
        started = time.perf_counter()
        try:
            local.conn.request("GET", days_path)
            local.conn.getresponse().read()
            local.conn.request("POST", "/api/v1/appointments/bookings/", body, {"Content-Type": "application/json"})
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
    booked = [r for r in results if r[0] == 201]
    last = max((r[2] for r in booked), default=t0)
    statuses = {}
    for r in results:
        statuses[r[0]] = statuses.get(r[0], 0) + 1
    return {
        "places_booked_per_second": round(len(booked) / max(1e-9, last - t0), 1),
        "requests_per_second": round(2 * len(results) / (time.perf_counter() - t0), 1),
        "latency_ms_p50": round(_pct([r[1] * 1000 for r in results], 50), 1),
        "latency_ms_p95": round(_pct([r[1] * 1000 for r in results], 95), 1),
        "statuses": statuses,
    }


def _figures(ports, lead, device):
    """FIGURES_REQUESTS figures pages (90 days), 4 at once, each on a signed-in team lead's session."""
    from willkommen.core.scale.processes import Browser
    from willkommen.core.testing import totp_now

    browser = Browser()
    port = ports[0]
    browser.get(port, "/desk/login/")
    browser.post(port, "/desk/login/", {"username": lead.username, "password": PASSWORD})
    response = browser.post(port, "/desk/login/verify/?next=/desk/", {"token": totp_now(device)})
    if response.status != 302:  # the previous variant used this 30-second code: a code counts once
        time.sleep(31 - time.time() % 30)
        response = browser.post(port, "/desk/login/verify/?next=/desk/", {"token": totp_now(device)})
    if response.status != 302:
        raise RuntimeError("the benchmark's team lead could not sign in")
    today = dt.date.today()
    path = f"/desk/reports/servicepoint/?start={today - dt.timedelta(days=89)}&end={today}"

    def fetch(n):
        started = time.perf_counter()
        page = browser.get(ports[n % len(ports)], path)
        if page.status != 200:
            raise RuntimeError(f"figures page answered {page.status}")
        return time.perf_counter() - started

    for n in range(len(ports) * 2):  # warm up every server
        fetch(n)
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=4) as pool:
        timings = list(pool.map(fetch, range(FIGURES_REQUESTS)))
    return {
        "pages_per_second": round(FIGURES_REQUESTS / (time.perf_counter() - t0), 2),
        "latency_ms_p50": round(statistics.median(timings) * 1000, 1),
        "latency_ms_p95": round(_pct(timings, 95) * 1000, 1),
    }


def _variant(name, servers, replica_url, seed):
    from django.db import connections

    from willkommen.core.scale.processes import free_port, start_web, stop

    authority, anliegen, _location, slot_ids, lead, device = seed
    _reset_places(authority, slot_ids)
    connections.close_all()
    queue = f"bench-scale-{uuid.uuid4().hex[:8]}"
    var_dir = tempfile.mkdtemp(prefix="wk-bench-scale-")
    env = _server_env(var_dir, replica_url, queue)
    processes, ports = [], []
    try:
        for _ in range(servers):
            port = free_port()
            processes.append(start_web(port, env, workers=WORKERS, threads=THREADS))
            ports.append(port)
        figures = _figures(ports, lead, device)
        rush = _rush(ports, anliegen.slug, slot_ids)
    finally:
        for process in processes:
            stop(process, sig=signal.SIGINT)
        _flush_redis(queue)
    from django.db.models import F

    from willkommen.appointments.models import Slot

    rush["overbooked_slots"] = Slot.objects.filter(pk__in=slot_ids, public_taken__gt=F("public_places")).count()
    print(f"  {name}: rush {rush} | figures {figures}", flush=True)
    return {"web_servers": servers, "replica": bool(replica_url), "rush": rush, "figures": figures}


def _flush_redis(prefix):
    try:
        import redis

        r = redis.Redis.from_url(REDIS_URL)
        for key in r.scan_iter(match=f"*{prefix}*"):
            r.delete(key)
    except Exception:  # noqa: BLE001 (cleaning up only)
        pass


def _free_replica_port():
    import socket

    for port in range(55433, 55440):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 55433-55439 for the replica")


def _ratio(value, base):
    return round(value / base, 2) if value and base else None


def main():
    _setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        print("The scale benchmark needs PostgreSQL (DATABASE_URL=postgres://...).")
        return
    from willkommen.core.scale.processes import redis_available
    from willkommen.core.scale.replica import ReplicaCluster, Unavailable, primary_params

    if not redis_available(REDIS_URL):
        print(f"The scale benchmark needs Redis at {REDIS_URL} (BENCH_REDIS_URL).")
        return
    authority, anliegen, location, slot_ids, lead = _seed()
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=lead)
    seed = (authority, anliegen, location, slot_ids, lead, device)
    port = REPLICA_PORT or _free_replica_port()
    cluster = ReplicaCluster(primary_params(connection.settings_dict), port)
    replica_url = None
    try:
        cluster.start()
        s = connection.settings_dict
        replica_url = f"postgres://{s['USER']}@127.0.0.1:{port}/{s['NAME']}"
    except Unavailable as exc:
        print(f"  no replica on this machine ({exc}); measuring without")
    results = {}
    try:
        plan = [("1 server, no replica", 1, None), ("2 servers, no replica", 2, None)]
        if replica_url:
            plan += [("1 server, replica", 1, replica_url), ("2 servers, replica", 2, replica_url)]
        for name, servers, url in plan:
            results[name] = _variant(name, servers, url, seed)
    finally:
        cluster.stop()
    base = results["1 server, no replica"]
    ratios = {}
    for name, result in results.items():
        ratios[name] = {
            "rush_places_per_second": _ratio(
                result["rush"]["places_booked_per_second"], base["rush"]["places_booked_per_second"]
            ),
            "rush_requests_per_second": _ratio(
                result["rush"]["requests_per_second"], base["rush"]["requests_per_second"]
            ),
            "rush_p95": _ratio(result["rush"]["latency_ms_p95"], base["rush"]["latency_ms_p95"]),
            "figures_pages_per_second": _ratio(
                result["figures"]["pages_per_second"], base["figures"]["pages_per_second"]
            ),
            "figures_p95": _ratio(result["figures"]["latency_ms_p95"], base["figures"]["latency_ms_p95"]),
        }
    summary = {
        "clients": CLIENTS,
        "places": PLACES,
        "tickets_for_figures": TICKETS,
        "gunicorn_per_server": f"{WORKERS} workers x {THREADS} threads",
        "cpus": os.cpu_count(),
        "load_average_at_end": os.getloadavg()[0],
        "results": results,
        "ratios_to_1_server_no_replica": ratios,
    }
    print("  ratios to 1 server without replica:")
    for name, r in ratios.items():
        print(f"    {name:24} {r}")
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "scale.json").write_text(json.dumps(summary, indent=2, default=str))
    print(f"  results in {out / 'scale.json'}")
