"""The soak benchmark's traffic: one function per kind of visit, each a few HTTP requests against the server
as a browser or an API client makes them. A kind returns nothing on success and raises :class:`Failed` with
the status when an answer is not the one expected, and returns "skip" when it found nothing to do yet (no mail
arrived, no access code yet; not counted); every request's time is recorded per kind by the caller.

Client kinds: browsing the portal in de/ar/uk, the checklist PDF, the free-day search, a booking with a solved
proof of work (confirmed from the link in its mail, every third one cancelled), an online application with an
uploaded PDF, a status sign-in with case number and access code. Staff kinds (signed in once with password and
second factor): work queue, a case page, e-file search, messages, ServicePoint, figures.
"""

import datetime as dt
import json
import re
import threading
import time
import uuid
from pathlib import Path

LANGUAGES = ("de", "ar", "uk")


class Failed(Exception):
    def __init__(self, kind, status, detail=""):
        super().__init__(f"{kind}: {status} {detail}")
        self.status = status


class World:
    """What the traffic needs to know (filled by the benchmark's seeding) and what it produced."""

    def __init__(self, port, slug, anliegen, slot_ids, proofs, mail_dir, staff, case_ids, person_ids):
        self.port, self.slug, self.anliegen = port, slug, anliegen
        # solved proofs of work with the time they were solved (the newest last)
        self.slot_ids, self.mail_dir = slot_ids, Path(mail_dir)
        self.proofs = [(time.monotonic(), proof) for proof in proofs]
        self.staff, self.case_ids, self.person_ids = staff, case_ids, person_ids
        self.lock = threading.Lock()
        self.mail_lock = threading.Lock()
        self.mail_sizes = {}  # mail file name -> size when last read
        self.tokens = {}  # booking reference -> token, from the mails read so far
        self.counter = 0
        self.booked = []  # references answered 201
        self.pending_confirm = []  # (reference, email) waiting for their mail
        self.codes = []  # (case number, access code) of submitted applications
        self.applications = []  # public ids submitted

    def next(self):
        with self.lock:
            self.counter += 1
            return self.counter

    def prefix(self):
        return f"/a/{self.slug}"


def _check(response, kind, *expected):
    if response.status not in expected:
        raise Failed(kind, response.status, response.text[:200] if response.status >= 500 else "")
    return response


def browse(world, browser, n):
    language = LANGUAGES[n % len(LANGUAGES)]
    headers = {"Accept-Language": language}
    for path in ("/", "/checklist/", f"/checklist/{world.anliegen}/", "/apply/"):
        _check(browser.get(world.port, world.prefix() + path, headers=headers), "browse", 200)


def checklist_pdf(world, browser, n):
    language = LANGUAGES[n % len(LANGUAGES)]
    path = f"{world.prefix()}/checklist/{world.anliegen}/checklist.pdf?married=no&blocked_account=yes&minor=no"
    response = _check(browser.get(world.port, path, headers={"Accept-Language": language}), "checklist_pdf", 200)
    if not response.body.startswith(b"%PDF"):
        raise Failed("checklist_pdf", response.status, "not a PDF")


def free_slots(world, browser, n):
    today = dt.date.today()
    path = (
        f"{world.prefix()}/api/v1/appointments/days/?anliegen={world.anliegen}&date_from={today}"
        f"&date_to={today + dt.timedelta(days=28)}"
    )
    _check(browser.get(world.port, path), "free_slots", 200)


PROOF_SECONDS = 480  # a challenge expires after 600 s (appointments.protection): older solved ones are dropped


def book(world, browser, n):
    with world.lock:
        while world.proofs and time.monotonic() - world.proofs[-1][0] > PROOF_SECONDS:
            world.proofs.pop()
        proof = world.proofs.pop()[1] if world.proofs else None
    if proof is None:  # solved now, as the client's browser does (the pool solved at the start has run out)
        from willkommen.appointments import protection

        proof = protection.solve(protection.new_challenge(f"10.8.{n // 250 % 250}.{n % 250}"))
    email = f"soak{n}-{uuid.uuid4().hex[:6]}@example.org"
    body = {
        "slot": world.slot_ids[n % len(world.slot_ids)],
        "anliegen": world.anliegen,
        "family_name": f"Soak{n}",
        "given_names": "Client",
        "date_of_birth": "1990-01-01",
        "email": email,
        "language": LANGUAGES[n % len(LANGUAGES)],
        "altcha": proof,
    }
    response = browser.request(world.port, "POST", world.prefix() + "/api/v1/appointments/bookings/", json_body=body)
    _check(response, "book", 201, 409)
    if response.status == 201:
        reference = json.loads(response.body)["reference"]
        with world.lock:
            world.booked.append(reference)
            world.pending_confirm.append((reference, email, n))


def _token_from_mail(world, reference):
    """The booking's token from the link in its mail. Each mail file is read once (again only when it has
    grown), so a long or fast run does not re-read every mail for every confirmation."""
    with world.mail_lock:
        if reference not in world.tokens:
            for path in world.mail_dir.glob("*.log"):
                size = path.stat().st_size
                if world.mail_sizes.get(path.name) == size:
                    continue
                world.mail_sizes[path.name] = size
                text = path.read_text(errors="replace")
                for found, token in re.findall(r"/appointments/booking/([^/\s\"'<>=]+)/([A-Za-z0-9_\-]+)/", text):
                    world.tokens.setdefault(found, token)
        return world.tokens.get(reference)


def confirm_or_cancel(world, browser, n):
    """The oldest booking whose mail has arrived: confirmed from its link; every third one then cancelled."""
    with world.lock:
        if not world.pending_confirm:
            return "skip"
        reference, _email, k = world.pending_confirm.pop(0)
    token = _token_from_mail(world, reference)
    if token is None:
        with world.lock:
            world.pending_confirm.append((reference, _email, k))
        return "skip"
    base = f"{world.prefix()}/api/v1/appointments/bookings/{reference}"
    _check(browser.request(world.port, "POST", base + "/confirm/", json_body={"token": token}), "confirm", 200)
    if k % 3 == 0:
        _check(browser.request(world.port, "POST", base + "/cancel/", json_body={"token": token}), "cancel", 200)


def _multipart(fields, files):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, ctype) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {ctype}\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def apply(world, browser, n, pdf):
    """Start, personal data, answers, one uploaded PDF per asked document, review and submit; the receipt page
    shows case number and access code, kept for the status sign-ins."""
    p = world.prefix()
    language = LANGUAGES[n % len(LANGUAGES)]
    headers = {"Accept-Language": language}
    browser.get(world.port, f"{p}/apply/start/{world.anliegen}/", headers=headers)
    response = _check(browser.post(world.port, f"{p}/apply/start/{world.anliegen}/", {}, headers=headers), "apply", 302)
    base = response.getheader("Location").rsplit("/personal/", 1)[0]
    personal = {
        "family_name": f"Antrag{n}",
        "given_names": "Amira",
        "date_of_birth": "1995-04-02",
        "nationalities": "SYR",
        "street": "Hauptstraße 5",
        "postal_code": "80331",
        "city": "Soakstadt",
        "email": f"apply{n}-{uuid.uuid4().hex[:6]}@example.org",
        "phone": "",
        "preferred_language": language,
        "preferred_channel": "email",
        "permit_valid_until": "2099-01-31",
    }
    _check(browser.post(world.port, f"{base}/personal/", personal, headers=headers), "apply", 302)
    answers = {"q-married": "no", "q-blocked_account": "yes", "q-minor": "no"}
    _check(browser.post(world.port, f"{base}/questions/", answers, headers=headers), "apply", 302)
    page = _check(browser.get(world.port, f"{base}/documents/", headers=headers), "apply", 200)
    keys = sorted(set(re.findall(r'name="file-([a-z_]+)"', page.text)))
    files = {f"file-{key}": (f"{key}.pdf", pdf, "application/pdf") for key in keys}
    body, ctype = _multipart({"csrfmiddlewaretoken": browser.cookies.get("csrftoken", ""), "next": "1"}, files)
    upload = browser.request(
        world.port, "POST", f"{base}/documents/", raw=body, headers={**headers, "Content-Type": ctype}
    )
    _check(upload, "apply", 302)
    review = _check(browser.get(world.port, f"{base}/review/", headers=headers), "apply", 200)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', review.text).group(1)
    data = {"idempotency_key": key, "acknowledge": "yes"}
    _check(browser.post(world.port, f"{base}/review/", data, headers=headers), "apply", 302)
    receipt = _check(browser.get(world.port, f"{base.replace('/apply/', '/apply/', 1)}/receipt/"), "apply", 200)
    number = re.search(r"[A-Z]{2,6}-\d{4}-\d{6}", receipt.text)
    code = re.search(r'class="access-code">(?:<bdi[^>]*>)?([^<]+)<', receipt.text)
    with world.lock:
        world.applications.append(base.rsplit("/", 1)[-1])
        if number and code:
            world.codes.append((number.group(0), code.group(1).strip(), 0))


def status_sign_in(world, browser, n):
    with world.lock:
        if not world.codes:
            return "skip"
        # a case number allows 5 sign-ins per 15 minutes (the limit against guessing): each code is used 3 times
        number, code, uses = world.codes.pop(0)
        if uses < 2:
            world.codes.append((number, code, uses + 1))
    p = world.prefix()
    browser.get(world.port, f"{p}/status/")
    _check(browser.post(world.port, f"{p}/status/", {"number": number, "code": code}), "status_sign_in", 302)
    _check(browser.get(world.port, f"{p}/status/case/"), "status_sign_in", 200)


STAFF_PAGES = {
    "staff_queue": ("caseworker", lambda w, n: ["/desk/cases/"]),
    "staff_case": ("caseworker", lambda w, n: [f"/desk/cases/{w.case_ids[n % len(w.case_ids)]}/"]),
    "staff_efile_search": ("head", lambda w, n: [f"/desk/efile/?q={('Reisepass', 'Antrag', 'Soak')[n % 3]}"]),
    "staff_messages": (
        "caseworker",
        lambda w, n: ["/desk/messaging/", f"/desk/messaging/person/{w.person_ids[n % len(w.person_ids)]}/"],
    ),
    "staff_servicepoint": ("servicepoint", lambda w, n: ["/desk/servicepoint/"]),
    "staff_reports": ("head", lambda w, n: ["/desk/reports/cases/", "/desk/reports/servicepoint/"]),
}


def staff_page(kind, world, browsers, n):
    role, paths = STAFF_PAGES[kind]
    browser = browsers[role]
    for path in paths(world, n):
        _check(browser.get(world.port, world.prefix() + path), kind, 200)
