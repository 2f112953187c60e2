"""Soak: mixed traffic at a steady rate for a long time, and whether memory, latency and the data hold.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wk_bench_soak make bench BENCH=soak
    SOAK_MINUTES=8 SOAK_RATE=6 ...        # a shorter run, 6 visits per second

gunicorn (``BENCH_GUNICORN_WORKERS`` x ``BENCH_GUNICORN_THREADS``, default 4 x 4, the benchmark's gunicorn
config) on PostgreSQL with Redis for the cache and the job queue (``BENCH_REDIS_URL``, default
redis://127.0.0.1:6379/7; the benchmark empties that database) and one Huey consumer (2 threads, periodic jobs
on), as in production. Mail goes to files, so the benchmark reads the confirmation links from them.

Traffic (``benchmarks/_soak_traffic.py``): visits started at ``SOAK_RATE`` per second (open loop: a slow
server does not slow the arrivals) by ``SOAK_THREADS`` client threads, drawn from a fixed mix of client
visits (portal in de/ar/uk, checklist PDF, free-day search, booking with proof of work, confirmation from the
mailed link and cancellation, online application with uploads, status sign-in) and staff pages (work queue,
case page, e-file search, messages, ServicePoint, figures). Each visit is a few requests.

Recorded: per minute the visits, errors and the RSS of every gunicorn worker and of the consumer (from
/proc); per kind n, errors, p50/p95/p99 of the visit. Recycling (``max_requests``, ``HUEY_RECYCLE_*``) is
off during the soak by default (``SOAK_RECYCLE=1`` switches the production values on), so the memory
slope is the code's own. At the end, after the queue has drained: every booking mailed, no overbooked slot,
every application one case with its files, every stored file's checksum, no job left or lost. Verdict:
memory slope per 10 minutes of each process after warm-up (``SOAK_WARMUP_MINUTES``, default 2).
"""

import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
MINUTES = float(os.environ.get("SOAK_MINUTES", "30"))
RATE = float(os.environ.get("SOAK_RATE", "6"))
THREADS = int(os.environ.get("SOAK_THREADS", "24"))
WARMUP = float(os.environ.get("SOAK_WARMUP_MINUTES", "2"))
SAMPLE_SECONDS = float(os.environ.get("SOAK_SAMPLE_SECONDS", "60"))
WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", "4"))
WEB_THREADS = int(os.environ.get("BENCH_GUNICORN_THREADS", "4"))
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/wk_bench_soak"
RECYCLE = os.environ.get("SOAK_RECYCLE", "0") == "1"
SLUG = "soak" + time.strftime("%m%d%H%M")  # a fresh authority per run in the same database

# visit kind -> weight in the mix
MIX = {
    "browse": 24,
    "checklist_pdf": 6,
    "free_slots": 14,
    "book": 8,
    "confirm_or_cancel": 8,
    "apply": 3,
    "status_sign_in": 6,
    "staff_queue": 8,
    "staff_case": 8,
    "staff_efile_search": 4,
    "staff_messages": 4,
    "staff_servicepoint": 4,
    "staff_reports": 3,
}


def log(*parts):
    load = " ".join(open("/proc/loadavg").read().split()[:3])
    print(f"[{time.strftime('%H:%M:%S')} load {load}]", *parts, file=sys.stderr, flush=True)


def _setup():
    os.environ.setdefault("DATABASE_URL", os.environ.get("BENCH_SOAK_DATABASE_URL", DEFAULT_URL))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "willkommen.settings")
    os.environ["HUEY_STORAGE"] = "memory"  # this process only seeds and checks
    os.environ["VAR_DIR"] = tempfile.mkdtemp(prefix="wk-bench-soak-")  # the servers' too: files checked here
    os.environ.setdefault("EMAIL_BACKEND", "locmem")
    os.environ.setdefault("SECRET_KEY", "soak-benchmark-secret-key-" + secrets.token_urlsafe(32))
    from benchmarks.cases import _create_database

    _create_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _server_env(var_dir, queue):
    from willkommen.core.scale.processes import django_env

    env = django_env(
        DEFAULT_AUTHORITY=SLUG,
        DEBUG="false",
        DB_CONN_MAX_AGE="60",
        PUBLIC_RATE_LIMIT="1000000",
        # the traffic comes as through a proxy, each client visit from its own address (X-Forwarded-For), so
        # the per-address limits (status sign-in: 10 a minute) hold as they would for real clients
        PROXY_ADDRESSES="127.0.0.1",
        APPOINTMENTS_BOOKING_RATE_LIMIT="1000000",
        APPOINTMENTS_BOOKING_RATE_LIMIT_NO_POW="1000000",
        APPOINTMENTS_READ_RATE_LIMIT="1000000",
        APPOINTMENTS_TOKEN_RATE_LIMIT="1000000",
        HUEY_STORAGE="redis",
        HUEY_REDIS_URL=REDIS_URL,
        HUEY_NAME=queue,
        REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX=queue,
        VAR_DIR=var_dir,
        EMAIL_BACKEND="file",
        LOG_LEVEL="ERROR",
        CLAMD_SOCKET="",
        EFILE_OCR="false",
        HUEY_RECYCLE_JOBS="20000" if RECYCLE else "0",
        HUEY_RECYCLE_MB="600" if RECYCLE else "0",
        GUNICORN_MAX_REQUESTS="5000" if RECYCLE else "0",
    )
    env.pop("WILLKOMMEN_TESTING", None)
    return env


def _start(env):
    from willkommen.core.scale.processes import free_port, wait_for_port

    port = free_port()
    consumer = subprocess.Popen(
        [sys.executable, "manage.py", "run_huey", "--workers", "2", "--quiet", "--skip-checks"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(Path(env["VAR_DIR"]) / "consumer.log", "w"),  # noqa: SIM115 (closed with the process)
    )
    web = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "willkommen.wsgi", "-c", str(HERE / "_gunicorn_conf.py")]
        + ["-w", str(WORKERS), "--threads", str(WEB_THREADS), "-b", f"127.0.0.1:{port}"],
        cwd=REPO,
        env=env,
        stderr=open(Path(env["VAR_DIR"]) / "server.log", "w"),  # noqa: SIM115
    )
    wait_for_port(port, web, timeout=120, what="gunicorn")
    return port, web, consumer


def _children(pid):
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


class Monitor(threading.Thread):
    """Every SAMPLE_SECONDS: RSS of each gunicorn worker and of the consumer."""

    def __init__(self, web, consumer):
        super().__init__(daemon=True)
        self.web, self.consumer = web, consumer
        self.samples = []  # (minute, {name: MB})
        self.stop = threading.Event()
        self.t0 = time.monotonic()

    def sample(self):
        from willkommen.core.recycle import rss_mb

        row = {f"worker {pid}": round(rss_mb(pid), 1) for pid in _children(self.web.pid)}
        row["consumer"] = round(rss_mb(self.consumer.pid), 1)
        self.samples.append((round((time.monotonic() - self.t0) / 60, 2), row))

    def run(self):
        self.sample()
        while not self.stop.wait(SAMPLE_SECONDS):
            self.sample()


def _slope_per_10_min(points):
    """Least-squares slope of (minute, MB) in MB per 10 minutes; None with fewer than 3 points."""
    if len(points) < 3:
        return None
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    var = sum((x - mx) ** 2 for x in xs)
    return round(10 * sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var, 2) if var else None


def _address(n):
    """The address of visit ``n``: 5,000 client addresses in turn."""
    k = n % 5000
    return f"10.64.{k // 250}.{1 + k % 250}"


def _run_traffic(world, browsers, pdf):
    from benchmarks import _soak_traffic as traffic

    kinds = list(MIX)
    weights = [MIX[k] for k in kinds]
    rng = random.Random(23)
    results = []  # (kind, started minute, seconds, error or "")
    t0 = time.monotonic()

    def visit(kind, n):
        from willkommen.core.scale.processes import Browser

        started = time.monotonic()
        error = ""
        try:
            if kind.startswith("staff_"):
                traffic.staff_page(kind, world, browsers, n)
            elif kind == "apply":
                traffic.apply(world, Browser(_address(n)), n, pdf)
            elif getattr(traffic, kind)(world, Browser(_address(n)), n) == "skip":
                return
        except traffic.Failed as exc:
            error = f"{exc.status}"
        except Exception as exc:  # noqa: BLE001 (counted as an error of the visit, shown in the report)
            error = repr(exc)[:120]
        results.append((kind, (started - t0) / 60, time.monotonic() - started, error))

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        n, end = 0, t0 + MINUTES * 60
        while time.monotonic() < end:
            n += 1
            pool.submit(visit, rng.choices(kinds, weights)[0], world.next())
            time.sleep(max(0.0, t0 + n / RATE - time.monotonic()))
    return results


def _pct(values, p):
    values = sorted(values)
    return round(values[min(len(values) - 1, int(p / 100 * len(values)))] * 1000, 1) if values else None


def _per_kind(results):
    table = {}
    for kind in MIX:
        rows = [r for r in results if r[0] == kind]
        late = [r[2] for r in rows if r[1] >= WARMUP]
        table[kind] = {
            "n": len(rows),
            "errors": sum(1 for r in rows if r[3]),
            "p50_ms": _pct(late, 50),
            "p95_ms": _pct(late, 95),
            "p99_ms": _pct(late, 99),
            "error_examples": sorted({r[3] for r in rows if r[3]})[:3],
        }
    return table


def _per_minute(results, samples):
    minutes = {}
    for _kind, minute, seconds, error in results:
        m = minutes.setdefault(int(minute), {"visits": 0, "errors": 0, "times": []})
        m["visits"] += 1
        m["errors"] += bool(error)
        m["times"].append(seconds)
    rows = []
    for minute in sorted(minutes):
        m = minutes[minute]
        rss = next((row for at, row in samples if int(at) == minute + 1), {})
        rows.append(
            {
                "minute": minute + 1,
                "visits": m["visits"],
                "errors": m["errors"],
                "p50_ms": _pct(m["times"], 50),
                "p95_ms": _pct(m["times"], 95),
                "rss_mb": rss,
            }
        )
    return rows


def _memory(samples):
    names = sorted({name for _at, row in samples for name in row})
    out = {}
    for name in names:
        points = [(at, row[name]) for at, row in samples if name in row and row[name] and at >= WARMUP]
        first = next((row[name] for _at, row in samples if row.get(name)), None)
        out[name] = {
            "start_mb": first,
            "after_warmup_mb": points[0][1] if points else None,
            "end_mb": points[-1][1] if points else None,
            "slope_mb_per_10_min": _slope_per_10_min(points),
        }
    return out


def _wait_for_queue(queue, timeout=300):
    import redis

    from willkommen.core.jobqueue import ReliableRedisStorage

    storage = ReliableRedisStorage(queue, url=REDIS_URL)
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if storage.queue_size() == 0 and storage.held_count() == 0:
            return round(time.monotonic() - started, 1), 0
        time.sleep(2)
    redis.Redis.from_url(REDIS_URL).ping()
    return None, storage.queue_size() + storage.held_count()


def _report(summary):
    print(
        f"soak: {summary['minutes']} min at {summary['rate_per_s']} visits/s, gunicorn {summary['gunicorn']}, "
        f"load average at start {summary['load_start']}, at end {summary['load_end']}"
    )
    print("| kind | visits | errors | p50 ms | p95 ms | p99 ms |")
    print("|---|---|---|---|---|---|")
    for kind, row in summary["per_kind"].items():
        print(f"| {kind} | {row['n']} | {row['errors']} | {row['p50_ms']} | {row['p95_ms']} | {row['p99_ms']} |")
    print("\n| minute | visits | errors | p50 ms | p95 ms | RSS MB (workers …, consumer) |")
    print("|---|---|---|---|---|---|")
    for row in summary["per_minute"]:
        rss = ", ".join(f"{v:.0f}" for _k, v in sorted(row["rss_mb"].items()))
        print(f"| {row['minute']} | {row['visits']} | {row['errors']} | {row['p50_ms']} | {row['p95_ms']} | {rss} |")
    print("\n| process | start MB | after warm-up MB | end MB | slope MB / 10 min |")
    print("|---|---|---|---|---|")
    for name, row in summary["memory"].items():
        print(
            f"| {name} | {row['start_mb']} | {row['after_warmup_mb']} | {row['end_mb']} | {row['slope_mb_per_10_min']} |"
        )
    print("\nconsistency:", json.dumps(summary["checks"]))
    for kind, row in summary["per_kind"].items():
        if row["error_examples"]:
            print(f"errors of {kind}: {row['error_examples']}")
    print("verdict:", summary["verdict"])


def _verdict(summary):
    slopes = [row["slope_mb_per_10_min"] for row in summary["memory"].values()]
    errors = sum(row["errors"] for row in summary["per_kind"].values())
    worst = max((s for s in slopes if s is not None), default=None)
    flat = worst is not None and worst * 3 < 10  # the bound: under 10 MB per 30 minutes
    checks_ok = all(v in (0, True) for k, v in summary["checks"].items() if k.startswith(("bad_", "ok_")))
    return (
        f"{'PASS' if flat and errors == 0 and checks_ok else 'FAIL'}: steepest memory slope {worst} MB per 10 min "
        f"(bound: under 3.3), {errors} errors, consistency {'ok' if checks_ok else 'FAILED'}"
    )


def _checks(seed, info, world):
    try:
        return seed.checks(info, world)
    except Exception as exc:  # noqa: BLE001 (the figures are still worth printing)
        return {"bad_checks_failed": repr(exc)}


def main():
    _setup()
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        print("The soak benchmark needs PostgreSQL (DATABASE_URL=postgres://...).")
        return
    from benchmarks import _soak_seed as seed
    from willkommen.core.scale.processes import redis_available, stop

    if not redis_available(REDIS_URL):
        print(f"The soak benchmark needs Redis at {REDIS_URL} (BENCH_REDIS_URL).")
        return
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # the benchmark's own database
    log("seeding")
    info = seed.seed(SLUG)
    connections.close_all()
    var_dir = os.environ["VAR_DIR"]
    queue = f"soak-{secrets.token_hex(4)}"
    env = _server_env(var_dir, queue)
    port, web, consumer = _start(env)
    summary = {
        "minutes": MINUTES,
        "rate_per_s": RATE,
        "gunicorn": f"{WORKERS} x {WEB_THREADS}",
        "load_start": open("/proc/loadavg").read().split()[0],
        "recycling": RECYCLE,
    }
    try:
        # proofs for the first 8 minutes (a challenge expires after 10); later bookings solve their own
        world, browsers = seed.world(
            info,
            port,
            Path(var_dir) / "mail",
            int(RATE * min(MINUTES * 60, 480) * MIX["book"] / sum(MIX.values()) * 1.3) + 20,
        )
        monitor = Monitor(web, consumer)
        monitor.start()
        log(f"traffic for {MINUTES} min at {RATE}/s")
        results = _run_traffic(world, browsers, seed.pdf_bytes())
        log("traffic done; waiting for the queue")
        drained, left = _wait_for_queue(queue)
        monitor.sample()
        monitor.stop.set()
    finally:
        stop(web)
        stop(consumer, timeout=60)
    summary.update(
        load_end=open("/proc/loadavg").read().split()[0],
        per_kind=_per_kind(results),
        per_minute=_per_minute(results, monitor.samples),
        memory=_memory(monitor.samples),
        checks={"queue_drained_s": drained, "bad_jobs_left": left, **_checks(seed, info, world)},
    )
    summary["verdict"] = _verdict(summary)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "soak.json").write_text(json.dumps({**summary, "samples": monitor.samples}, indent=1, default=str))
    _report(summary)
