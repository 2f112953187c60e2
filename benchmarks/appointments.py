"""Release day, in one sitting: Willkommen's booking rush, free-slot answers, confirmation mail, work queue
and receipt PDF, before and after a change, beside the peer django-appointment and the bare PostgreSQL
booking transaction (pgbench), with the load average of the machine.

    make bench BENCH=appointments                          # this version, the peer and pgbench
    BENCH_BEFORE=c0a0e53 make bench BENCH=appointments     # and the version of that commit, the same way

Every number of both versions is measured by the same probe (benchmarks/_release_probe.py) running inside
that version's tree (``git archive`` of BENCH_BEFORE into a temporary directory; each version has its own
PostgreSQL database ``<BENCH_DB>_before`` / ``<BENCH_DB>_after``, the 1,000,000 cases are seeded once and
the after-database is copied from the before-database) and by the same load generator:

* in process, Django's WSGI handler as gunicorn calls it: server CPU (thread time) and SQL statements of a
  booking POST that wins (201) and that loses (409); GET slots/ and days/ for 90 days at 10 locations
  (uncached, and as a client sees it with the version's cache); the work queue of a regular caseworker with
  1,000,000 cases; the bilingual receipt PDF (German and Arabic);
* the rush: gunicorn (4 workers x 4 threads) on PostgreSQL with Redis for the cache and the job queue and two
  job consumers; 2,000 clients (each with a solved proof of work) for 200 places at one location, 200 at a
  time over keep-alive connections, all released together; places booked per second, latency of the
  booking POST, overbooked slots, and for every booked client the time until its confirmation request left;
* the peer: ../shared/bench/peer_django_appointment/run.sh (its own rush of 2,000 people for 200 places and
  its own pgbench), not part of this repository;
* pgbench with the peer's booking transaction (BENCH_PGBENCH_CLIENTS clients, default 16, 10 s) against the
  same PostgreSQL server: the yardstick both rushes are divided by (the peer's own pgbench runs with the same
  number of clients).

Environment: BENCH_DB (database name prefix, default wk_bench_release), BENCH_PG (server URL without a
database, default postgres://postgres@127.0.0.1:5432), BENCH_REDIS_URL (default redis://127.0.0.1:6379/3;
the benchmark empties that Redis database), BENCH_PEER=0 (skip the peer), BENCH_QUEUE=0, BENCH_RECEIPT=0,
BENCH_SCALE (clients and places; 1.0 = 2,000 for 200), BENCH_QUEUE_SCALE (cases; 1.0 = 1,000,000).
"""

import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
# ../shared/bench/peer_django_appointment beside the repository (for a git worktree further up); BENCH_PEER_DIR.
PEER = Path(
    os.environ.get("BENCH_PEER_DIR")
    or next(
        (p / "shared/bench/peer_django_appointment" for p in REPO.parents if (p / "shared/bench").is_dir()),
        REPO.parent / "shared/bench/peer_django_appointment",
    )
)
SCALE = float(os.environ.get("BENCH_SCALE", "1.0"))
CLIENTS = max(20, int(2000 * SCALE))
PLACES = max(2, int(200 * SCALE))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "200"))
WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", "4"))
THREADS = int(os.environ.get("BENCH_GUNICORN_THREADS", "4"))
CONSUMERS = int(os.environ.get("BENCH_CONSUMERS", "2"))
# pgbench clients (the peer's harness uses 100; a PostgreSQL server shared with others may not have 100
# connections to spare, so both pgbench runs of the sitting use this many).
PGBENCH_CLIENTS = int(os.environ.get("BENCH_PGBENCH_CLIENTS", "16"))
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB = os.environ.get("BENCH_DB", "wk_bench_release")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3")
PYTHON = str(REPO / ".venv" / "bin" / "python")
SECRET = "release-day-benchmark-secret-key-0123456789abcdefghijklmnop"


def log(*parts):
    print(f"[{time.strftime('%H:%M:%S')} load {_load()}]", *parts, file=sys.stderr, flush=True)


def _load():
    return " ".join(open("/proc/loadavg").read().split()[:3])


# --- databases, trees, processes ----------------------------------------------------------------------


def _admin(sql):
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        return conn.execute(sql).fetchall() if sql.lstrip().upper().startswith("SELECT") else conn.execute(sql)


def _exists(name):
    return bool(_admin(f"SELECT 1 FROM pg_database WHERE datname = '{name}'"))


def _databases(with_before):
    """``<DB>_before`` (seeded by the old version, in its schema) and ``<DB>_after``: with a before-version the
    after-database is copied from the before-database once that is seeded (:func:`_copy_database`), so the
    million cases are generated once; without one it is created empty and seeded by this version."""
    before, after = f"{DB}_before", f"{DB}_after"
    if with_before and not _exists(before):
        _admin(f'CREATE DATABASE "{before}"')
    if not with_before and not _exists(after):
        _admin(f'CREATE DATABASE "{after}"')
    return before, after


def _copy_database(source, target):
    if not _exists(target):
        log(f"copying {source} to {target}")
        _admin(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')


def _export(commit):
    """The tree of ``commit`` in a temporary directory (``git archive``), with this venv and compiled catalogs."""
    target = Path(tempfile.mkdtemp(prefix="wk-bench-before-"))
    archive = subprocess.run(["git", "-C", str(REPO), "archive", commit], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    (target / ".venv").symlink_to(REPO / ".venv")
    subprocess.run(["bash", "scripts/compile-messages.sh"], cwd=target, capture_output=True)
    return target


def _env(tree, database, var_dir):
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("APPOINTMENTS_", "BENCH_INFO"))},
        "PYTHONPATH": str(tree),
        "DJANGO_SETTINGS_MODULE": "willkommen.settings",
        "DATABASE_URL": f"{PG}/{database}",
        "DB_CONN_MAX_AGE": "600",
        "REDIS_URL": REDIS,
        "HUEY_STORAGE": "redis",
        "HUEY_REDIS_URL": REDIS,
        "VAR_DIR": str(var_dir),
        "SECRET_KEY": SECRET,
        "DEBUG": "false",
        "HTTPS_ONLY": "off",  # plain http on 127.0.0.1 (production redirects to https)
        "LOG_LEVEL": "ERROR",
        # mail to files in VAR_DIR: the locmem backend keeps every mail (with its PDFs) in the process for good
        "EMAIL_BACKEND": "file",
        "DEFAULT_AUTHORITY": "rush",
        "CLAMD_SOCKET": "",
        "EFILE_OCR": "false",
        "BENCH_PLACES": str(PLACES),
        # All clients come from one address: the rush measures the booking path, not the limiter.
        "APPOINTMENTS_BOOKING_RATE_LIMIT": "1000000",
        "APPOINTMENTS_BOOKING_RATE_LIMIT_NO_POW": "1000000",
        "APPOINTMENTS_READ_RATE_LIMIT": "1000000",
    }


def _probe(tree, env, *args, timeout=7200):
    result = subprocess.run(
        [PYTHON, str(HERE / "_release_probe.py"), *args],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode:
        raise RuntimeError(f"probe {args[0]} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _flush_redis():
    import redis

    redis.Redis.from_url(REDIS).flushdb()  # the benchmark's own Redis database (BENCH_REDIS_URL)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(tree, env, port):
    processes = []
    for _ in range(CONSUMERS):
        processes.append(
            subprocess.Popen(
                [PYTHON, "manage.py", "run_huey", "--workers", "2", "--no-periodic", "--quiet", "--skip-checks"],
                cwd=tree,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    gunicorn = str(REPO / ".venv" / "bin" / "gunicorn")
    server_log = open(Path(env["VAR_DIR"]) / "server.log", "w")  # noqa: SIM115 (closed with the process)
    processes.append(
        subprocess.Popen(
            [gunicorn, "willkommen.wsgi", "-c", str(HERE / "_gunicorn_conf.py")]
            + ["-w", str(WORKERS), "--threads", str(THREADS), "-b", f"127.0.0.1:{port}"],
            cwd=tree,
            env=env,
            stderr=server_log,
        )
    )
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return processes
        except OSError:
            time.sleep(0.3)
    _stop(processes)
    raise RuntimeError("gunicorn did not start")


def _stop(processes):
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


# --- the rush: an asyncio load generator over keep-alive connections ------------------------------------


def _request(body):
    data = json.dumps(body).encode()
    return (
        b"POST /a/rush/api/v1/appointments/bookings/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: " + str(len(data)).encode() + b"\r\n\r\n" + data
    )


async def _response(reader):
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("closed")
    length, close = 0, False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        if name.lower() == "content-length":
            length = int(value)
        elif name.lower() == "connection" and "close" in value.lower():
            close = True
    await reader.readexactly(length)
    return int(status_line.split()[1]), close


async def _connection(port, requests, results, start):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    await start.wait()
    for request in requests:
        began = time.perf_counter()
        try:
            writer.write(request)
            await writer.drain()
            status, close = await _response(reader)
        except (ConnectionError, asyncio.IncompleteReadError, OSError):
            status, close = 0, True
        results.append((status, began, time.perf_counter()))
        if close:
            writer.close()
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.close()


async def _rush_async(port, requests):
    start = asyncio.Event()
    results = []
    lanes = [requests[i::CONCURRENCY] for i in range(min(CONCURRENCY, len(requests)))]
    tasks = [asyncio.create_task(_connection(port, lane, results, start)) for lane in lanes]
    await asyncio.sleep(1.0)  # every connection open
    t0 = time.perf_counter()
    start.set()
    await asyncio.gather(*tasks)
    return t0, results


def _warm_up(port, anliegen):
    """Every worker thread serves a few unmeasured requests first (imports, connections)."""
    body = {"slot": 0, "anliegen": anliegen, "family_name": "Warm", "date_of_birth": "1990-01-01", "email": "w@x.org"}
    asyncio.run(_rush_async(port, [_request(body)] * (WORKERS * THREADS * 4)))


def _pct(values, p):
    values = sorted(values)
    return round(values[min(len(values) - 1, int(p / 100 * len(values)))], 1) if values else None


def rush(tree, env, info):
    proofs = _probe(tree, {**env, "BENCH_INFO": json.dumps(info)}, "proofs", str(CLIENTS))
    requests = []
    for n in range(CLIENTS):
        body = {
            "slot": info["slot_ids"][n % len(info["slot_ids"])],
            "anliegen": info["anliegen"],
            "family_name": f"Rush{n}",
            "given_names": "Client",
            "date_of_birth": "1990-01-01",
            "email": f"rush{n}@example.org",
            "language": "de",
            "altcha": proofs[n],
        }
        requests.append(_request(body))
    _flush_redis()
    port = _free_port()
    processes = _start(tree, env, port)
    try:
        _warm_up(port, info["anliegen"])
        log("rush: released")
        t0, results = asyncio.run(_rush_async(port, requests))
        booked = [r for r in results if r[0] == 201]
        log(f"rush: {len(booked)} booked, waiting for the mails")
        mails_done = _wait_for_mails(env, len(booked))
    finally:
        _stop(processes)
    last = max((r[2] for r in booked), default=t0)
    latencies = [(r[2] - r[1]) * 1000 for r in results]
    return {
        "clients": CLIENTS,
        "places": PLACES,
        "booked": len(booked),
        "gone_409": sum(1 for r in results if r[0] == 409),
        "other_status": sorted({r[0] for r in results} - {201, 409}),
        "places_booked_per_s": round(len(booked) / max(1e-9, last - t0), 1),
        "latency_ms_p50": _pct(latencies, 50),
        "latency_ms_p95": _pct(latencies, 95),
        "latency_ms_p99": _pct(latencies, 99),
        "rush_s": round(max(r[2] for r in results) - t0, 2),
        "mails_done_s_after_rush": mails_done,
        **_probe(tree, env, "after-rush"),
    }


def _wait_for_mails(env, expected, timeout=300):
    import psycopg

    started = time.perf_counter()
    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
        while time.perf_counter() - started < timeout:
            sent = conn.execute(
                "SELECT count(*) FROM messaging_message m JOIN tenancy_authority a ON a.id = m.authority_id "
                "WHERE a.slug = 'rush' AND m.template_key IN ('booking_confirm_request', 'appointments.confirm_request') "
                "AND m.status = 'sent'"
            ).fetchone()[0]
            if sent >= expected:
                return round(time.perf_counter() - started, 1)
            time.sleep(0.5)
    return None


# --- the yardsticks --------------------------------------------------------------------------------------


def peer():
    """The peer harness, run as it is (its README); its JSON line is the last line it prints."""
    if not (PEER / "run.sh").exists():
        return {"skipped": f"{PEER} not found"}
    database = f"{DB}_peer"
    if not _exists(database):
        _admin(f'CREATE DATABASE "{database}"')
    env = {
        **os.environ,
        "DATABASE_URL": f"{PG.replace('postgres://', 'postgresql://')}/{database}",
        "PEER_WORK_DIR": os.environ.get("BENCH_PEER_WORK_DIR", "/tmp/wk-bench-peer-run"),
        "PEER_VENV": os.environ.get("BENCH_PEER_VENV", "/tmp/wk-bench-peer-venv"),
        "HTTP_PORT": str(_free_port()),
        "PGBENCH_CLIENTS": str(PGBENCH_CLIENTS),
    }
    result = subprocess.run(["bash", str(PEER / "run.sh")], env=env, capture_output=True, text=True, timeout=1800)
    if result.returncode:
        return {"failed": result.stderr[-2000:]}
    return json.loads(result.stdout.strip().splitlines()[-1])


def pgbench(database, clients=PGBENCH_CLIENTS, seconds=10):
    """The peer's bare booking transaction (lock the slot row, conditional UPDATE, INSERT) on this server."""
    import psycopg

    script = PEER / "pgbench_booking.sql"
    if not script.exists() or not shutil.which("pgbench"):
        return None
    url = f"{PG}/{database}"
    ddl = [
        "DROP TABLE IF EXISTS bench_booking, bench_slot",
        "CREATE TABLE bench_slot (id integer PRIMARY KEY, staff integer NOT NULL, starts_at timestamptz NOT NULL,"
        " capacity integer NOT NULL, booked integer NOT NULL DEFAULT 0)",
        "CREATE TABLE bench_booking (id bigserial PRIMARY KEY, slot_id integer NOT NULL REFERENCES bench_slot (id),"
        " client_ref bigint NOT NULL, created_at timestamptz NOT NULL DEFAULT now())",
        f"INSERT INTO bench_slot (id, staff, starts_at, capacity) SELECT g, (g - 1) % 10 + 1,"
        f" now() + (g || ' minutes')::interval, 1000000000 FROM generate_series(1, {PLACES}) g",
        "VACUUM ANALYZE bench_slot",
    ]
    with psycopg.connect(url, autocommit=True) as conn:
        for statement in ddl:
            conn.execute(statement)
    output = subprocess.run(
        [
            "pgbench",
            "-n",
            "-c",
            str(clients),
            "-j",
            "2",
            "-T",
            str(seconds),
            "-D",
            f"places={PLACES}",
            "-f",
            str(script),
        ]
        + [url],
        capture_output=True,
        text=True,
    ).stdout
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_booking, bench_slot")
    lines = [line for line in output.splitlines() if line.startswith("tps")]
    return float(lines[0].split("=")[1].split()[0]) if lines else None


# --- one version -------------------------------------------------------------------------------------------


def version(label, tree, database):
    var_dir = Path(tempfile.mkdtemp(prefix=f"wk-bench-{label}-"))
    env = _env(tree, database, var_dir)
    result = {"label": label, "load_start": _load()}
    log(f"{label}: prepare (migrate, seed)")
    info = _probe(tree, env, "prepare")
    _flush_redis()
    log(f"{label}: in process")
    result["inproc"] = _probe(tree, {**env, "BENCH_INFO": json.dumps(info)}, "inproc")
    log(f"{label}: rush")
    result["rush"] = rush(tree, env, info)
    result["load_end"] = _load()
    shutil.rmtree(var_dir, ignore_errors=True)
    return result


# --- the report --------------------------------------------------------------------------------------------


def _get(data, *path):
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def rows(results, peer_result, tps):
    def both(*path):
        return [_get(r, *path) for r in results]

    def ratio(rate):
        return round(rate / tps, 4) if rate and tps else None

    table = [
        ("booking POST 201: server CPU ms (median) / SQL statements", "≤ 3 ms", None, both("inproc", "booking", "201")),
        ("booking POST 409: server CPU ms (median) / SQL statements", "≤ 1 ms", None, both("inproc", "booking", "409")),
        (
            "rush: places booked per second",
            "≥ 10× before",
            peer_result.get("bookings_per_s"),
            both("rush", "places_booked_per_s"),
        ),
        ("rush: booking POST p99 ms", "≤ 100 ms", peer_result.get("p99_ms"), both("rush", "latency_ms_p99")),
        ("rush: overbooked slots", "0", peer_result.get("double_booked"), both("rush", "overbooked_slots")),
        (
            "rush: ratio places/s to pgbench tps",
            "",
            ratio(peer_result.get("bookings_per_s")),
            [ratio(r) for r in both("rush", "places_booked_per_s")],
        ),
        (
            "confirmation mail after the 201: p50 / p95 s",
            "p95 ≤ 5 s",
            None,
            [(a, b) for a, b in zip(both("rush", "mail_s_p50"), both("rush", "mail_s_p95"), strict=True)],
        ),
        (
            "GET slots/ 90 days x 10 locations: p95 ms uncached / cached, bytes",
            "≤ 20 ms",
            peer_result.get("idle_slots_ms_before"),
            [
                (a, b, c)
                for a, b, c in zip(
                    both("inproc", "free", "slots_cold", "p95_ms"),
                    both("inproc", "free", "slots_cached", "p95_ms"),
                    both("inproc", "free", "slots_cold", "bytes"),
                    strict=True,
                )
            ],
        ),
        (
            "GET days/ same range: p95 ms uncached / cached",
            "≤ 10 ms",
            None,
            [
                (a, b)
                for a, b in zip(
                    both("inproc", "free", "days_cold", "p95_ms"),
                    both("inproc", "free", "days_cached", "p95_ms"),
                    strict=True,
                )
            ],
        ),
        (
            "work queue, 1,000,000 cases: first page p95 ms / queries",
            "≤ 100 ms",
            None,
            [(_get(q, "p95_ms"), _get(q, "queries")) for q in both("inproc", "queue", "first_page")],
        ),
        (
            "bilingual receipt PDF: render p95 ms / download p95 ms",
            "≤ 200 ms",
            None,
            [
                (a, b)
                for a, b in zip(
                    both("inproc", "receipt", "render_p95_ms"),
                    both("inproc", "receipt", "download_p95_ms"),
                    strict=True,
                )
            ],
        ),
    ]
    return table  # noqa: RET504


def report(results, peer_result, tps):
    labels = [r["label"] for r in results]
    print(f"pgbench (the peer's booking transaction, {PGBENCH_CLIENTS} clients, 10 s): {tps} tps")
    for r in results:
        print(f"{r['label']}: load average at start {r['load_start']}, at end {r['load_end']}")
    print("| what | " + " | ".join(labels) + " | goal | peer django-appointment |")
    print("|---|" + "---|" * (len(labels) + 2))
    for name, goal, peer_value, values in rows(results, peer_result, tps):
        print(f"| {name} | " + " | ".join(json.dumps(v) for v in values) + f" | {goal} | {json.dumps(peer_value)} |")


def main():
    commit = os.environ.get("BENCH_BEFORE", "")
    log(f"sitting starts; clients {CLIENTS}, places {PLACES}")
    before_db, after_db = _databases(bool(commit))
    peer_result = peer() if os.environ.get("BENCH_PEER", "1") == "1" else {"skipped": "BENCH_PEER=0"}
    log(f"peer: {json.dumps(peer_result)[:300]}")
    results = []
    if commit:
        tree = _export(commit)
        try:
            results.append(version(f"before ({commit})", tree, before_db))
        finally:
            shutil.rmtree(tree, ignore_errors=True)
        _copy_database(before_db, after_db)
    results.append(version("after", REPO, after_db))
    tps = pgbench(after_db)
    summary = {"load_now": _load(), "pgbench_tps": tps, "peer": peer_result, "versions": results}
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "appointments.json").write_text(json.dumps(summary, indent=1, default=str))
    report(results, peer_result, tps)
