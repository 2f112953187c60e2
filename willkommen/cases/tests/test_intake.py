"""Opening a case at the desk (issue 12 item 2): every way in opens one case on a double submit, with the right
source and arrival date, and sends the receipt once; bad input and other authorities change nothing."""

import datetime as dt
import re
import uuid

import pytest
from django.utils import timezone

from willkommen.cases.models import Case, CaseSource
from willkommen.core.testing import make_staff, verified_login

from .conftest import make_person

URL = "/desk/cases/new/"


@pytest.fixture(autouse=True)
def routed(authority, team):
    """The authority's routing sends every case to the caseworker's team (so the caseworker sees it)."""
    from willkommen.tenancy.models import RoutingRule

    return RoutingRule.objects.create(authority=authority, team=team, priority=1)


@pytest.fixture
def desk(client, caseworker):
    verified_login(client, caseworker)
    return client


def _post(client, person, anliegen, key, **extra):
    data = {
        "person": person.pk,
        "idempotency_key": str(key),
        "anliegen": anliegen.pk,
        "source": CaseSource.COUNTER,
        "received_on": timezone.localdate().isoformat(),
        **extra,
    }
    return client.post(URL, data)


def _receipts(case):
    from willkommen.messaging.models import Message

    return Message.objects.filter(case=case, template_key="receipt")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "source,days_ago",
    [(CaseSource.LETTER, 3), (CaseSource.COUNTER, 0), (CaseSource.SERVICEPOINT, 0), (CaseSource.APPOINTMENT, 1)],
)
def test_a_double_submit_opens_one_case_per_way_in(desk, person, anliegen, source, days_ago):
    key = uuid.uuid4()
    received_on = timezone.localdate() - dt.timedelta(days=days_ago)
    first = _post(desk, person, anliegen, key, source=source, received_on=received_on.isoformat())
    second = _post(desk, person, anliegen, key, source=source, received_on=received_on.isoformat())
    cases = Case.objects.filter(person=person)
    assert cases.count() == 1
    case = cases.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/desk/cases/{case.pk}/"
    assert case.source == source
    assert timezone.localtime(case.received_at).date() == received_on  # for a letter: the postmark date
    receipts = _receipts(case)
    assert receipts.count() == 1
    assert case.number in receipts.get().body
    # the access code is shown once, on the case page after the redirect – the one the receipt carries
    page = desk.get(first["Location"])
    code = re.search(r'class="access-code">(?:<bdi[^>]*>)?([^<]+)<', page.content.decode()).group(1).strip()
    assert code and code in receipts.get().body
    if days_ago:  # an earlier day (a postmark): the receipt names the day, no made-up time of day
        from django.utils import translation

        from willkommen.core.dates import local_date

        with translation.override(receipts.get().language):
            assert local_date(received_on) in receipts.get().body
        assert "12:00" not in receipts.get().body
    assert b"access-code" not in desk.get(first["Location"]).content


@pytest.mark.django_db
def test_a_future_postmark_is_refused_and_nothing_is_created(desk, person, anliegen):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = _post(desk, person, anliegen, uuid.uuid4(), source=CaseSource.LETTER, received_on=tomorrow.isoformat())
    assert response.status_code == 400
    assert "Das Eingangsdatum liegt in der Zukunft." in response.content.decode()  # the user's language (de)
    assert not Case.objects.filter(person=person).exists()


@pytest.mark.django_db
def test_bad_input_is_a_400_not_a_500(desk, person, anliegen):
    response = _post(desk, person, anliegen, "not-a-uuid", source="carrier-pigeon", anliegen_extra="x")
    assert response.status_code == 400
    assert desk.get(URL + "?person=abc").status_code == 404
    assert desk.get(URL + "?born=31.31.2000").status_code == 400
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_another_authoritys_person_is_a_404(desk, other_authority, anliegen):
    stranger = make_person(other_authority, family_name="Fremd")
    assert desk.get(f"{URL}?person={stranger.pk}").status_code == 404
    assert _post(desk, stranger, anliegen, uuid.uuid4()).status_code == 404
    assert not Case.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["head_of_office", "accommodation", "administrator"])
def test_a_role_without_the_capability_gets_403(client, authority, team, person, anliegen, role):
    verified_login(client, make_staff(authority, f"r-{role}", role=role, teams=[team]))
    assert client.get(f"{URL}?person={person.pk}").status_code == 403
    assert _post(client, person, anliegen, uuid.uuid4()).status_code == 403
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_the_servicepoint_opens_a_case_and_sees_the_code_once(client, authority, team, person, anliegen):
    verified_login(client, make_staff(authority, "sp", role="servicepoint", teams=[team]))
    response = _post(client, person, anliegen, uuid.uuid4(), source=CaseSource.SERVICEPOINT)
    assert response.status_code == 200
    case = Case.objects.get(person=person)
    assert case.source == CaseSource.SERVICEPOINT
    assert b"access-code" in response.content and case.number.encode() in response.content


@pytest.mark.django_db
def test_the_declared_title_becomes_an_unverified_entry(desk, person, anliegen):
    from willkommen.clients.models import ResidenceEntry, ResidenceSource

    until = timezone.localdate() + dt.timedelta(days=20)
    _post(desk, person, anliegen, uuid.uuid4(), title_kind="title", title_valid_to=until.isoformat())
    case = Case.objects.get(person=person)
    entry = ResidenceEntry.objects.get(person=person)
    assert (entry.kind, entry.valid_to, entry.source, entry.verified) == (
        "title",
        until,
        ResidenceSource.DECLARED,
        False,
    )
    assert entry.case_id == case.pk
    case.refresh_from_db()
    assert case.permit_expires_on == until


@pytest.mark.django_db
def test_a_person_without_email_gets_the_receipt_by_post(desk, authority, anliegen):
    person = make_person(authority, family_name="Ohnemail", email="", preferred_channel="post")
    _post(desk, person, anliegen, uuid.uuid4(), source=CaseSource.LETTER)
    assert _receipts(Case.objects.get(person=person)).get().channel == "letter"


@pytest.mark.django_db
def test_search_by_name_and_date_of_birth(desk, person):
    found = desk.get(URL, {"q": "Hadd", "born": person.date_of_birth.isoformat()})
    assert found.status_code == 200 and f"?person={person.pk}".encode() in found.content
    missed = desk.get(URL, {"q": "Hadd", "born": "2001-01-01"})
    assert f"?person={person.pk}".encode() not in missed.content


@pytest.mark.django_db
def test_the_matters_are_named_by_their_title_in_the_users_language_not_their_slug(desk, person, anliegen):
    from django.utils.html import escape

    page = desk.get(f"{URL}?person={person.pk}", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    label = "Aufenthaltserlaubnis zum Studium (\u2068§ 16b AufenthG\u2069)"  # the basis isolated (Arabic pages)
    for select in ('id="pick-anliegen"', 'id="id_anliegen"'):
        options = page.split(select)[1].split("</select>")[0]
        assert f'<option value="{anliegen.pk}">{escape(label)}</option>' in options, options
        assert ">study" not in options


@pytest.mark.django_db
def test_the_person_page_links_to_opening_a_case_for_those_who_may(client, desk, authority, team, person):
    link = f"/desk/cases/new/?person={person.pk}".encode()
    assert link in desk.get(f"/desk/clients/{person.pk}/").content
    desk.logout()
    verified_login(client, make_staff(authority, "head", role="head_of_office", teams=[team]))
    assert link not in client.get(f"/desk/clients/{person.pk}/").content


@pytest.mark.django_db
def test_the_matters_checklist_questions_are_asked_and_stored_on_the_case(desk, authority, person, anliegen):
    from willkommen.catalogue.models import Question, QuestionText

    married = Question.objects.create(authority=authority, anliegen=anliegen, key="married", order=1)
    QuestionText.objects.create(authority=authority, question=married, language="de", text="Sind Sie verheiratet?")
    funding = Question.objects.create(
        authority=authority, anliegen=anliegen, key="funding", kind="choice", options=["blocked", "grant"], order=2
    )
    QuestionText.objects.create(
        authority=authority, question=funding, language="de", text="Finanzierung", option_labels={"grant": "Stipendium"}
    )
    page = desk.get(f"{URL}?person={person.pk}&anliegen={anliegen.pk}").content.decode()
    assert "Sind Sie verheiratet?" in page and 'name="q_married"' in page
    assert '<option value="grant">Stipendium</option>' in page
    assert "Aufenthaltserlaubnis zum Studium" in page.split('id="checklist-questions"')[1].split("</legend>")[0]
    assert 'name="q_married"' not in desk.get(f"{URL}?person={person.pk}").content.decode()  # no matter, no questions

    bad = _post(desk, person, anliegen, uuid.uuid4(), q_funding="lottery")
    assert bad.status_code == 400 and not Case.objects.exists()
    response = _post(desk, person, anliegen, uuid.uuid4(), q_married="no", q_funding="grant")
    assert response.status_code == 302
    case = Case.objects.get(person=person)
    assert case.answers == {"married": False, "funding": "grant"}  # parsed as the online application parses


@pytest.mark.django_db
def test_without_email_the_receipt_is_a_letter_pdf_for_post_in_the_efile(desk, authority, anliegen, settings, tmp_path):
    import io

    from pypdf import PdfReader

    from willkommen.letters.models import Letter

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    by_post = make_person(authority, family_name="Postweg", email="", language="en")
    key = uuid.uuid4()
    assert _post(desk, by_post, anliegen, key).status_code == 302
    assert _post(desk, by_post, anliegen, key).status_code == 302  # a double submit: one letter
    case = Case.objects.get(person=by_post)
    receipt = _receipts(case).get()
    assert receipt.channel == "letter"
    [attachment] = receipt.attachments.filter(file_name="letter.pdf")
    letter = Letter.objects.get(case=case)
    assert letter.for_post and letter.efile_document_id and letter.sha256 == attachment.sha256
    with open(tmp_path / attachment.storage_name, "rb") as handle:
        text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages).split())
    assert case.number in text and "Postweg" in text and "Hauptstraße 5" in text  # addressed for the window
    german, english = text.index("Eingangsbestätigung zu Ihrem Antrag"), text.index("Receipt of your application")
    assert german < english  # German first, then the client's language
    assert "Zugangscode:" in text and "Access code:" in text


@pytest.mark.django_db
def test_by_email_the_receipt_has_the_pdf_its_text_promises(desk, person, anliegen, settings, tmp_path):
    import io

    from pypdf import PdfReader

    from willkommen.letters.models import Letter

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    assert person.email
    assert _post(desk, person, anliegen, uuid.uuid4()).status_code == 302
    case = Case.objects.get(person=person)
    receipt = _receipts(case).get()
    assert receipt.channel == "email" and "PDF" in receipt.body
    [attachment] = receipt.attachments.all()
    assert attachment.content_type == "application/pdf" and case.number in attachment.file_name
    letter = Letter.objects.get(case=case)
    assert not letter.for_post and letter.efile_document_id and letter.sha256 == attachment.sha256
    with open(tmp_path / attachment.storage_name, "rb") as handle:
        text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages).split())
    assert case.number in text and "Eingangsbestätigung zu Ihrem Antrag" in text


def _receipt_pdf_text(case):
    from willkommen.letters.models import Letter
    from willkommen.letters.services import letter_content
    from willkommen.letters.tests.pdfcheck import logical_text

    return " ".join(logical_text(letter_content(Letter.objects.get(case=case))))


@pytest.mark.django_db
@pytest.mark.parametrize("days_ago,timely", [(3, True), (0, True), (-1, False)])
def test_the_desk_receipt_carries_the_81_statement_in_german_and_the_clients_language(
    desk, authority, anliegen, settings, tmp_path, days_ago, timely
):
    """A letter posted ``days_ago`` days before … the title's end (``-1``: the day after it ended): § 81 (4)
    sentence 1 only when it arrived on or before the last day of validity – the online receipt's rule."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    person = make_person(authority, family_name="Yilmaz", email="", language="tr")
    postmark = timezone.localdate() - dt.timedelta(days=5)
    until = postmark + dt.timedelta(days=days_ago)
    response = _post(
        desk,
        person,
        anliegen,
        uuid.uuid4(),
        source=CaseSource.LETTER,
        received_on=postmark.isoformat(),
        title_kind="title",
        title_valid_to=until.isoformat(),
    )
    assert response.status_code == 302
    text = _receipt_pdf_text(Case.objects.get(person=person))
    german = "Dieses Datum ist maßgeblich für die Fortgeltung nach § 81 Abs. 4 AufenthG"
    turkish = "İkamet Kanunu § 81 (4) uyarınca ikametinizin devamı için esas alınır"
    from django.utils import translation

    from willkommen.core.dates import local_date

    with translation.override("de"):
        day = local_date(postmark)  # "29. November 2026": dates written out in the text's language
    if timely:
        assert german in text and turkish in text
        assert text.index(german) < text.index(turkish)  # German first
        assert f"Ihr Antrag ist am {day} eingegangen" in text  # the postmark date, not today
    else:
        assert german not in text and turkish not in text
        assert f"Ihr Antrag gilt als am {day} eingegangen." in text
        with translation.override("tr"):
            assert f"Başvurunuz {local_date(postmark)} tarihinde alınmış sayılır." in text  # "29 Kasım 2026"


def _png(name):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (20, 20), (0, 0, 255)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


@pytest.mark.django_db
def test_scans_uploaded_at_the_desk_are_filed_under_the_new_case_once(desk, person, anliegen, settings, tmp_path):
    from willkommen.cases.selectors import full_timeline
    from willkommen.efile.models import Document

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    key = uuid.uuid4()
    first = _post(desk, person, anliegen, key, scans=[_png("pass.png"), _png("foto.png")])
    second = _post(desk, person, anliegen, key, scans=[_png("pass.png"), _png("foto.png")])  # double submit
    assert first.status_code == second.status_code == 302
    case = Case.objects.get(person=person)
    scans = Document.objects.filter(person=person).exclude(source="letter")  # not the receipt letter
    assert sorted(d.original_name for d in scans) == ["foto.png", "pass.png"]
    assert {d.case_id for d in scans} == {case.pk}
    on_timeline = {e.data["document_id"] for e in full_timeline(case) if e.kind == "document"}
    assert on_timeline == {d.pk for d in scans}


@pytest.mark.django_db
def test_a_refused_scan_refuses_the_intake_and_opens_nothing(desk, person, anliegen, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from willkommen.efile.models import Document

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    program = SimpleUploadedFile("tool.exe", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/octet-stream")
    response = _post(desk, person, anliegen, uuid.uuid4(), scans=[_png("pass.png"), program])
    assert response.status_code == 400
    assert not Case.objects.exists() and not Document.objects.exists()
    assert not _receipts_all()
    # the first scan was stored before the second was refused: its file went with its row
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def _receipts_all():
    from willkommen.messaging.models import Message

    return list(Message.objects.filter(template_key="receipt"))


@pytest.mark.django_db
def test_a_person_registered_from_the_intake_comes_back_to_it_with_the_prefill(desk, anliegen):
    from html import unescape
    from urllib.parse import parse_qs, urlparse

    from willkommen.clients.models import Person

    prefill = f"anliegen={anliegen.pk}&source=appointment&received_on={timezone.localdate().isoformat()}"
    search = desk.get(f"{URL}?q=Neu&born=1991-02-03&{prefill}").content.decode()
    link = unescape(re.search(r'href="(/desk/clients/new/\?next=[^"]+)"', search).group(1))
    after = parse_qs(urlparse(link).query)["next"][0]
    assert after.startswith(URL) and f"anliegen={anliegen.pk}" in after and "source=appointment" in after
    form = desk.get(link).content.decode()
    assert 'name="next"' in form
    person_data = {
        "family_name": "Neumann",
        "given_names": "Nora",
        "date_of_birth": "1991-02-03",
        "sex": "f",
        "preferred_language": "de",
        "preferred_channel": "email",
        "nationalities_text": "ukr",
        "next": after,
    }
    created = desk.post("/desk/clients/new/", person_data)
    person = Person.objects.get(family_name="Neumann")
    assert created.status_code == 302 and created["Location"] == f"{after}&person={person.pk}"
    page = desk.get(created["Location"]).content.decode()
    assert f'<option value="{anliegen.pk}" selected' in page
    assert re.search(r'value="appointment"[^>]*checked', page)
    # a foreign target is ignored: back to the person page
    person_data.update(family_name="Fremdziel", next="https://evil.example/desk/cases/new/")
    other = desk.post("/desk/clients/new/", person_data)
    assert other["Location"] == f"/desk/clients/{Person.objects.get(family_name='Fremdziel').pk}/"
