"""Measurements inside one version of Willkommen (run by ``benchmarks/appointments.py`` in a subprocess whose
``PYTHONPATH`` is that version's tree, so the same probe measures the code before and after a change).

Only interfaces both versions have are used: the HTTP API and pages (through Django's WSGI handler or test
client, in this process), the models and the test helpers. Every command prints one JSON object.

    python benchmarks/_release_probe.py prepare      # migrate, seed the rush authority (+ the 1,000,000 cases)
    python benchmarks/_release_probe.py inproc       # server CPU per booking POST, free-slot answers, queue, PDF
    python benchmarks/_release_probe.py proofs N     # N solved proof-of-work payloads for the rush clients
    python benchmarks/_release_probe.py after-rush   # what the rush left in the database, mail latency
"""

import io
import json
import os
import sys
import time

RUSH = "rush"
LOCATIONS = 10
PLACES = int(os.environ.get("BENCH_PLACES", "200"))


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "willkommen.settings")
    import django

    django.setup()
    from django.conf import settings

    for host in ("testserver", "127.0.0.1"):
        if host not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS.append(host)


def _pct(values, p):
    values = sorted(values)
    return round(values[min(len(values) - 1, int(p / 100 * len(values)))], 2) if values else None


# --- seeding ------------------------------------------------------------------------------------------


def _quiet_signals():
    from django.db.models.signals import post_delete, post_save

    from willkommen.appointments import signals
    from willkommen.appointments.models import Offer
    from willkommen.tenancy.models import Closure, OpeningHours

    for signal in (post_save, post_delete):
        signal.disconnect(signals.hours_changed, sender=OpeningHours)
        signal.disconnect(signals.hours_changed, sender=Closure)
    post_save.disconnect(signals.offer_changed, sender=Offer)


def seed_rush():
    """Authority "rush": one Anliegen at 10 locations, 90 days of slots (2 places each). Location 1 keeps exactly
    PLACES public places after tomorrow (the rush); location 2 serves the in-process booking measurements."""
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from willkommen.appointments.generation import generate_for_offer
    from willkommen.appointments.models import Booking, Offer, Slot, WaitingWindow
    from willkommen.catalogue.models import Anliegen
    from willkommen.catalogue.testing import make_anliegen
    from willkommen.core.testing import make_authority, make_location
    from willkommen.messaging.models import Message

    _quiet_signals()
    authority = make_authority(RUSH, "Stadt Rush", "BE")
    Message.objects.filter(authority=authority).delete()
    for model in (Booking, WaitingWindow, Slot, Offer):
        model.objects.filter(authority=authority).delete()
    if _has_table("appointments_freeday"):
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM appointments_freeday WHERE authority_id = %s", [authority.pk])
    anliegen = Anliegen.objects.filter(authority=authority, slug="study").first() or make_anliegen(authority)
    locations = list(authority.location_set.order_by("pk"))
    while len(locations) < LOCATIONS:
        locations.append(make_location(authority, f"Standort {len(locations) + 1}", cap=1000))
    today = timezone.localdate()
    offers = [
        Offer.objects.create(authority=authority, anliegen=anliegen, location=loc, workstations=2) for loc in locations
    ]
    for offer in offers:
        generate_for_offer(offer, today=today, horizon=90)
    target = offers[0]
    slots = list(
        Slot.objects.filter(
            authority=authority, location=target.location, starts_at__gt=timezone.now() + dt.timedelta(days=1)
        ).order_by("starts_at")
    )
    keep = slots[: (PLACES + 1) // 2]
    Slot.objects.filter(location=target.location).exclude(pk__in=[s.pk for s in keep]).update(withdrawn=True)
    if PLACES % 2:
        Slot.objects.filter(pk=keep[-1].pk).update(public_places=1)
    _refresh_summary(target, today)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"anliegen": anliegen.slug, "slot_ids": [s.pk for s in keep], "places": PLACES}


def _has_table(name):
    from django.db import connection

    return name in connection.introspection.table_names()


def _refresh_summary(offer, today):
    """The after-version keeps a free-places summary; the rush location's slots were changed behind its back."""
    import datetime as dt

    try:
        from willkommen.appointments import summary
    except ImportError:
        return
    summary.refresh_offer(offer, today, today + dt.timedelta(days=91))


def seed_queue():
    """The work queue: 1,000,000 cases (benchmarks/cases.py of this version; skipped when already there)."""
    from benchmarks import cases

    scale = float(os.environ.get("BENCH_QUEUE_SCALE", "1.0"))
    big = cases.seed("bench-big", max(int(1_000_000 * scale), 1000))
    small = cases.seed("bench-small", 1000, teams=5)
    return {"queue_cases": max(int(1_000_000 * scale), 1000), "big": big.slug, "small": small.slug}


def prepare():
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    result = seed_rush()
    if os.environ.get("BENCH_QUEUE", "1") == "1":
        result.update(seed_queue())
    with connection.cursor() as cursor:  # what autovacuum does after a bulk load (visibility map, statistics)
        cursor.execute("VACUUM ANALYZE")
    return result


# --- in process: the WSGI handler, as gunicorn calls it ----------------------------------------------------


class Server:
    """Django's WSGI handler called directly (what gunicorn does per request), timing the thread's CPU."""

    def __init__(self):
        from django.core.handlers.wsgi import WSGIHandler

        self.handler = WSGIHandler()

    def call(self, method, path, body=b"", query="", headers=None, address="10.1.0.1"):
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1:8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http",
            "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": "application/json",
            "REMOTE_ADDR": address,
            "SCRIPT_NAME": "",
            **(headers or {}),
        }
        status = []
        cpu, wall = time.thread_time(), time.perf_counter()
        response = self.handler(environ, lambda s, h, exc=None: status.append(s))
        content = b"".join(response)
        response.close()
        return (
            int(status[0].split()[0]),
            content,
            (time.thread_time() - cpu) * 1000,
            (time.perf_counter() - wall) * 1000,
        )


class Statements:
    """Counts the SQL statements sent through Django's connection (BEGIN and COMMIT are not among them)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _counted(fn):
    from django.db import connection

    counter = Statements()
    with connection.execute_wrapper(counter):
        result = fn()
    return result, counter.count


def booking_cpu(server, info, proofs):
    """Server CPU (thread time) and statements of booking POSTs that win (201) and lose (409), at location 2."""
    import datetime as dt

    from django.utils import timezone

    from willkommen.appointments.models import Slot
    from willkommen.tenancy.models import Location

    location = Location.objects.filter(authority__slug=RUSH).order_by("pk")[1]
    slots = list(
        Slot.objects.filter(location=location, withdrawn=False, starts_at__gt=timezone.now() + dt.timedelta(days=2))
        .order_by("starts_at")
        .values_list("pk", flat=True)[:60]
    )
    results = {201: [], 409: []}
    n = 0

    def post(slot_id, kind):
        nonlocal n
        n += 1
        body = {
            "slot": slot_id,
            "anliegen": info["anliegen"],
            "family_name": f"Probe{kind}{n}",
            "given_names": "Client",
            "date_of_birth": "1990-01-01",
            "email": f"probe{kind}{n}@example.org",
            "language": "de",
            "altcha": proofs.pop(),
        }
        path = f"/a/{RUSH}/api/v1/appointments/bookings/"
        (status, _c, cpu, wall), statements = _counted(
            lambda: server.call("POST", path, json.dumps(body).encode(), address=f"10.2.{n // 250}.{n % 250}")
        )
        return status, cpu, wall, statements

    for slot_id in slots[:5]:  # warm-up (not counted): imports, caches, prepared statements
        post(slot_id, "w")
    for slot_id in slots[5:]:
        for _ in range(2):
            status, cpu, wall, statements = post(slot_id, "win")
            results.setdefault(status, []).append((cpu, wall, statements))
        status, cpu, wall, statements = post(slot_id, "lose")
        results.setdefault(status, []).append((cpu, wall, statements))
    out = {}
    for status, rows in results.items():
        if rows:
            out[str(status)] = {
                "n": len(rows),
                "cpu_ms_median": _pct([r[0] for r in rows], 50),
                "cpu_ms_p95": _pct([r[0] for r in rows], 95),
                "wall_ms_median": _pct([r[1] for r in rows], 50),
                "statements": sorted({r[2] for r in rows}),
            }
    return out


def free_answers(server, info, repeat=20):
    """p95 of GET slots/ and days/ over 90 days at all 10 locations (cold: no answer cache; and as clients see
    it with the cache of this version, if any), with bytes and statements."""
    import datetime as dt

    from django.conf import settings
    from django.utils import timezone

    today = timezone.localdate()
    query = f"anliegen={info['anliegen']}&date_from={today}&date_to={today + dt.timedelta(days=90)}"
    out = {}
    for kind in ("slots", "days"):
        path = f"/a/{RUSH}/api/v1/appointments/{kind}/"
        for label, seconds in (("cold", 0), ("cached", None)):
            if seconds is not None:
                settings.APPOINTMENTS_FREE_CACHE_SECONDS = seconds
            elif hasattr(settings, "APPOINTMENTS_FREE_CACHE_SECONDS"):
                del settings.APPOINTMENTS_FREE_CACHE_SECONDS
            server.call("GET", path, query=query)
            walls, cpus, statements, size = [], [], set(), 0
            for i in range(repeat):
                (status, content, cpu, wall), count = _counted(
                    lambda path=path, i=i: server.call("GET", path, query=query, address=f"10.3.0.{i + 1}")
                )
                assert status == 200, (status, content[:300])
                walls.append(wall)
                cpus.append(cpu)
                statements.add(count)
                size = len(content)
            out[f"{kind}_{label}"] = {
                "p50_ms": _pct(walls, 50),
                "p95_ms": _pct(walls, 95),
                "cpu_ms_median": _pct(cpus, 50),
                "bytes": size,
                "statements": sorted(statements),
            }
    return out


def queue(repeat=30):
    """The first page of the work queue as a regular caseworker (benchmarks/cases.py's measure)."""
    from benchmarks import cases
    from willkommen.tenancy.models import Authority

    big = Authority.objects.get(slug="bench-big")
    small = Authority.objects.get(slug="bench-small")
    return {
        "first_page": cases.measure(big, "/desk/cases/", repeat),
        "first_page_1000": cases.measure(small, "/desk/cases/", repeat),
        "filtered": cases.measure(big, "/desk/cases/?scope=team&status=in_review&urgency=2", repeat),
    }


def receipt_pdf(repeat=20):
    """The bilingual receipt (German and Arabic) as PDF: p95 of rendering, and of the client's download."""
    import datetime as dt

    from django.test import Client

    from willkommen.applications import services
    from willkommen.applications.receipt import render_receipt
    from willkommen.catalogue.models import Anliegen
    from willkommen.catalogue.testing import make_anliegen
    from willkommen.core.testing import make_authority, make_team
    from willkommen.efile.tests.conftest import pdf_bytes
    from willkommen.tenancy.models import RoutingRule

    authority = make_authority("receipt", "Stadt Quittung", "BY")
    anliegen = Anliegen.objects.filter(authority=authority, slug="study").first() or make_anliegen(authority)
    if not RoutingRule.objects.filter(authority=authority).exists():
        RoutingRule.objects.create(authority=authority, team=make_team(authority), anliegen=anliegen, priority=1)
    from django.core.files.uploadedfile import SimpleUploadedFile

    application = services.start_draft(authority, anliegen, "ar")
    personal = {
        "family_name": "Haddad",
        "given_names": "Amira",
        "family_name_native": "حداد",
        "given_names_native": "أميرة",
        "date_of_birth": dt.date(1995, 4, 2),
        "nationalities": ["SYR"],
        "street": "Hauptstraße 5",
        "postal_code": "80331",
        "city": "Quittung",
        "email": "amira@example.org",
        "phone": "",
        "preferred_language": "ar",
        "preferred_channel": "email",
        "permit_valid_until": dt.date(2099, 1, 31),
    }
    services.save_personal(application, personal)
    services.save_answers(application, {"married": True, "blocked_account": True})
    services.add_upload(application, "passport", SimpleUploadedFile("pass.pdf", pdf_bytes("Reisepass C01X00T47")))
    services.acknowledge_information(application)
    services.submit(application, idempotency_key=f"probe-{time.time()}")
    application.refresh_from_db()
    case = application.case
    code = services.unseal_code(application)
    render_receipt(case, application, access_code=code)  # warm-up: fonts
    # Rendered as the receipt job renders it in a consumer (willkommen/core/recycle.py):
    # the objects of the startup frozen, each job's garbage collected when the job ends – that collection is
    # counted in the time. Without it a render now and then pays a full collection of the whole process
    # (about 80 ms here) for garbage of earlier renders.
    import gc

    gc.collect()
    gc.freeze()
    renders = []
    for _ in range(repeat):
        started = time.perf_counter()
        render_receipt(case, application, access_code=code)
        gc.collect()
        renders.append((time.perf_counter() - started) * 1000)
    gc.unfreeze()
    client = Client()
    session = client.session
    session["applications"] = [str(application.public_id)]  # the browser that submitted it
    session.save()
    downloads = _downloads(client, authority, application, repeat)
    return {"render_p95_ms": _pct(renders, 95), "render_p50_ms": _pct(renders, 50), **downloads}


def _downloads(client, authority, application, repeat):
    """The client's download of the receipt (its own session may see it: the status page's identity)."""
    from django.urls import reverse

    try:
        path = reverse("applications:receipt_pdf", args=[application.public_id])
    except Exception:  # noqa: BLE001 (a version without the download)
        return {}
    times, status = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(f"/a/{authority.slug}{path}")
        times.append((time.perf_counter() - started) * 1000)
        status = response.status_code
    return {"download_status": status, "download_p95_ms": _pct(times, 95)}


def inproc():
    from django.core.cache import cache

    cache.clear()
    info = json.loads(os.environ["BENCH_INFO"])
    server = Server()
    proofs = solve(200)
    out = {"booking": booking_cpu(server, info, proofs), "free": free_answers(server, info)}
    if os.environ.get("BENCH_QUEUE", "1") == "1":
        out["queue"] = queue()
    if os.environ.get("BENCH_RECEIPT", "1") == "1":
        out["receipt"] = receipt_pdf()
    return out


def solve(n):
    """``n`` solved proof-of-work payloads (each from its own address, so at the base difficulty)."""
    from willkommen.appointments import protection

    return [protection.solve(protection.new_challenge(f"10.9.{i // 250}.{i % 250}")) for i in range(n)]


# The confirmation request's template key: messaging's template store since the one-source-of-texts change
# (issue 11); earlier versions stored "appointments.confirm_request".
CONFIRM_REQUEST_KEYS = ("booking_confirm_request", "appointments.confirm_request")


def after_rush():
    """What the rush left: bookings, overbooked slots, and for every booked client the time from the booking to
    the confirmation request leaving (``Message.sent_at`` − ``Booking.created_at``, both server clocks)."""
    from django.db.models import F

    from willkommen.appointments.models import Booking, Slot
    from willkommen.messaging.models import Message

    bookings = dict(
        Booking.objects.filter(authority__slug=RUSH, email__startswith="rush").values_list("email", "created_at")
    )
    sent = dict(
        Message.objects.filter(
            authority__slug=RUSH,
            template_key__in=CONFIRM_REQUEST_KEYS,
            status="sent",
            address__startswith="rush",
        ).values_list("address", "sent_at")
    )
    delays = [(sent[email] - created).total_seconds() for email, created in bookings.items() if email in sent]
    overbooked = Slot.objects.filter(authority__slug=RUSH).filter(public_taken__gt=F("public_places")).count()
    return {
        "bookings_in_db": len(bookings),
        "overbooked_slots": overbooked,
        "mails_sent": len(delays),
        "mail_s_p50": _pct(delays, 50),
        "mail_s_p95": _pct(delays, 95),
        "mail_s_max": round(max(delays), 2) if delays else None,
    }


def main(argv):
    _setup()
    command = argv[1]
    if command == "prepare":
        result = prepare()
    elif command == "inproc":
        result = inproc()
    elif command == "proofs":
        result = solve(int(argv[2]))
    elif command == "after-rush":
        result = after_rush()
    else:
        raise SystemExit(f"unknown command {command}")
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main(sys.argv)
