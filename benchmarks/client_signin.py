"""Client sign-in with case number + access code, and the online application's submit: time per request
in process (Django's test client, the real middleware, views and database), with the production
password hashers (tests use MD5; this does not).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wk_bench_signin BENCH=client_signin make bench
    BENCH_REPEAT=31 ...   # requests per operation (default 21; the first is dropped)

Measured per request: wall time (p50, p95, mean) and CPU time of this process (mean). The receipt job is
only enqueued (Huey's SQLite storage in a temporary VAR_DIR, no consumer), as in production, so the
submit time is the request alone. Rate limits are reset between requests (the cache is cleared outside
the timing); one test client serves all requests, its cookies cleared in between (a new browser).
The first request of each series warms up (templates, translations) and is dropped. Only public entry points are used, so the same file measures an older checkout too
(run it with that checkout on PYTHONPATH).
"""

import json
import logging
import os
import statistics
import tempfile
import time
from pathlib import Path

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/wk_bench_signin"
REPEAT = int(os.environ.get("BENCH_REPEAT", "21"))


def _setup():
    os.environ.setdefault("DATABASE_URL", os.environ.get("BENCH_SIGNIN_DATABASE_URL", DEFAULT_URL))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "willkommen.settings")
    os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="wk-bench-signin-"))
    os.environ["HUEY_STORAGE"] = "sqlite"
    os.environ.setdefault("HTTPS_ONLY", "off")  # the test client speaks plain http
    os.environ.setdefault("EMAIL_BACKEND", "locmem")
    url = os.environ["DATABASE_URL"]
    if url.startswith("postgres"):
        _create_database(url)
    import django
    from django.conf import settings

    django.setup()
    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS.append("testserver")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 400s of wrong codes are expected
    return settings


def _create_database(url):
    from urllib.parse import urlparse

    import psycopg

    name = urlparse(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _stats(name, walls, cpus):
    walls, cpus = walls[1:], cpus[1:]  # the first request warms up
    walls_ms = sorted(w * 1000 for w in walls)
    row = {
        "operation": name,
        "requests": len(walls_ms),
        "p50_ms": round(statistics.median(walls_ms), 1),
        "p95_ms": round(walls_ms[max(0, int(len(walls_ms) * 0.95) - 1)], 1),
        "mean_ms": round(statistics.fmean(walls_ms), 1),
        "cpu_mean_ms": round(statistics.fmean(cpus) * 1000, 1),
    }
    print(
        f"{name:<34} n={row['requests']:>3}  p50 {row['p50_ms']:>8.1f} ms  p95 {row['p95_ms']:>8.1f} ms"
        f"  mean {row['mean_ms']:>8.1f} ms  cpu {row['cpu_mean_ms']:>8.1f} ms",
        flush=True,
    )
    return row


def _timed(func):
    wall, cpu = time.perf_counter(), time.process_time()
    result = func()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def _world(stamp):
    from willkommen.catalogue.testing import make_anliegen
    from willkommen.core.testing import make_authority, make_team

    authority = make_authority("bench-signin", "Stadt Benchstadt")
    anliegen = make_anliegen(authority, slug=f"bench-{stamp}", way_in="online")
    team = make_team(authority, name=f"Team {stamp}")
    return authority, anliegen, team


def _person(authority, n):
    import datetime as dt

    from willkommen.clients.services import create_person

    return create_person(
        authority,
        family_name=f"Bench{n}",
        given_names="Amira",
        date_of_birth=dt.date(1990, 1, 1),
        email=f"bench{n}@example.org",
    )


def bench_sign_in(authority, anliegen, team, stamp):
    from django.core.cache import cache
    from django.test import Client

    from willkommen.cases.services import open_case

    cases = [
        open_case(authority, person=_person(authority, f"{stamp}-{i}"), anliegen=anliegen, team=team)
        for i in range(REPEAT)
    ]
    path = f"/a/{authority.slug}/status/"
    client = Client()  # one handler (a new Client loads the middleware again: WhiteNoise scans static files)
    rows = []
    for label, payload in [
        ("sign-in, right code", lambda case, code: {"number": case.number, "code": code}),
        ("sign-in, wrong code", lambda case, code: {"number": case.number, "code": "WRONGCODE2"}),
        ("sign-in, unknown case number", lambda case, code: {"number": "ABH-1999-999999", "code": code}),
    ]:
        walls, cpus = [], []
        for case, code in cases:
            cache.clear()
            client.cookies.clear()  # a new browser
            data = payload(case, code)
            response, wall, cpu = _timed(lambda d=data: client.post(path, d))
            expected = 302 if label.endswith("right code") else 400
            assert response.status_code == expected, (label, response.status_code)
            walls.append(wall)
            cpus.append(cpu)
        rows.append(_stats(label, walls, cpus))
    return rows


def bench_submit(authority, anliegen, stamp):
    import datetime as dt

    from django.core.cache import cache
    from django.test import Client

    from willkommen.applications import services

    personal = {
        "family_name": "Haddad",
        "given_names": "Amira",
        "date_of_birth": dt.date(1995, 4, 2),
        "nationalities": ["SYR"],
        "street": "Hauptstraße 5",
        "postal_code": "80331",
        "city": "Benchstadt",
        "phone": "",
        "preferred_language": "en",
        "preferred_channel": "email",
    }
    walls, cpus = [], []
    client = Client()
    for i in range(REPEAT):
        application = services.start_draft(authority, anliegen, "en")
        services.save_personal(application, {**personal, "email": f"submit-{stamp}-{i}@example.org"})
        services.save_answers(application, {"married": False, "blocked_account": True, "minor": False})
        services.acknowledge_information(application)
        client.cookies.clear()  # a new browser that started this draft
        session = client.session
        session["applications"] = [str(application.public_id)]
        session.save()
        cache.clear()
        url = f"/a/{authority.slug}/apply/{application.public_id}/review/"
        data = {"idempotency_key": f"bench-{stamp}-{i}", "acknowledge": "yes"}
        response, wall, cpu = _timed(lambda u=url, d=data: client.post(u, d))
        assert response.status_code == 302, response.status_code
        walls.append(wall)
        cpus.append(cpu)
    return [_stats("application submit", walls, cpus)]


def main():
    settings = _setup()
    from django.contrib.auth.hashers import get_hasher

    stamp = time.strftime("%Y%m%d%H%M%S")
    print(
        f"database {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, password hasher "
        f"{get_hasher().algorithm} ({getattr(get_hasher(), 'iterations', '-')} iterations), {REPEAT} requests each",
        flush=True,
    )
    authority, anliegen, team = _world(stamp)
    rows = bench_sign_in(authority, anliegen, team, stamp) + bench_submit(authority, anliegen, stamp)
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "client_signin.json").write_text(json.dumps({"repeat": REPEAT, "rows": rows}, indent=2))
    return rows


if __name__ == "__main__":
    main()
