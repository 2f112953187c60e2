"""The nightly renewal job (appointments/renewals.py) over many persons with residence histories on
PostgreSQL: 1,000,000 persons (BENCH_SCALE 1.0), each with two entries (an expired title and the current
one, its end spread evenly over the next five years), one rule (§ 16b titles, 12 weeks ahead). Measures, as
a ratio to a bare scan of the same table (every entry of the authority read from the heap):

- the candidate query alone (titles ending within 12 weeks, the person's newest, no open case, not invited);
- two nights of the job in the steady state (``BENCH_RENEWALS_BACKLOG=seeded``, the default): the earlier
  nights' invitations are there (seeded in SQL: every title that entered the 12-week window before tonight
  was invited on that day, followed up 21 days later and listed for the team 21 days after that), so a
  night invites one day's share of new titles, follows up one day's share and lists one day's share –
  what the job does every night once it runs;
- or (``BENCH_RENEWALS_BACKLOG=send``) the first night after switching the rule on (every title of the
  12-week backlog invited: about 46,000 at 1,000,000 persons, some 40 minutes on the shared machine) and
  the next night;

and the SQL queries of each. The job queue runs in-process, so each message is also delivered (to the
local mail backend) inside the measured time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wk_bench_renewals BENCH=renewals make bench
    BENCH_SCALE=0.1 ...   # 100,000 persons, 200,000 entries

Seeding uses INSERT ... SELECT generate_series (1,000,000 persons and 2,000,000 entries in about a minute)
and is skipped when the data are there; invitations and messages of earlier runs are removed first, so
every run measures the same nights.
"""

import datetime as dt
import json
import os
import time
from pathlib import Path

from benchmarks.cases import _insert_series, insert_persons, setup_django

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/wk_bench_renewals"
SPREAD_DAYS = 5 * 365


def seed(slug, n_persons):
    from django.db import connection

    from willkommen.catalogue.models import Anliegen
    from willkommen.clients.models import Person, ResidenceEntry
    from willkommen.core.testing import make_authority

    authority = make_authority(slug, f"Bench {slug}", "BY")
    anliegen, _ = Anliegen.objects.get_or_create(
        authority=authority,
        slug="studium",
        defaults={"legal_basis": "§ 16b AufenthG", "fee_eur": "93", "complexity": "simple", "residence_kind": "title"},
    )
    if Person.objects.filter(authority=authority).count() >= n_persons:
        return authority, anliegen
    t0 = time.perf_counter()
    Person.objects.filter(authority=authority).delete()
    first = insert_persons(
        authority,
        n_persons,
        email="'p' || g || '@example.org'",
        preferred_language="(ARRAY['de','en','ar','tr','uk'])[1 + g % 5]",
    )
    common = {
        "authority": str(authority.pk),
        "person": f"{first} + g",
        "kind": "'title'",
        "legal_basis": "'§ 16b AufenthG'",
        "source": "'staff'",
        "verified": "true",
    }
    _insert_series(
        ResidenceEntry,
        n_persons,
        {**common, "valid_from": "current_date - 1100", "valid_to": "current_date - 366"},
    )
    _insert_series(
        ResidenceEntry,
        n_persons,
        {**common, "valid_from": "current_date - 365", "valid_to": f"current_date + (g % {SPREAD_DAYS})"},
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  seeded {slug}: {n_persons:,} persons, {2 * n_persons:,} entries in {time.perf_counter() - t0:.1f} s")
    return authority, anliegen


def timed(fn):
    from django.db import connection

    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    t0 = time.perf_counter()
    with connection.execute_wrapper(count):
        result = fn()
    return round((time.perf_counter() - t0) * 1000, 1), len(executed), result


def bare_scan(authority):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), max(legal_basis), max(valid_to) FROM clients_residenceentry WHERE authority_id = %s",
            [authority.pk],
        )
        return cursor.fetchone()[0]


def seed_earlier_nights(rule, today):
    """The invitations earlier nights sent, in one INSERT ... SELECT: each title whose end lies within the
    lead time as of yesterday was invited the day it entered the window, followed up ``follow_up_days``
    later and listed for the team as many days after that (states as the job would have left them)."""
    from django.db import connection

    lead, days = rule.lead_weeks * 7, rule.follow_up_days
    sql = """
        INSERT INTO appointments_renewal (authority_id, entry_id, person_id, rule_id, anliegen_id, expires_on,
            by_appointment, token_hash, state, channel, invited_on, followed_up_on, unanswered_on)
        SELECT e.authority_id, e.id, e.person_id, %(rule)s, %(anliegen)s, e.valid_to, false, md5('bench' || e.id),
            CASE WHEN e.valid_to - %(lead)s + 2 * %(days)s <= %(yesterday)s THEN 'unanswered'
                 WHEN e.valid_to - %(lead)s + %(days)s <= %(yesterday)s THEN 'followed_up' ELSE 'invited' END,
            'email', e.valid_to - %(lead)s,
            CASE WHEN e.valid_to - %(lead)s + %(days)s <= %(yesterday)s THEN e.valid_to - %(lead)s + %(days)s END,
            CASE WHEN e.valid_to - %(lead)s + 2 * %(days)s <= %(yesterday)s
                 THEN e.valid_to - %(lead)s + 2 * %(days)s END
        FROM clients_residenceentry e
        WHERE e.authority_id = %(authority)s AND e.valid_to >= %(yesterday)s AND e.valid_to <= %(yesterday)s + %(lead)s
    """
    yesterday = today - dt.timedelta(days=1)
    params = {
        "rule": rule.pk,
        "anliegen": rule.anliegen_id,
        "lead": lead,
        "days": days,
        "yesterday": yesterday,
        "authority": rule.authority_id,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def main():
    setup_django(DEFAULT_URL, "BENCH_RENEWALS_DATABASE_URL")
    import logging

    logging.getLogger("huey").setLevel(logging.WARNING)  # one line per delivered message otherwise

    from django.db import connection
    from django.utils import timezone

    from willkommen.appointments import renewals
    from willkommen.appointments.models import Invitation, Renewal, RenewalRule
    from willkommen.messaging.models import Message

    if connection.vendor != "postgresql":
        print("renewals benchmark needs PostgreSQL (DATABASE_URL=postgres://...); skipped")
        return
    scale = float(os.environ.get("BENCH_SCALE", "1.0"))
    n_persons = max(int(1_000_000 * scale), 1000)
    authority, anliegen = seed("bench-renewals", n_persons)
    rule, _ = RenewalRule.objects.get_or_create(
        authority=authority, anliegen=anliegen, title_kind="title", legal_basis_contains="16b"
    )
    Renewal.objects.filter(authority=authority).delete()
    Invitation.objects.filter(authority=authority).delete()
    Message.objects.filter(authority=authority).delete()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    today = timezone.localdate()

    mode = os.environ.get("BENCH_RENEWALS_BACKLOG", "seeded")
    earlier = 0
    if mode != "send":
        t0 = time.perf_counter()
        earlier = seed_earlier_nights(rule, today)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE appointments_renewal")
        print(f"  earlier nights' invitations seeded: {earlier:,} in {time.perf_counter() - t0:.1f} s", flush=True)
    bare_scan(authority)  # warm the cache
    scans = [timed(lambda: bare_scan(authority)) for _ in range(5)]
    scan_ms = sorted(s[0] for s in scans)[2]
    entries = scans[0][2]
    candidates = [
        timed(lambda: len(list(renewals.candidates(rule, today).values_list("pk", flat=True)))) for _ in range(5)
    ]
    cand_ms, cand_queries, due = sorted(candidates)[2]
    load_before = os.getloadavg()
    first_ms, first_queries, first = timed(lambda: renewals.run(today, authority=authority))
    next_ms, next_queries, nxt = timed(lambda: renewals.run(today + dt.timedelta(days=1), authority=authority))
    results = {
        "vendor": connection.vendor,
        "mode": mode,
        "earlier_invitations_seeded": earlier,
        "load_before": load_before,
        "load": os.getloadavg(),
        "persons": n_persons,
        "entries": entries,
        "bare_scan_ms": scan_ms,
        "candidate_query": {
            "ms": cand_ms,
            "queries": cand_queries,
            "titles_due": due,
            "ratio": round(cand_ms / scan_ms, 2),
        },
        "first_night": {
            "ms": first_ms,
            "queries": first_queries,
            "counts": first,
            "ms_per_invitation": round(first_ms / max(first["invited"], 1), 2),
            "ratio": round(first_ms / scan_ms, 2),
        },
        "next_night": {"ms": next_ms, "queries": next_queries, "counts": nxt, "ratio": round(next_ms / scan_ms, 2)},
    }
    print(f"  {n_persons:,} persons, {entries:,} entries; bare scan of the entries {scan_ms} ms")
    print(f"  candidate query: {cand_ms} ms ({results['candidate_query']['ratio']}× the scan), {due:,} titles due")
    first_label = "first night (the whole backlog)" if mode == "send" else "a night in the steady state"
    print(
        f"  {first_label}: {first_ms} ms, {first_queries} queries, {first} "
        f"({results['first_night']['ms_per_invitation']} ms per invitation; {results['first_night']['ratio']}× the scan)"
    )
    print(f"  next night: {next_ms} ms, {next_queries} queries, {nxt} ({results['next_night']['ratio']}× the scan)")
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "renewals.json").write_text(json.dumps(results, indent=1, default=str))
