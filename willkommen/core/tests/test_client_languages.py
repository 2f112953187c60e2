"""Every word in the client's language (issue 14 item 4): every client page and every client PDF in all
eight languages, with the demo data of one authority, shows no text of another language.

Pages are fetched with Django's test client: the public ones by following the links from the home page
and the ways in (checklist with answers, booking, apply), the ones behind a secret with it (a booking's
link, an application in the browser's session, a signed-in client's status page, messages, "my matters"
and consents, a survey link, the kiosk and a ticket). Every PDF they link to (checklist, booking
confirmation, receipt, letters on the status page) and the calendar file are read too. A text is wrong
(``wrong_language.py``) when it is a known untranslated string, or when it equals the German or English
form of a translated text (gettext catalogs of every room, the catalogue's and the authority's texts per
language) although its language has another form. The German fallback of a text an authority entered is
allowed where it is marked (``lang="de"`` and "(in German)"); so is each language section of a bilingual
PDF. Proper names, codes and numbers are in no source and pass.
"""

import datetime as dt
import re
from collections import Counter, deque
from dataclasses import asdict
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from . import wrong_language as wl

PER_NAME = 2  # pages per URL name and language
LIMIT = 150  # pages per language
SKIP = re.compile(
    r"^/(desk|api|admin|static|media|language|signout|a/)|/(feed\.atom|feed\.json|my-data\.zip)$|/download/"
)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") if tag == "a" else None
        if href and href.startswith("/"):
            self.links.append(href.split("#")[0])


@pytest.fixture
def demo(settings, tmp_path):
    from willkommen.core.management.commands.load_demo import create_authorities, demo_modules

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    settings.PUBLIC_RATE_LIMIT = 100000
    settings.CLAMD_SOCKET = ""
    settings.EFILE_OCR = False
    authority = create_authorities()[0]
    for _room, module in demo_modules():
        module.load(authority)
    return authority


def _case_with_letters(authority):
    from willkommen.cases.models import Case

    cases = Case.objects.filter(authority=authority, letters__visible_to_client=True).distinct().order_by("pk")
    return cases.first()


def _booking_links(authority):
    from willkommen.appointments.identity import hash_token
    from willkommen.appointments.models import Booking

    booking = Booking.objects.filter(authority=authority, status="confirmed").order_by("pk").first()
    Booking.objects.filter(pk=booking.pk).update(token_hash=hash_token("tok-booking"))
    base = f"/appointments/booking/{booking.reference}/tok-booking/"
    return [base, base + "move/", base + "cancel/", base + "appointment.pdf", base + "appointment.ics"]


def _survey_link(person):
    from willkommen.contact import survey
    from willkommen.contact.models import SurveyInvitation

    invitation = survey.invite_to_survey(person, "decided_case")
    SurveyInvitation.objects.filter(pk=invitation.pk).update(token_hash=survey.token_hash("tok-survey"))
    return "/survey/tok-survey/"


def _servicepoint_links(authority):
    from willkommen.servicepoint.models import Station, Ticket

    station = Station.objects.filter(authority=authority).order_by("pk").first()
    ticket = Ticket.objects.filter(authority=authority).order_by("-pk").first()
    links = [f"/servicepoint/ticket/{ticket.public_id}/"] if ticket else []
    return links + ([f"/servicepoint/kiosk/{station.kiosk_key}/"] if station else [])


def _application_links(authority, language, browser):
    """A draft and a submitted application in ``language``, kept in the browser's session."""
    from willkommen.applications import services
    from willkommen.catalogue.models import Anliegen

    anliegen = Anliegen.objects.get(authority=authority, slug="studium")
    draft = services.start_draft(authority, anliegen, language)
    done = services.start_draft(authority, anliegen, language)
    services.save_personal(
        done,
        {
            "family_name": "Haddad",
            "given_names": "Amira",
            "date_of_birth": dt.date(1995, 4, 2),
            "nationalities": ["SYR"],
            "street": "Hauptstraße 5",
            "postal_code": "83999",
            "city": "Bergstadt",
            "email": "amira@example.org",
            "preferred_language": language,
            "preferred_channel": "email",
        },
    )
    services.save_answers(done, {"extension": True, "minor": False})
    services.acknowledge_information(done)
    services.submit(done, idempotency_key=f"lang-{language}")
    session = browser.session
    session["applications"] = [str(draft.public_id), str(done.public_id)]
    session.save()
    base, receipt = f"/apply/{draft.public_id}/", f"/apply/{done.public_id}/"
    return [base + "personal/", base + "questions/", base + "documents/", base + "review/"] + [
        receipt + "receipt/",
        receipt + "receipt.pdf",
    ]


def _signed_in(authority, case, language):
    from willkommen.accounts.client_identity import SESSION_KEY, ClientIdentity

    browser = Client(HTTP_ACCEPT_LANGUAGE=language)
    browser.cookies["willkommen_language"] = language
    session = browser.session
    identity = ClientIdentity(
        method="oidc", authority_id=authority.pk, person_id=case.person_id, case_id=case.pk, assurance="high"
    )
    session[SESSION_KEY] = asdict(identity)
    session.save()
    return browser


def _answers_links(authority):
    """Each Anliegen's checklist result with every yes/no question answered yes (fee notes, items)."""
    from willkommen.catalogue.models import Anliegen

    links = []
    for anliegen in Anliegen.objects.filter(authority=authority).prefetch_related("questions"):
        query = "&".join(f"{q.key}=yes" for q in anliegen.questions.all() if q.kind == "yes_no")
        links += [f"/checklist/{anliegen.slug}/result/?{query}", f"/checklist/{anliegen.slug}/checklist.pdf?{query}"]
    return links


class Walk:
    def __init__(self, sources, language, pdf_html):
        self.sources, self.language, self.pdf_html = sources, language, pdf_html
        self.problems, self.seen, self.per_name, self.visited, self.pdfs = {}, set(), Counter(), [], 0

    @property
    def pages(self):
        return len(self.visited)

    def run(self, browser, seeds):
        """Every seed, then the links found, a few pages per URL name."""
        queue, self.seen = deque((url, True) for url in seeds), set()
        while queue and self.pages < LIMIT:
            url, seed = queue.popleft()
            path = urlsplit(url).path
            if url in self.seen or SKIP.search(path):
                continue
            self.seen.add(url)
            try:
                name = resolve(path).view_name
            except Resolver404:
                continue
            if not seed and self.per_name[name] >= PER_NAME:
                continue
            self.per_name[name] += 1
            self.visited.append(url)
            self.pdf_html.clear()
            response = browser.get(url)
            assert response.status_code < 500, url
            if response.status_code != 200:
                continue
            queue.extend((link, False) for link in self.check(url, response))

    def check(self, url, response):
        kind = response["Content-Type"]
        found = []
        if kind.startswith("text/html"):
            html = response.content.decode()
            found = wl.html_problems(self.sources, html, self.language)
            links = _Links()
            links.feed(html)
            self._add(url, found)
            return links.links
        if kind.startswith("application/pdf"):
            self.pdfs += 1
            for html in self.pdf_html:  # the HTML WeasyPrint got: each section in its own language
                found += wl.html_problems(self.sources, html, _html_language(html))
            found += pdf_problems(_body(response), self.language)
        elif kind.startswith("text/calendar"):
            found = ics_problems(self.sources, response.content.decode(), self.language)
        self._add(url, found)
        return []

    def _add(self, url, found):
        if found:
            self.problems[url] = sorted(set(found))


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def _html_language(html):
    match = re.search(r'<html[^>]*\blang="([a-z]+)', html)
    return match.group(1) if match else "de"


def pdf_problems(content, language):
    """The English strings known to have stood untranslated must not be in a PDF of another language
    (a bilingual PDF's German section may hold German, never English)."""
    from willkommen.letters.tests.pdfcheck import logical_text

    text = " ".join(logical_text(content))
    return [p for p in wl.known_in(text, language) if " en string " in p] if language != "en" else []


def ics_problems(sources, body, language):
    """The calendar file's SUMMARY and DESCRIPTION lines (unfolded, escapes removed)."""
    body = re.sub(r"\r?\n[ \t]", "", body)
    problems = []
    for line in body.splitlines():
        name, _sep, value = line.partition(":")
        if name.split(";")[0] in ("SUMMARY", "DESCRIPTION"):
            for part in re.split(r"\\n|\\,|\\;", value):
                reason = sources.wrong(part, language)
                problems += [reason] if reason else []
                problems += wl.known_in(part, language)
    return problems


@pytest.fixture
def pdf_html(monkeypatch):
    """Every HTML the PDF renderer gets during a request."""
    from willkommen.letters import pdf

    captured = []
    original = pdf.html_to_pdf

    def capture(html):
        captured.append(html)
        return original(html)

    monkeypatch.setattr(pdf, "html_to_pdf", capture)
    return captured


def test_a_text_node_equal_to_another_languages_form_is_found():
    sources = wl.Sources()
    sources.add({"en": "Phone hours", "de": "Telefonzeiten", "ar": "ساعات الهاتف"})
    html = (
        '<html lang="ar"><p>Phone hours</p><p>ساعات الهاتف</p><p lang="de">Telefonzeiten</p>'
        "<p>Telefonzeiten</p><p>Bergstadt</p><script>Phone hours</script><p>Fee: 96 EUR (Funds)</p>"
        '<nav aria-label="Phone hours"></nav><input type="submit" value="Telefonzeiten"><img alt="Phone hours">'
        '<input type="text" value="Phone hours"><a title="Telefonzeiten" lang="de">x</a></html>'
    )
    problems = wl.html_problems(sources, html, "ar")
    assert len(problems) == 6, problems
    assert "'Phone hours'" in problems[0] and "'Telefonzeiten'" in problems[1] and "'Funds'" in problems[2]
    assert "'Phone hours'" in problems[3] and "'Telefonzeiten'" in problems[4] and "'Phone hours'" in problems[5]


@pytest.mark.sweep
@pytest.mark.django_db
@pytest.mark.filterwarnings("ignore")
def test_every_client_page_and_pdf_is_in_the_clients_language(demo, pdf_html):
    from willkommen.cases.models import Case

    sources = wl.Sources()
    wl.gettext_sources(sources)
    wl.data_sources(sources, demo)
    case = _case_with_letters(demo)
    with_request = Case.objects.filter(authority=demo, status="documents_requested").first()
    public = [
        "/",
        "/privacy/",
        "/checklist/",
        "/appointments/",
        "/apply/",
        "/apply/resume/",
        "/apply/mine/",
        "/status/",
        "/feedback/",
        "/forms/",
        "/news/",
        "/signin/",
        *_answers_links(demo),
        *_booking_links(demo),
        _survey_link(case.person),
        *_servicepoint_links(demo),
    ]
    report, counts = {}, {}
    for language in wl.LANGUAGES:
        walk = Walk(sources, language, pdf_html)
        browser = Client(HTTP_ACCEPT_LANGUAGE=language)
        browser.cookies["willkommen_language"] = language
        walk.run(browser, public + _application_links(demo, language, browser))
        for signed_in in filter(None, [case, with_request]):
            walk.run(_signed_in(demo, signed_in, language), ["/status/case/", "/messages/", "/my/", "/consents/"])
        counts[language] = (walk.pages, walk.pdfs)
        if walk.problems:
            report[language] = walk.problems
    for language, (pages, pdfs) in counts.items():
        assert pages >= 40 and pdfs >= 4, (language, pages, pdfs)
    assert not report, "\n".join(
        f"[{language}] {url}: {problem}"
        for language, pages in report.items()
        for url, problems in pages.items()
        for problem in problems
    )
