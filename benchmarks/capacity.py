"""Capacity: the highest rate of the soak's mixed traffic the whole machine serves with acceptable latency.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wk_bench_capacity BENCH=capacity python -m benchmarks
    CAPACITY_LEVELS=4,8,16,32,64 CAPACITY_LEVEL_SECONDS=150 ...   # client threads per level (the defaults),
                                                                # measured seconds of each

Before and after in one sitting (issue 23: today's code against the last commit before its fixes), each version
with its own database, one after the other on the same machine settings:

    git -C /work/main archive b26b03e | tar -x -C /tmp/old && cd /tmp/old && ln -s /work/main/.venv .venv \\
        && ln -s /work/main/node_modules node_modules && bash scripts/vendor-assets.sh \\
        && bash scripts/compile-messages.sh
    CAPACITY_SOURCE=/tmp/old CAPACITY_LABEL=b26b03e DATABASE_URL=postgres://.../wk_bench_cap_old \\
        BENCH=capacity python -m benchmarks
    CAPACITY_LABEL=main CAPACITY_BASELINE=benchmarks/results/capacity-b26b03e.json \\
        DATABASE_URL=postgres://.../wk_bench_cap_new BENCH=capacity python -m benchmarks

``CAPACITY_SOURCE`` (default: this checkout) is the source tree served and seeded: its ``willkommen`` package is
imported by this process (the seeding) and by the servers, which run in that directory; the harness (this
package: seed, traffic, HTTP client) stays today's. Code without ``willkommen.core.scale.processes`` gets the
harness's copy of it.

Servers as in the soak (benchmarks/soak.py): gunicorn ``BENCH_GUNICORN_WORKERS`` x ``BENCH_GUNICORN_THREADS``
(default 4 x 4) on PostgreSQL, Redis for cache and queue (``CAPACITY_REDIS_URL``, default
redis://127.0.0.1:6379/10, emptied), one Huey consumer with 2 threads, mail to files, recycling off, rate limits
raised except the status sign-in's (10 a minute per address, 5 per case number in 15 minutes), each client
visit from its own address (benchmarks/_forwarded_wsgi.py sets ``REMOTE_ADDR`` from ``X-Forwarded-For``, for
every version alike).

Traffic: the soak's seed and visit kinds with its weights (benchmarks/_soak_traffic.py), in closed loop: at
each level ``N`` client threads each start their next visit as soon as the last one is answered, for
``CAPACITY_RAMP_SECONDS`` (default 15, not counted) plus ``CAPACITY_LEVEL_SECONDS`` (default 150). Staff
figures are the ServicePoint figures page only (the casework figures page did not exist at b26b03e), so the
same mix runs on both versions. Before the first level ``CAPACITY_WARMUP_SECONDS`` (default 30) of traffic
from 4 clients, not counted.

Recorded per level: HTTP requests answered per second, server errors (5xx, resets, timeouts at the client's
60 s), visits with an unexpected 4xx, p50/p95/p99 of single requests, p95 per visit kind, CPU seconds of the
servers (gunicorn and consumer; PostgreSQL not included) and of this client process, the share of the whole
machine's CPU that was busy and that went to niced processes (run this benchmark un-niced, then that is other
people's test runs: with
``kernel.sched_autogroup_enabled`` a niced process in another session still gets its session's share), and the
load average before and after. Capacity: the highest requests per second of a level with p95 at most ``CAPACITY_P95_MS`` (default
1000) and no server error. Results to benchmarks/results/capacity-<label>.json; with ``CAPACITY_BASELINE`` (an
earlier result file) the ratio of the two capacities is printed. Run it from the harness's checkout (the
package ``benchmarks`` is imported from there). The client runs on the same machine; its CPU is part of the load
and is reported.
"""

import importlib.util
import json
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SOURCE = Path(os.environ.get("CAPACITY_SOURCE", str(REPO))).resolve()
LABEL = os.environ.get("CAPACITY_LABEL", "main" if SOURCE == REPO else SOURCE.name)
LEVELS = [int(x) for x in os.environ.get("CAPACITY_LEVELS", "4,8,16,32,64").split(",") if x.strip()]
LEVEL_SECONDS = float(os.environ.get("CAPACITY_LEVEL_SECONDS", "150"))
RAMP_SECONDS = float(os.environ.get("CAPACITY_RAMP_SECONDS", "15"))
WARMUP_SECONDS = float(os.environ.get("CAPACITY_WARMUP_SECONDS", "30"))
P95_BOUND_MS = float(os.environ.get("CAPACITY_P95_MS", "1000"))
PROOFS_PER_LEVEL = int(os.environ.get("CAPACITY_PROOFS", "400"))
REDIS_URL = os.environ.get("CAPACITY_REDIS_URL", "redis://127.0.0.1:6379/10")
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/wk_bench_capacity"
WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", "4"))
WEB_THREADS = int(os.environ.get("BENCH_GUNICORN_THREADS", "4"))
SLUG = "cap" + time.strftime("%m%d%H%M")
TICK = os.sysconf("SC_CLK_TCK")

# the soak's staff pages, with the figures that exist in every version measured
STAFF_REPORTS = ("head", lambda w, n: ["/desk/reports/servicepoint/"])


def log(*parts):
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC load {_load()}]", *parts, file=sys.stderr, flush=True)


def _load():
    return " ".join(open("/proc/loadavg").read().split()[:3])


class Recorder:
    """Every HTTP request of the measured traffic: (level, kind, started, seconds, status or error name)."""

    def __init__(self):
        self.rows = []
        self.level = None
        self.local = threading.local()

    def wrap(self, request):
        recorder = self

        def timed(browser, port, method, path, *args, **kwargs):
            level, kind = recorder.level, getattr(recorder.local, "kind", "")
            started = time.monotonic()
            try:
                response = request(browser, port, method, path, *args, **kwargs)
            except Exception as exc:
                if level is not None:
                    recorder.rows.append((level, kind, started, time.monotonic() - started, type(exc).__name__))
                raise
            if level is not None:
                recorder.rows.append((level, kind, started, time.monotonic() - started, response.status))
            return response

        return timed


RECORDER = Recorder()


def _use_source():
    """Import ``willkommen`` from CAPACITY_SOURCE; give code without the harness's process helpers a copy."""
    if "willkommen" in sys.modules:
        raise RuntimeError("willkommen was imported before the source tree was chosen")
    sys.path.insert(0, str(SOURCE))
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "willkommen.settings")
    os.environ["HUEY_STORAGE"] = "memory"  # this process only seeds
    os.environ["VAR_DIR"] = tempfile.mkdtemp(prefix="wk-bench-capacity-")
    os.environ.setdefault("EMAIL_BACKEND", "locmem")
    os.environ.setdefault("SECRET_KEY", "capacity-benchmark-secret-key-" + secrets.token_urlsafe(32))
    from benchmarks.cases import _create_database

    _create_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    name = "willkommen.core.scale.processes"
    if importlib.util.find_spec("willkommen.core.scale") is None:
        spec = importlib.util.spec_from_file_location(name, REPO / "willkommen/core/scale/processes.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    processes = importlib.import_module(name)
    processes.Browser.request = RECORDER.wrap(processes.Browser.request)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return processes


def _server_env(var_dir, queue):
    from benchmarks import soak

    env = soak._server_env(var_dir, queue)
    env.pop("PROXY_ADDRESSES", None)  # the WSGI wrapper sets REMOTE_ADDR for every version alike
    env.update(
        DEFAULT_AUTHORITY=SLUG, HUEY_REDIS_URL=REDIS_URL, REDIS_URL=REDIS_URL, GUNICORN_MAX_REQUESTS="0", PYTHONPATH=""
    )
    return env


def _start(env, processes):
    shim = Path(env["VAR_DIR"]) / "shim"
    shim.mkdir()
    shutil.copy(HERE / "_forwarded_wsgi.py", shim / "_forwarded_wsgi.py")
    port = processes.free_port()
    consumer = subprocess.Popen(
        [sys.executable, "manage.py", "run_huey", "--workers", "2", "--quiet", "--skip-checks"],
        cwd=SOURCE,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(Path(env["VAR_DIR"]) / "consumer.log", "w"),  # noqa: SIM115 (closed with the process)
    )
    web = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "_forwarded_wsgi:application", "--pythonpath", str(shim)]
        + ["-c", str(HERE / "_gunicorn_conf.py"), "-w", str(WORKERS), "--threads", str(WEB_THREADS)]
        + ["-b", f"127.0.0.1:{port}"],
        cwd=SOURCE,
        env=env,
        stderr=open(Path(env["VAR_DIR"]) / "server.log", "w"),  # noqa: SIM115
    )
    processes.wait_for_port(port, web, timeout=120, what="gunicorn")
    return port, web, consumer


def _cpu_seconds(pid):
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def _server_cpu(web, consumer):
    from benchmarks.soak import _children

    return sum(_cpu_seconds(pid) for pid in [web.pid, consumer.pid, *_children(web.pid)])


def _machine_busy():
    """(busy, total, niced) jiffies of all cores since boot."""
    values = [int(v) for v in open("/proc/stat").readline().split()[1:9]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values), values[1]


def _visit(kind, world, browsers, pdf, n):
    """One visit of the soak's mix; "" when it went as expected, else what went wrong."""
    from benchmarks import _soak_traffic as traffic
    from benchmarks.soak import _address
    from willkommen.core.scale.processes import Browser

    RECORDER.local.kind = kind
    try:
        if kind == "staff_reports":
            role, paths = STAFF_REPORTS
            for path in paths(world, n):
                traffic._check(browsers[role].get(world.port, world.prefix() + path), kind, 200)
        elif kind.startswith("staff_"):
            traffic.staff_page(kind, world, browsers, n)
        elif kind == "apply":
            traffic.apply(world, Browser(_address(n)), n, pdf)
        else:
            getattr(traffic, kind)(world, Browser(_address(n)), n)
    except traffic.Failed as exc:
        return f"{kind}: {exc.status}"
    except Exception as exc:  # noqa: BLE001 (counted, shown in the report)
        return f"{kind}: {repr(exc)[:120]}"
    return ""


def _fresh_proofs(world, count, round_no):
    from willkommen.appointments import protection

    solved = [
        protection.solve(protection.new_challenge(f"10.{90 + round_no}.{i // 250}.{i % 250}")) for i in range(count)
    ]
    now = time.monotonic()
    with world.lock:
        world.proofs = [(now, proof) for proof in solved]


def _drive(clients, seconds, world, browsers, pdf, level):
    """``clients`` threads in closed loop for ``seconds``; returns the visit failures."""
    from benchmarks.soak import MIX

    kinds, weights = list(MIX), list(MIX.values())
    failures = []
    stop_at = time.monotonic() + seconds

    def client(i):
        rng = random.Random(f"{level}-{clients}-{i}")
        while time.monotonic() < stop_at:
            failure = _visit(rng.choices(kinds, weights)[0], world, browsers, pdf, world.next())
            if failure:
                failures.append((time.monotonic(), failure))

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


def _pct(values, p):
    values = sorted(values)
    return round(values[min(len(values) - 1, int(p / 100 * len(values)))] * 1000, 1) if values else None


def _is_server_error(status):
    return not isinstance(status, int) or status >= 500


def _level(clients, world, browsers, pdf, web, consumer, round_no):
    _fresh_proofs(world, PROOFS_PER_LEVEL, round_no)
    load_before = _load()
    RECORDER.level = clients
    begin = time.monotonic()
    counted_from = begin + RAMP_SECONDS
    marks = {}

    def mark():
        time.sleep(RAMP_SECONDS)
        marks["start"] = (_server_cpu(web, consumer), _cpu_seconds(os.getpid()), _machine_busy())

    marker = threading.Thread(target=mark, daemon=True)
    marker.start()
    failures = _drive(clients, RAMP_SECONDS + LEVEL_SECONDS, world, browsers, pdf, clients)
    ended = time.monotonic()
    end = (_server_cpu(web, consumer), _cpu_seconds(os.getpid()), _machine_busy())
    RECORDER.level = None
    marker.join()
    rows = [r for r in RECORDER.rows if r[0] == clients and r[2] >= counted_from]
    seconds = ended - counted_from
    times = [r[3] for r in rows]
    server_errors = [r for r in rows if _is_server_error(r[4])]
    kinds = sorted({r[1] for r in rows})
    start = marks["start"]
    total = max(1, end[2][1] - start[2][1])
    busy, niced = (end[2][0] - start[2][0]) / total, (end[2][2] - start[2][2]) / total
    return {
        "clients": clients,
        "seconds": round(seconds, 1),
        "requests": len(rows),
        "requests_per_s": round(len(rows) / seconds, 1),
        "server_errors": len(server_errors),
        "server_error_examples": sorted({str(r[4]) for r in server_errors})[:5],
        "failed_visits": sum(1 for at, _f in failures if at >= counted_from),
        "failed_visit_examples": sorted({f for _at, f in failures})[:5],
        "p50_ms": _pct(times, 50),
        "p95_ms": _pct(times, 95),
        "p99_ms": _pct(times, 99),
        "p95_ms_by_kind": {k: _pct([r[3] for r in rows if r[1] == k], 95) for k in kinds},
        "requests_by_kind": {k: sum(1 for r in rows if r[1] == k) for k in kinds},
        "server_cpu_s": round(end[0] - start[0], 1),
        "client_cpu_s": round(end[1] - start[1], 1),
        "server_cpu_ms_per_request": round(1000 * (end[0] - start[0]) / max(1, len(rows)), 1),
        "machine_busy_pct": round(100 * busy, 1),
        "machine_niced_pct": round(100 * niced, 1),
        "load_before": load_before,
        "load_after": _load(),
    }


def _capacity(levels):
    ok = [row for row in levels if row["p95_ms"] is not None and row["p95_ms"] <= P95_BOUND_MS]
    ok = [row for row in ok if row["server_errors"] == 0]
    return max((row["requests_per_s"] for row in ok), default=0.0)


def _report(summary):
    print(
        f"capacity of {summary['label']} ({summary['source']}): gunicorn {summary['gunicorn']}, "
        f"{summary['level_seconds']} s per level after {summary['ramp_seconds']} s ramp"
    )
    print(
        "| clients | req/s | server errors | failed visits | p50 ms | p95 ms | p99 ms | server CPU ms/req "
        "| machine busy / niced % | client CPU s | load before | load after |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in summary["levels"]:
        print(
            f"| {r['clients']} | {r['requests_per_s']} | {r['server_errors']} | {r['failed_visits']} "
            f"| {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | {r['server_cpu_ms_per_request']} "
            f"| {r['machine_busy_pct']} / {r['machine_niced_pct']} | {r['client_cpu_s']} | {r['load_before']} | {r['load_after']} |"
        )
    for r in summary["levels"]:
        print(f"{r['clients']} clients, p95 ms by kind: {json.dumps(r['p95_ms_by_kind'])}")
        for key in ("server_error_examples", "failed_visit_examples"):
            if r[key]:
                print(f"  {key}: {r[key]}")
    print(f"capacity (p95 <= {P95_BOUND_MS:.0f} ms, no server error): {summary['capacity_rps']} requests/s")
    if "baseline" in summary:
        base = summary["baseline"]
        print(
            f"baseline {base['label']}: {base['capacity_rps']} requests/s; ratio {summary['ratio']} "
            f"({summary['capacity_rps']} / {base['capacity_rps']})"
        )


def main():
    processes = _use_source()
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        print("The capacity benchmark needs PostgreSQL (DATABASE_URL=postgres://...).")
        return
    if not processes.redis_available(REDIS_URL):
        print(f"The capacity benchmark needs Redis at {REDIS_URL} (CAPACITY_REDIS_URL).")
        return
    import redis

    from benchmarks import _soak_seed as seed

    redis.Redis.from_url(REDIS_URL).flushdb()  # the benchmark's own database
    log(f"seeding ({LABEL}: {SOURCE})")
    info = seed.seed(SLUG)
    connections.close_all()
    var_dir = os.environ["VAR_DIR"]
    env = _server_env(var_dir, f"capacity-{secrets.token_hex(4)}")
    port, web, consumer = _start(env, processes)
    summary = {
        "label": LABEL,
        "source": str(SOURCE),
        "gunicorn": f"{WORKERS} x {WEB_THREADS}",
        "level_seconds": LEVEL_SECONDS,
        "ramp_seconds": RAMP_SECONDS,
        "p95_bound_ms": P95_BOUND_MS,
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "levels": [],
    }
    try:
        world, browsers = seed.world(info, port, Path(var_dir) / "mail", 0)
        pdf = seed.pdf_bytes()
        log(f"warm-up {WARMUP_SECONDS} s")
        _fresh_proofs(world, 50, 0)
        _drive(4, WARMUP_SECONDS, world, browsers, pdf, "warm-up")
        for round_no, clients in enumerate(LEVELS, start=1):
            log(f"{clients} clients for {RAMP_SECONDS} + {LEVEL_SECONDS} s")
            row = _level(clients, world, browsers, pdf, web, consumer, round_no)
            log(
                f"{clients} clients: {row['requests_per_s']} req/s, p95 {row['p95_ms']} ms, "
                f"{row['server_errors']} server errors, {row['failed_visits']} failed visits"
            )
            summary["levels"].append(row)
    finally:
        processes.stop(web)
        processes.stop(consumer, timeout=60)
    summary["capacity_rps"] = _capacity(summary["levels"])
    baseline = os.environ.get("CAPACITY_BASELINE")
    if baseline:
        base = json.loads(Path(baseline).read_text())
        summary["baseline"] = {"label": base["label"], "capacity_rps": base["capacity_rps"]}
        summary["ratio"] = round(summary["capacity_rps"] / base["capacity_rps"], 2) if base["capacity_rps"] else None
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / f"capacity-{LABEL}.json").write_text(json.dumps(summary, indent=1, default=str))
    _report(summary)
