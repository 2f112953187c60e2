"""CPU per page of the capacity mix, in process: where the server's time goes (issue 23).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wk_bench_page_cpu make bench BENCH=page_cpu
    PAGE_CPU_PAGES=case,queue PAGE_CPU_REPEAT=40 ...     # some pages, more requests each
    PAGE_CPU_PROFILE=case ...                             # and cProfile's top functions of one page

The soak's seed (benchmarks/_soak_seed.py: one authority, 40 persons with an open case and a document each, an
offer over four weeks, a caseworker, a head of office, a ServicePoint member), then each page the capacity mix
visits, requested through Django's test client with the whole middleware stack, DEBUG off, on the database of
``DATABASE_URL`` (PostgreSQL: ``make bench`` creates it). Per page: the median and first quartile of the thread
CPU time of ``PAGE_CPU_REPEAT`` requests (default 30, after three not counted) and the SQL statements of one.
The baseline in the same run is the cheapest page there is, the portal's home page (one statement): every other
page is printed as a multiple of it. The machine's speed drifts (the same page measured 45 and 66 ms ten minutes
apart on a quiet machine): compare pages and versions within one run. Results: benchmarks/results/page_cpu.json.
"""

import cProfile
import datetime as dt
import io
import json
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/wk_bench_page_cpu"
REPEAT = int(os.environ.get("PAGE_CPU_REPEAT", "30"))
SLUG = os.environ.get("PAGE_CPU_SLUG", "pagecpu")


def _setup():
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "willkommen.settings")
    os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="wk-bench-page-cpu-"))
    os.environ.update(
        DEBUG="false",
        HTTPS_ONLY="off",
        HUEY_STORAGE="memory",
        EMAIL_BACKEND="locmem",
        DB_CONN_MAX_AGE="60",
        PUBLIC_RATE_LIMIT="100000000",
        APPOINTMENTS_READ_RATE_LIMIT="100000000",
    )
    os.environ.pop("WILLKOMMEN_TESTING", None)
    url = os.environ["DATABASE_URL"]
    if url.startswith("postgres"):
        from benchmarks.client_signin import _create_database

        _create_database(url)
    import django
    from django.conf import settings

    django.setup()
    settings.ALLOWED_HOSTS = ["*"]
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return settings


def pages(case_ids, person_ids):
    """name -> (staff role or None, paths): the pages of the capacity mix (benchmarks/_soak_traffic.py)."""
    p = f"/a/{SLUG}"
    today = dt.date.today()
    return {
        "home": (None, [f"{p}/"]),
        "checklist": (None, [f"{p}/checklist/"]),
        "questions": (None, [f"{p}/checklist/study/"]),
        "apply": (None, [f"{p}/apply/"]),
        "checklist_pdf": (None, [f"{p}/checklist/study/checklist.pdf?married=no&blocked_account=yes&minor=no"]),
        "days": (
            None,
            [f"{p}/api/v1/appointments/days/?anliegen=study&date_from={today}&date_to={today + dt.timedelta(days=28)}"],
        ),
        "status": (None, [f"{p}/status/"]),
        "staff_queue": ("caseworker", [f"{p}/desk/cases/"]),
        "staff_case": ("caseworker", [f"{p}/desk/cases/{pk}/" for pk in case_ids]),
        "staff_efile_search": ("head", [f"{p}/desk/efile/?q=Reisepass"]),
        "staff_messages": ("caseworker", [f"{p}/desk/messaging/"]),
        "staff_messages_person": ("caseworker", [f"{p}/desk/messaging/person/{pk}/" for pk in person_ids]),
        "staff_servicepoint": ("servicepoint", [f"{p}/desk/servicepoint/"]),
        "staff_reports_cases": ("head", [f"{p}/desk/reports/cases/"]),
        "staff_reports_servicepoint": ("head", [f"{p}/desk/reports/servicepoint/"]),
    }


def measure(client, paths, repeat, profile=False):
    from django.db import connection

    for path in paths[:3]:
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code}")
    statements = []

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    # counted where they are sent (Django empties its query log when a request starts)
    with connection.execute_wrapper(count):
        client.get(paths[0])
    profiler = cProfile.Profile() if profile else None
    times = []
    if profiler:
        profiler.enable()
    for i in range(repeat):
        start = time.thread_time()
        client.get(paths[i % len(paths)])
        times.append((time.thread_time() - start) * 1000)
    if profiler:
        profiler.disable()
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(40)
        print(text.getvalue()[:10000])
    times.sort()
    return {
        "cpu_ms_median": round(times[len(times) // 2], 2),
        "cpu_ms_q1": round(times[len(times) // 4], 2),
        "statements": len(statements),
    }


def main():
    settings = _setup()
    from django.test import Client

    from benchmarks import _soak_seed
    from willkommen.accounts.models import User
    from willkommen.cases.models import Case
    from willkommen.clients.models import Person
    from willkommen.core.testing import verified_login
    from willkommen.tenancy.models import Authority

    if not Authority.objects.filter(slug=SLUG).exists():
        _soak_seed.seed(SLUG)
    authority = Authority.objects.get(slug=SLUG)
    users = {
        "caseworker": User.objects.get(username=f"{SLUG}-cw"),
        "head": User.objects.get(username=f"{SLUG}-head"),
        "servicepoint": User.objects.get(username=f"{SLUG}-sp"),
    }
    case_ids = list(Case.objects.filter(authority=authority).order_by("pk").values_list("pk", flat=True)[:40])
    person_ids = list(Person.objects.filter(authority=authority).order_by("pk").values_list("pk", flat=True)[:40])
    only = [n for n in os.environ.get("PAGE_CPU_PAGES", "").split(",") if n]
    profile = os.environ.get("PAGE_CPU_PROFILE", "")
    rows = {}
    print(f"database {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, {REPEAT} requests per page")
    print("| page | CPU median ms | CPU q1 ms | statements | × home |\n|---|---|---|---|---|", flush=True)
    for name, (role, paths) in pages(case_ids, person_ids).items():
        if only and name not in only and name != "home":
            continue
        client = Client(HTTP_ACCEPT_LANGUAGE="de")
        if role:
            verified_login(client, users[role])
        rows[name] = measure(client, paths, REPEAT, profile=name == profile)
        ratio = rows[name]["cpu_ms_median"] / max(rows["home"]["cpu_ms_median"], 0.01)
        row = rows[name]
        print(
            f"| {name} | {row['cpu_ms_median']} | {row['cpu_ms_q1']} | {row['statements']} | {ratio:.1f} |", flush=True
        )
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    load = " ".join(open("/proc/loadavg").read().split()[:3]) if sys.platform.startswith("linux") else ""
    (out / "page_cpu.json").write_text(json.dumps({"repeat": REPEAT, "load": load, "pages": rows}, indent=2))
    return rows


if __name__ == "__main__":
    main()
