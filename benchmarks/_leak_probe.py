"""What grows in a job consumer: the jobs that render PDFs and send mail, run in one process as the consumer
runs them, under tracemalloc, with snapshots compared by traceback.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_soak .venv/bin/python benchmarks/_leak_probe.py 20 60

Arguments: warm-up rounds and measured rounds. One round is: an online application submitted (the receipt
job: PDF into the e-file, mail with the client's copy), a booking held, confirmed and cancelled (three
notification jobs), and a case's automatic status message sent by post (a letter PDF); languages rotate
through de, ar, uk, en. Jobs go to Huey's SQLite storage in a temporary VAR_DIR and are taken and run by one
long-lived worker thread through Huey's ``dequeue``/``execute`` – the code path of ``run_huey``.

Prints the RSS and the traced size after warm-up and after the measured rounds, and the 25 tracebacks that
grew most in between.
"""

import datetime as dt
import gc
import os
import sys
import tempfile
import threading
import time
import tracemalloc

LANGUAGES = ("de", "ar", "uk", "en")


def rss_mb(pid="self"):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def setup():
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "willkommen.settings")
    os.environ["VAR_DIR"] = tempfile.mkdtemp(prefix="wk-leak-")
    os.environ["HUEY_STORAGE"] = "sqlite"
    # not locmem: it keeps every mail with its attachments in django.core.mail.outbox for the process's life
    os.environ.setdefault("EMAIL_BACKEND", "file")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        from benchmarks.client_signin import _create_database

        _create_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def world(stamp):
    from willkommen.appointments.testing import make_offer
    from willkommen.catalogue.testing import make_anliegen
    from willkommen.core.testing import make_authority, make_team

    authority = make_authority(f"leak{stamp}", "Stadt Leakstadt")
    anliegen = make_anliegen(authority, slug="study", way_in="both", complexity="complex")
    team = make_team(authority, name="Team L")
    offer = make_offer(authority, anliegen=anliegen, horizon=60, workstations=50, cap=100000)
    return authority, anliegen, team, offer


def drain(huey):
    """Run every queued job (and the jobs those enqueue) as a consumer's worker does."""
    while True:
        task = huey.dequeue()
        if task is None:
            return
        huey.execute(task)


class Worker(threading.Thread):
    """One long-lived thread, like a consumer's worker thread (WeasyPrint's per-thread objects stay)."""

    def __init__(self, huey):
        super().__init__(daemon=True)
        self.huey = huey
        self.requests = []
        self.cond = threading.Condition()

    def run(self):
        while True:
            with self.cond:
                while not self.requests:
                    self.cond.wait()
                done = self.requests.pop()
            drain(self.huey)
            done.set()

    def drain(self):
        done = threading.Event()
        with self.cond:
            self.requests.append(done)
            self.cond.notify()
        done.wait()


def one_round(n, authority, anliegen, team, offer, slot_ids, stamp):
    from willkommen.applications import services
    from willkommen.appointments import booking
    from willkommen.appointments.identity import Applicant
    from willkommen.cases.services import open_case
    from willkommen.cases.transparency import send_auto_message
    from willkommen.clients.services import create_person

    language = LANGUAGES[n % len(LANGUAGES)]
    app = services.start_draft(authority, anliegen, language)
    services.save_personal(
        app,
        {
            "family_name": f"Leak{stamp}x{n}",
            "given_names": "Amira",
            "date_of_birth": dt.date(1995, 4, 2),
            "nationalities": ["SYR"],
            "street": "Hauptstraße 5",
            "postal_code": "80331",
            "city": "Leakstadt",
            "phone": "",
            "preferred_language": language,
            "preferred_channel": "email",
            "email": f"leak-{stamp}-{n}@example.org",
        },
    )
    services.save_answers(app, {"married": False, "blocked_account": True, "minor": False})
    services.acknowledge_information(app)
    services.submit(app, idempotency_key=f"leak-{stamp}-{n}")

    applicant = Applicant(
        family_name=f"Book{stamp}x{n}",
        given_names="Amina",
        date_of_birth=dt.date(1990, 1, 1),
        email=f"book-{stamp}-{n}@example.org",
        language=language,
    )
    held, token = booking.hold(authority, slot_id=slot_ids[n % len(slot_ids)], anliegen=anliegen, applicant=applicant)
    booking.confirm(authority, held.reference, token)
    booking.cancel(authority, held.reference, token)

    person = create_person(
        authority,
        family_name=f"Post{stamp}x{n}",
        given_names="Omar",
        date_of_birth=dt.date(1985, 3, 3),
        preferred_language=language,
        preferred_channel="post",
        street="Weg 1",
        postal_code="80331",
        city="Leakstadt",
    )
    case, _code = open_case(authority, person=person, anliegen=anliegen, team=team)
    send_auto_message(case, on=dt.date.today() + dt.timedelta(days=40))


def main(warm=20, rounds=60):
    setup()
    from huey.contrib.djhuey import HUEY

    from willkommen.appointments.models import Slot

    stamp = time.strftime("%H%M%S")
    authority, anliegen, team, offer = world(stamp)
    slot_ids = list(
        Slot.objects.filter(authority=authority, starts_at__gt=dt.datetime.now(dt.UTC)).values_list("pk", flat=True)[
            :500
        ]
    )
    worker = Worker(HUEY)
    worker.start()

    def run(count, start):
        for n in range(start, start + count):
            one_round(n, authority, anliegen, team, offer, slot_ids, stamp)
            worker.drain()

    run(warm, 0)
    frames = int(os.environ.get("LEAK_FRAMES", "8"))
    tracemalloc.start(frames)
    collect = os.environ.get("LEAK_GC", "1") == "1"  # garbage waiting for the cycle collector is no leak
    if collect:
        gc.collect()
    before_rss = rss_mb()
    first = tracemalloc.take_snapshot()
    t0 = time.perf_counter()
    run(rounds, warm)
    elapsed = time.perf_counter() - t0
    if collect:
        gc.collect()
    second = tracemalloc.take_snapshot()
    after_rss = rss_mb()
    traced = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    by_file = second.compare_to(first, "filename")
    growth = sum(s.size_diff for s in by_file)
    print(
        f"rounds {rounds} in {elapsed:.1f} s; RSS {before_rss:.1f} -> {after_rss:.1f} MB; traced growth "
        f"{growth / 1024:.0f} KiB ({growth / rounds / 1024:.1f} KiB per round), traced now {traced / 1048576:.1f} MB",
        flush=True,
    )
    print("\nby file:")
    for stat in by_file[:20]:
        print(f"  {stat.size_diff / 1024:+9.1f} KiB {stat.count_diff:+7d} blocks  {stat.traceback[0].filename}")
    print("\nby traceback:", flush=True)
    for stat in second.compare_to(first, "traceback")[:15]:
        if stat.size_diff <= 0:
            continue
        print(f"\n+{stat.size_diff / 1024:.1f} KiB in {stat.count_diff:+d} blocks")
        for line in stat.traceback.format()[-2 * frames :]:
            print("   ", line)
    sys.stdout.flush()


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
