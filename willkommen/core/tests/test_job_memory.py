"""A job consumer's memory stays flat: the jobs that render PDFs and send mail – the receipt of an online
application (two PDFs, the e-file, a mail with the client's copy attached), a booking's confirmation request,
confirmation and cancellation, and a status message by post (a letter) – run ROUNDS times after WARM rounds,
and what Python still holds afterwards (traced by tracemalloc, after the cycle collector ran) must not grow
with the number of jobs. A cache keyed by something that changes per job, a module-level list, a result
store in the process or a document kept alive after rendering each add tens to hundreds of KiB per round and
fail here; docs/performance.md has the probe (benchmarks/_leak_probe.py) that finds which line allocated it.
"""

import datetime as dt
import gc
import tracemalloc

import pytest
from django.core import mail

pytestmark = [
    pytest.mark.slow,
    # Fails today (2026-12-04): about 90 KiB per round stay, led by Huey's in-process result store of the tests'
    # MemoryHuey (pickled djtasks records) and SQLite statement objects; not yet told apart from a real leak.
    # strict: once it holds, the XPASS fails and this mark must go.
    pytest.mark.xfail(strict=True, reason="open: growth per round in the tests' in-process job store (issue 23)"),
]

WARM, ROUNDS = 4, 3  # the warm-up meets every language once (each loads its catalogues)
# Per round (about eight jobs, five PDFs). Measured: a few KiB; a kept mail with its PDF is over 20 KiB and a
# rendered document kept alive several hundred KiB.
BOUND_PER_ROUND = 16 * 1024


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    settings.CLAMD_SOCKET = ""
    settings.EFILE_OCR = False


def _world(authority, team):
    from willkommen.appointments.models import Slot
    from willkommen.appointments.testing import make_offer
    from willkommen.catalogue.testing import make_anliegen

    anliegen = make_anliegen(authority, complexity="complex")
    make_offer(authority, anliegen=anliegen, workstations=20, horizon=20, cap=100000)
    slots = list(Slot.objects.filter(authority=authority).order_by("-starts_at").values_list("pk", flat=True)[:50])
    return anliegen, slots


def _apply(n, authority, anliegen, language):
    from willkommen.applications import services

    app = services.start_draft(authority, anliegen, language)
    personal = {
        "family_name": f"Haddad{n}",
        "given_names": "Amira",
        "date_of_birth": dt.date(1995, 4, 2),
        "nationalities": ["SYR"],
        "street": "Hauptstraße 5",
        "postal_code": "80331",
        "city": "Alpha",
        "phone": "",
        "preferred_language": language,
        "preferred_channel": "email",
        "email": f"amira{n}@example.org",
    }
    services.save_personal(app, personal)
    services.save_answers(app, {"married": False, "blocked_account": True, "minor": False})
    services.acknowledge_information(app)
    services.submit(app, idempotency_key=f"memory-{n}")


def _book_and_post(n, authority, anliegen, team, slots, language):
    from willkommen.appointments import booking
    from willkommen.appointments.identity import Applicant
    from willkommen.cases.services import open_case
    from willkommen.cases.transparency import send_auto_message
    from willkommen.clients.services import create_person

    applicant = Applicant("Nachname", f"Amina{n}", dt.date(1990, 1, 1), f"client{n}@example.org", language=language)
    held, token = booking.hold(authority, slot_id=slots[n % len(slots)], anliegen=anliegen, applicant=applicant)
    booking.confirm(authority, held.reference, token)
    booking.cancel(authority, held.reference, token)
    person = create_person(
        authority,
        family_name=f"Post{n}",
        given_names="Omar",
        date_of_birth=dt.date(1985, 3, 3),
        preferred_language=language,
        preferred_channel="post",
        street="Weg 1",
        postal_code="80331",
        city="Alpha",
    )
    case, _code = open_case(authority, person=person, anliegen=anliegen, team=team)
    send_auto_message(case, on=dt.date.today() + dt.timedelta(days=40))


def _round(n, capture, authority, anliegen, team, slots):
    language = ("de", "ar", "uk", "en")[n % 4]
    with capture(execute=True):
        _apply(n, authority, anliegen, language)
    with capture(execute=True):
        _book_and_post(n, authority, anliegen, team, slots, language)
    sent = len(mail.outbox)
    mail.outbox.clear()  # the tests' mail backend keeps every mail; a real one does not
    return sent


def _held():
    gc.collect()
    return tracemalloc.take_snapshot()


def test_jobs_that_render_and_mail_leave_no_memory_behind(
    authority, team, django_capture_on_commit_callbacks, settings
):
    anliegen, slots = _world(authority, team)
    for n in range(WARM):  # imports, template and translation caches, fonts per thread, connections
        assert _round(n, django_capture_on_commit_callbacks, authority, anliegen, team, slots) >= 3
    tracemalloc.start(6)
    try:
        before = _held()
        for n in range(WARM, WARM + ROUNDS):
            _round(n, django_capture_on_commit_callbacks, authority, anliegen, team, slots)
        after = _held()
    finally:
        tracemalloc.stop()
    stats = after.compare_to(before, "traceback")
    growth = sum(stat.size_diff for stat in stats)
    top = "\n\n".join(f"+{s.size_diff} B\n" + "\n".join(s.traceback.format()[-8:]) for s in stats[:5])
    assert growth < BOUND_PER_ROUND * ROUNDS, f"held {growth / ROUNDS:.0f} B more per round; grew most:\n{top}"
