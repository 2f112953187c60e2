"""The casework figures page (``/desk/reports/cases/``) over one year of a large authority on PostgreSQL:
200,000 cases (BENCH_SCALE 1.0) received over 15 months, 1,000,000 timeline entries (five per case), a final
decision for every decided case (a third of them with four eyes), one automatic message per case and a
request for documents for every fifth. Measures p50/p95 of the page for the last 365 days, signed in as
the head of office (all cases), and its SQL queries, against a small authority (1,000 cases, the same mix)
in the same database; the ratio is the point.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wk_bench_figures BENCH=figures make bench
    BENCH_SCALE=0.1 ...   # 20,000 cases, 100,000 timeline entries

With ``BENCH_EXPLAIN=1`` the slowest statements of one page are printed with EXPLAIN ANALYZE.
Seeding uses INSERT ... SELECT generate_series and is skipped when the data are there.
"""

import datetime as dt
import json
import os
import time
from pathlib import Path

from benchmarks.cases import _insert_series, insert_persons, setup_django, timed_get

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/wk_bench_figures"
TEAMS = 20
REPEAT = int(os.environ.get("BENCH_REPEAT", "20"))
# g / 10 % 20 picks the state: 14 of 20 decided, 1 closed, 1 transferred, 1 withdrawn, 3 open.
STATES = (
    "ARRAY['decided','decided','decided','decided','decided','decided','decided','decided','decided','decided',"
    "'decided','decided','decided','decided','closed','transferred','withdrawn','in_review',"
    "'documents_requested','received']"
)


def _case_overrides(authority, first_person, n_persons, team_ids, staff_ids, anliegen_ids, slug):
    received = "(now() - ((g % 455) || ' days')::interval - ((g % 997) || ' minutes')::interval)"
    state = f"({STATES})[1 + (g / 10) % 20]"
    decided = f"CASE WHEN {state} = 'decided' THEN LEAST({received} + ((3 + g % 80) || ' days')::interval, now()) END"
    return {
        "authority": str(authority.pk),
        "number": f"'{slug.upper()}-' || g",
        "person": f"{first_person} + (g % {n_persons})",
        "anliegen": f"({anliegen_ids})[1 + g % 3]",
        "status": state,
        "source": "CASE WHEN g % 50 = 0 THEN 'transfer' ELSE 'online' END",
        "team": f"({team_ids})[1 + g % {len(team_ids.split(','))}]",
        "assignee": f"({staff_ids})[1 + g % {len(staff_ids.split(','))}]",
        "received_at": received,
        "access_code_hash": "'x'",
        "decided_at": decided,
        "due_on": f"({received})::date + CASE WHEN g % 3 = 0 THEN 14 ELSE 90 END",
        "interim_due_on": f"CASE WHEN {state} IN ('in_review','documents_requested','received') "
        f"THEN ({received})::date + 30 END",
        "status_message_due_on": f"({received})::date + 28",
        "clock_stopped_on": f"CASE WHEN {state} = 'documents_requested' THEN ({received})::date + 5 END",
        "paused_days": "CASE WHEN g % 4 = 0 THEN g % 20 ELSE 0 END",
    }


def _seed_related(authority, staff):
    """Five timeline entries per case, a final decision per decided case, one automatic message per case,
    a request for documents for every fifth (INSERT ... SELECT over the cases)."""
    from django.db import connection

    a = authority.pk
    first_staff, second_staff = staff[0], staff[1]
    statements = [
        # received, in review, a note, a message, and the end (transition to the final state, or a note)
        f"""INSERT INTO cases_timelineentry (authority_id, case_id, at, kind, actor_label, from_status,
            to_status, text, data)
            SELECT c.authority_id, c.id, c.received_at + (k || ' hours')::interval,
              CASE k WHEN 0 THEN 'received' WHEN 1 THEN 'transition' WHEN 2 THEN 'note' WHEN 3 THEN 'message'
                ELSE CASE WHEN c.status IN ('closed','transferred','withdrawn','decided') THEN 'transition'
                ELSE 'note' END END,
              '', CASE WHEN k = 1 THEN 'received' WHEN k = 4 THEN 'in_review' ELSE '' END,
              CASE WHEN k = 1 THEN 'in_review' WHEN k = 4 AND c.status IN ('closed','transferred','withdrawn',
                'decided') THEN c.status ELSE '' END, 'Eintrag', '{{}}'::jsonb
            FROM cases_case c CROSS JOIN generate_series(0, 4) AS k WHERE c.authority_id = {a}""",
        f"""INSERT INTO cases_decision (authority_id, case_id, outcome, legal_basis, shorter_validity_reason,
            conditions, reasoning, plain_explanation, ends_stay, needs_approval, approval_reasons, state,
            drafted_by_id, drafted_at, approved_by_id, approved_at, review_comment)
            SELECT c.authority_id, c.id, (ARRAY['grant','grant','grant','partial','refuse'])[1 + c.id % 5],
              '§ 16b AufenthG', '', '', 'Begründung', '', false, c.id % 3 = 0, '[]'::jsonb, 'final',
              {first_staff}, c.decided_at - interval '2 days',
              CASE WHEN c.id % 3 = 0 THEN {second_staff} END,
              CASE WHEN c.id % 3 = 0 THEN c.decided_at - interval '1 day' END, ''
            FROM cases_case c WHERE c.authority_id = {a} AND c.decided_at IS NOT NULL""",
        f"""INSERT INTO cases_automessage (authority_id, case_id, kind, due_on, sent_at, language, channel)
            SELECT c.authority_id, c.id, CASE WHEN c.id % 2 = 0 THEN 'interim' ELSE 'status' END,
              c.received_at::date + 28, c.received_at + ((27 + c.id % 4) || ' days')::interval, 'de', 'email'
            FROM cases_case c WHERE c.authority_id = {a}""",
        f"""INSERT INTO cases_documentrequest (authority_id, case_id, items, note, requested_at, deadline,
            fulfilled_at, requested_by_id)
            SELECT c.authority_id, c.id, '[]'::jsonb, '', c.received_at + interval '3 days',
              c.received_at::date + 17, NULL, {first_staff}
            FROM cases_case c WHERE c.authority_id = {a} AND c.id % 5 = 0""",
    ]
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def seed(slug, n_cases):
    from django.db import connection

    from benchmarks.cases import seed as seed_queue
    from willkommen.accounts.models import User
    from willkommen.cases.models import Case, TimelineEntry
    from willkommen.clients.models import Person
    from willkommen.core.testing import make_authority, make_staff
    from willkommen.tenancy.models import Team

    authority = make_authority(slug, f"Bench {slug}", "BY")
    if TimelineEntry.objects.filter(authority=authority).count() >= 5 * n_cases:
        return authority
    t0 = time.perf_counter()
    # teams, staff and Anliegen as the queue benchmark makes them (with a thousand cases of its own)
    seed_queue(slug, 1000, teams=TEAMS, staff_per_team=5)
    Case.objects.filter(authority=authority).delete()
    Person.objects.filter(authority=authority).delete()
    if not User.objects.filter(authority=authority, role="head_of_office").exists():
        make_staff(authority, f"{slug}-head", role="head_of_office")
    n_persons = max(n_cases // 2, 10)
    first_person = insert_persons(authority, n_persons)
    teams = list(Team.objects.filter(authority=authority).order_by("id").values_list("id", flat=True))
    staff = list(
        User.objects.filter(authority=authority, role="caseworker").order_by("id").values_list("id", flat=True)
    )
    from willkommen.catalogue.models import Anliegen

    anliegen = list(Anliegen.objects.filter(authority=authority).order_by("id").values_list("id", flat=True))[:3]
    arr = lambda ids: "ARRAY[" + ",".join(str(i) for i in ids) + "]"  # noqa: E731
    _insert_series(
        Case, n_cases, _case_overrides(authority, first_person, n_persons, arr(teams), arr(staff), arr(anliegen), slug)
    )
    _seed_related(authority, staff)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"seeded {slug}: {n_cases:,} cases, {5 * n_cases:,} timeline entries in {time.perf_counter() - t0:.1f}s",
        flush=True,
    )
    return authority


def _path(authority):
    today = dt.date.today()
    return f"/a/{authority.slug}/desk/reports/cases/?start={today - dt.timedelta(days=364)}&end={today}"


def measure(authority, repeat=REPEAT):
    from django.test import Client

    from willkommen.accounts.models import User
    from willkommen.core.testing import verified_login

    head = User.objects.filter(authority=authority, role="head_of_office").order_by("id").first()
    return timed_get(verified_login(Client(), head), _path(authority), repeat)


def explain(authority, top=6):
    """EXPLAIN ANALYZE of the slowest statements of one page (BENCH_EXPLAIN=1)."""
    from django.db import connection
    from django.test import Client

    from willkommen.accounts.models import User
    from willkommen.core.testing import verified_login

    head = User.objects.filter(authority=authority, role="head_of_office").order_by("id").first()
    client = verified_login(Client(), head)
    timed = []

    def wrap(execute, sql, params, many, context):
        t0 = time.perf_counter()
        result = execute(sql, params, many, context)
        timed.append(((time.perf_counter() - t0) * 1000, sql, params))
        return result

    with connection.execute_wrapper(wrap):
        client.get(_path(authority))
    timed.sort(key=lambda t: -t[0])
    for ms, sql, params in timed[:top]:
        print(f"--- {ms:.1f} ms: {sql[:300]}")
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            print("\n".join(row[0] for row in cursor.fetchall()))


def main():
    setup_django(DEFAULT_URL, "BENCH_FIGURES_DATABASE_URL")
    from django.db import connection

    if connection.vendor != "postgresql":
        print("figures benchmark needs PostgreSQL (DATABASE_URL=postgres://...); skipped")
        return
    scale = float(os.environ.get("BENCH_SCALE", "1.0"))
    n_big = max(int(200_000 * scale), 1000)
    big = seed("fig-big", n_big)
    small = seed("fig-small", 1000)
    if os.environ.get("BENCH_EXPLAIN"):
        explain(big)
    large, base = measure(big), measure(small)
    ratio = round(large["p95_ms"] / base["p95_ms"], 2) if base["p95_ms"] else None
    print(
        f"casework figures, 365 days, {n_big:,} cases / {5 * n_big:,} timeline entries: p50 {large['p50_ms']:.1f} ms "
        f"p95 {large['p95_ms']:.1f} ms, {large['queries']} queries | baseline 1,000 cases: p95 {base['p95_ms']:.1f} ms, "
        f"{base['queries']} queries | ratio {ratio}",
        flush=True,
    )
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    result = {"cases": n_big, "timeline_entries": 5 * n_big, "large": large, "baseline": base, "p95_ratio": ratio}
    (out / "figures.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
