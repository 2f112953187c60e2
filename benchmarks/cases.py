"""The work queue at scale: a regular caseworker's queue with 1,000,000 cases, 50 teams and 500 staff
on PostgreSQL. Measures p50/p95 of the first page and of a filtered page, and the SQL queries per page,
against a baseline authority with 1,000 cases in the same database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wk_bench_cases BENCH=cases make bench
    BENCH_SCALE=0.05 ...   # 50,000 cases

Seeding is done with INSERT ... SELECT generate_series (a minute or two for the full size) and is
skipped when the data are already there.
"""

import json
import os
import statistics
import time
from pathlib import Path

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/wk_bench_cases"
TEAMS = 50
STAFF_PER_TEAM = 10
REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))


def _setup():
    setup_django(DEFAULT_URL, "BENCH_CASES_DATABASE_URL")


def setup_django(default_url, url_env):
    """Django on the benchmark's own database (``url_env`` or ``default_url`` unless DATABASE_URL is set),
    created and migrated; the test client may call it (plain http, host ``testserver``)."""
    os.environ.setdefault("DATABASE_URL", os.environ.get(url_env, default_url))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "willkommen.settings")
    os.environ.setdefault("HUEY_STORAGE", "memory")
    os.environ.setdefault("EMAIL_BACKEND", "locmem")
    os.environ.setdefault("HTTPS_ONLY", "off")  # Django's test client speaks plain http
    import django
    from django.conf import settings

    url = os.environ["DATABASE_URL"]
    if url.startswith("postgres"):
        _create_database(url)
    django.setup()
    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS.append("testserver")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _create_database(url):
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _sql_defaults(model, overrides):
    """Column list and SQL expressions for INSERT ... SELECT: overrides, else NULL / default / now()."""
    columns, expressions, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(f'"{field.column}"')
        if field.name in overrides or field.attname in overrides:
            expressions.append(overrides.get(field.name, overrides.get(field.attname)).replace("%", "%%"))
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            expressions.append("now()")
        elif field.has_default():
            value = field.get_default()
            if field.get_internal_type() == "JSONField":
                expressions.append("%s::jsonb")
                params.append(json.dumps(value))
            else:
                expressions.append("%s")
                params.append(value)
        elif field.null:
            expressions.append("NULL")
        elif field.get_internal_type() in ("CharField", "TextField", "SlugField", "EmailField"):
            expressions.append("''")
        else:
            raise RuntimeError(f"no value for {model.__name__}.{field.name}")
    return columns, expressions, params


def _insert_series(model, count, overrides, extra_params=()):
    from django.db import connection

    columns, expressions, params = _sql_defaults(model, overrides)
    sql = (
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "
        f"SELECT {', '.join(expressions)} FROM generate_series(0, %s) AS g"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *extra_params, count - 1])


def insert_persons(authority, count, **columns):
    """``count`` persons of ``authority`` in one statement (name, given name, birth date spread over 25 years;
    ``columns`` adds or overrides SQL expressions over ``g``, the row number); returns the first one's id."""
    from willkommen.clients.models import Person

    _insert_series(
        Person,
        count,
        {
            "authority": str(authority.pk),
            "family_name": "'Name' || g",
            "given_names": "'Vorname'",
            "date_of_birth": "DATE '1990-01-01' + (g % 9000)",
            "name_key": "'name' || g",
            **columns,
        },
    )
    return Person.objects.filter(authority=authority).order_by("id").values_list("id", flat=True).first()


def seed(slug, n_cases, teams=TEAMS, staff_per_team=STAFF_PER_TEAM):
    from willkommen.accounts.models import Membership, User
    from willkommen.cases.models import Case
    from willkommen.catalogue.models import Anliegen
    from willkommen.clients.models import Person
    from willkommen.core.testing import make_authority
    from willkommen.tenancy.models import Team

    authority = make_authority(slug, f"Bench {slug}", "BY")
    if Case.objects.filter(authority=authority).count() >= n_cases:
        return authority
    t0 = time.perf_counter()
    Case.objects.filter(authority=authority).delete()
    Person.objects.filter(authority=authority).delete()
    team_objs = list(Team.objects.filter(authority=authority).order_by("id"))
    if len(team_objs) < teams:
        Team.objects.bulk_create(
            [Team(authority=authority, name=f"Team {i:02d}") for i in range(len(team_objs), teams)]
        )
        team_objs = list(Team.objects.filter(authority=authority).order_by("id"))
    staff = list(User.objects.filter(authority=authority).order_by("id"))
    if len(staff) < teams * staff_per_team:
        users = [
            User(
                username=f"{slug}-cw{i:03d}",
                authority=authority,
                role="team_lead" if i % staff_per_team == 0 else "caseworker",
            )
            for i in range(len(staff), teams * staff_per_team)
        ]
        for user in users:
            user.set_unusable_password()
        User.objects.bulk_create(users)
        staff = list(User.objects.filter(authority=authority).order_by("id"))
        Membership.objects.bulk_create(
            [Membership(authority=authority, user=u, team=team_objs[i // staff_per_team]) for i, u in enumerate(staff)]
        )
    anliegen = []
    for slug_a, complexity in (("studium", "simple"), ("fachkraft", "complex"), ("familiennachzug", "complex")):
        obj, _ = Anliegen.objects.get_or_create(
            authority=authority,
            slug=slug_a,
            defaults={"legal_basis": "§ 16b AufenthG", "fee_eur": "100", "complexity": complexity},
        )
        anliegen.append(obj.pk)
    n_persons = max(n_cases // 10, 10)
    first_person = insert_persons(authority, n_persons)
    team_ids = "ARRAY[" + ",".join(str(t.pk) for t in team_objs) + "]"
    staff_ids = "ARRAY[" + ",".join(str(u.pk) for u in staff) + "]"
    anliegen_ids = "ARRAY[" + ",".join(str(a) for a in anliegen) + "]"
    statuses = "ARRAY['received','in_review','in_review','in_review','documents_requested','waiting_other_authority','decision_drafted','awaiting_approval','decided','closed']"
    _insert_series(
        Case,
        n_cases,
        {
            "authority": str(authority.pk),
            "number": f"'{slug.upper()}-' || g",
            "person": f"{first_person} + (g % {n_persons})",
            "anliegen": f"({anliegen_ids})[1 + g % 3]",
            "status": f"({statuses})[1 + (g / 7) % 10]",
            "team": f"({team_ids})[1 + g % {teams}]",
            "assignee": f"({staff_ids})[1 + (g % {teams}) * {staff_per_team} + (g / {teams}) % {staff_per_team}]",
            "received_at": "now() - ((g % 120) || ' days')::interval",
            "access_code_hash": "'x'",
            "due_on": "current_date + ((g % 121) - 60)",
            "status_message_due_on": "current_date + (g % 28)",
            "permit_expires_on": "CASE WHEN g % 97 = 0 THEN current_date + (g % 60) ELSE NULL END",
            "stay_at_stake": "(g % 101 = 0)",
        },
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"seeded {slug}: {n_cases:,} cases, {n_persons:,} persons in {time.perf_counter() - t0:.1f}s", flush=True)
    return authority


def measure(authority, path, repeat=REPEAT):
    from django.test import Client

    from willkommen.accounts.models import User
    from willkommen.core.testing import verified_login

    user = User.objects.filter(authority=authority, role="caseworker").order_by("id").first()
    return timed_get(verified_login(Client(), user), f"/a/{authority.slug}{path}", repeat)


def timed_get(client, url, repeat=REPEAT):
    """p50/p95 of ``repeat`` GETs of ``url`` after a warm-up, and the SQL queries of one more."""
    from django.db import connection

    warm = client.get(url)
    assert warm.status_code == 200, (url, warm.status_code)  # warm up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
        "queries": len(executed),
    }


def main():
    _setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        print("cases benchmark needs PostgreSQL (DATABASE_URL=postgres://...); skipped")
        return
    scale = float(os.environ.get("BENCH_SCALE", "1.0"))
    n_big = max(int(1_000_000 * scale), 1000)
    big = seed("bench-big", n_big)
    small = seed("bench-small", 1000, teams=5)
    pages = {"first page": "/desk/cases/", "filtered page": "/desk/cases/?scope=team&status=in_review&urgency=2"}
    results = {"cases": n_big, "baseline_cases": 1000, "teams": TEAMS, "staff": TEAMS * STAFF_PER_TEAM, "pages": {}}
    for label, path in pages.items():
        large = measure(big, path)
        base = measure(small, path)
        ratio = round(large["p95_ms"] / base["p95_ms"], 2) if base["p95_ms"] else None
        results["pages"][label] = {"large": large, "baseline": base, "p95_ratio": ratio}
        print(
            f"{label:14s} {n_big:>9,} cases: p50 {large['p50_ms']:7.1f} ms  p95 {large['p95_ms']:7.1f} ms  "
            f"{large['queries']} queries | baseline 1,000: p95 {base['p95_ms']:6.1f} ms {base['queries']} queries "
            f"| ratio {ratio}",
            flush=True,
        )
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "cases.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
