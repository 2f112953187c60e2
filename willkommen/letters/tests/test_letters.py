"""PDFs: the Fiktionsbescheinigung shows every field of the official form (text extraction), letters
carry German and the client's language, and a page renders to PNG."""

import datetime as dt
import io
import subprocess

import pytest
from django.utils import timezone
from pypdf import PdfReader

from willkommen.cases import services
from willkommen.cases.tests.conftest import make_anliegen, make_person
from willkommen.letters.models import Fiktionsbescheinigung
from willkommen.letters.services import LetterError, extend_fiktion, issue_fiktion, letter_content


@pytest.fixture(autouse=True)
def _no_delivery(monkeypatch):
    monkeypatch.setattr("willkommen.messaging.services.send_to_client", lambda *a, **k: None)


@pytest.fixture
def case(authority, team):
    anliegen = make_anliegen(authority)
    person = make_person(authority, "Haddad", language="ar")
    case, _ = services.open_case(authority, person=person, anliegen=anliegen, team=team)
    return case


def _text(letter):
    reader = PdfReader(io.BytesIO(letter_content(letter)))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


ID = {
    "id_document_type": "Reisepass",
    "id_document_number": "N7654321",
    "id_document_issuer": "Generaldirektion Damaskus",
    "id_document_issued_on": dt.date(2022, 1, 10),
}


def de_date(day):
    from django.utils import translation

    from willkommen.core.dates import local_date

    with translation.override("de"):
        return local_date(day)


def test_fiktionsbescheinigung_contains_every_field(case, caseworker):
    valid = timezone.localdate() + dt.timedelta(days=120)
    certificate, letter = issue_fiktion(
        case, caseworker, paragraph="81_4_1", valid_until=valid, conditions="Beschäftigung bei Firma X gestattet.", **ID
    )
    assert certificate.serial == "F0000001"
    text = _text(letter)
    for expected in [
        "F0000001",
        "Haddad",
        "Rana",
        "2. April 1998",  # dates written out in German ("12. April 1999"), not ISO
        "SYR",
        de_date(valid),
        "Reisepass",
        "N7654321",
        "Generaldirektion Damaskus",
        "10. Januar 2022",
        "Beschäftigung bei Firma X gestattet.",
        case.authority.name,
        case.authority.city,
        de_date(timezone.localdate()),
        "Clara",  # signature line
    ]:
        assert expected in text, expected
    assert "§ 81 Abs. 4 Satz 1 AufenthG" in text  # the German label of the rule (the letter's first language)
    assert letter.languages == "de+ar" and letter.kind == "fiktion"


def test_serial_numbers_are_gap_free_and_shaped_f_plus_seven_digits(case, caseworker):
    valid = timezone.localdate() + dt.timedelta(days=60)
    serials = [issue_fiktion(case, caseworker, paragraph="81_3_1", valid_until=valid, **ID)[0].serial for _ in range(3)]
    assert serials == ["F0000001", "F0000002", "F0000003"]


def test_two_extensions_at_most(case, caseworker):
    valid = timezone.localdate() + dt.timedelta(days=60)
    certificate, _ = issue_fiktion(case, caseworker, paragraph="81_4_1", valid_until=valid, **ID)
    with pytest.raises(LetterError):
        extend_fiktion(certificate, caseworker, valid_until=valid)  # must end later
    first = valid + dt.timedelta(days=60)
    certificate, letter = extend_fiktion(certificate, caseworker, valid_until=first)
    certificate, letter = extend_fiktion(certificate, caseworker, valid_until=first + dt.timedelta(days=60))
    assert de_date(first + dt.timedelta(days=60)) in _text(letter)
    with pytest.raises(LetterError):
        extend_fiktion(certificate, caseworker, valid_until=first + dt.timedelta(days=120))
    assert len(Fiktionsbescheinigung.objects.get(pk=certificate.pk).extensions) == 2


def test_incomplete_certificate_is_refused_and_nothing_stored(case, caseworker):
    with pytest.raises(LetterError):
        issue_fiktion(
            case, caseworker, paragraph="81_9", valid_until=timezone.localdate(), **{**ID, "id_document_number": ""}
        )
    assert not Fiktionsbescheinigung.objects.exists() and not case.letters.exists()


def test_decision_letter_in_german_and_arabic_with_remedies(case, caseworker):
    services.transition(case, "start_review", caseworker)
    services.draft_decision(
        case,
        caseworker,
        outcome="refuse",
        legal_basis="§ 5 AufenthG",
        reasoning="Lebensunterhalt nicht gesichert.",
        plain_explanation="Your income is too low.",
    )
    services.finalise(case, caseworker)
    letter = case.letters.get(kind="decision")
    text = _text(letter)
    assert text.count(case.number) == 2  # German section and Arabic section
    assert "§ 5 AufenthG" in text and "Lebensunterhalt nicht gesichert." in text
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in PdfReader(io.BytesIO(letter_content(letter))).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("Arab" in f or "Naskh" in f for f in fonts), fonts


def test_page_renders_to_png(case, caseworker, tmp_path):
    _cert, letter = issue_fiktion(
        case, caseworker, paragraph="81_4_1", valid_until=timezone.localdate() + dt.timedelta(days=30), **ID
    )
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(letter_content(letter))
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True)
    png = next(tmp_path.glob("page*.png")).read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 2000
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L")
    assert image.getextrema()[0] < 100  # there is dark text on the page, not a blank sheet


def test_letter_goes_into_the_efile_when_available(case, caseworker):
    pytest.importorskip("willkommen.efile.services")
    from willkommen.efile.models import Document

    _cert, letter = issue_fiktion(
        case, caseworker, paragraph="81_4_1", valid_until=timezone.localdate() + dt.timedelta(days=30), **ID
    )
    assert letter.efile_document_id
    document = Document.objects.get(pk=letter.efile_document_id)
    assert document.person_id == case.person_id and document.case_id == case.pk


def test_letter_text_blocks_come_from_the_template_store_in_both_languages(case, caseworker):
    from willkommen.messaging import texts

    texts.save_version(
        case.authority,
        "letter_request_documents",
        "de",
        subject="Bitte Unterlagen nachreichen",
        body="Wir brauchen:\n{documents}\n\nFrist: {deadline}",
        user=caseworker,
    )
    services.request_documents(case, caseworker, items=["passport"], note="")
    text = _text(case.letters.get(kind="request_documents"))
    assert "Bitte Unterlagen nachreichen" in text and "Wir brauchen:" in text and "Reisepass" in text
    assert "طلب مستندات" in text and "جواز السفر" in text  # the Arabic section: shipped text, Arabic item title
    assert "<" not in text and "&lt;" not in text  # HTML, not escaped markup


def test_decision_letter_carries_the_legal_remedies_block(case, caseworker):
    services.transition(case, "start_review", caseworker)
    services.draft_decision(
        case,
        caseworker,
        outcome="refuse",
        legal_basis="§ 5 AufenthG",
        reasoning="Lebensunterhalt nicht gesichert.",
        plain_explanation="Your income is too low.",
    )
    services.finalise(case, caseworker)
    text = _text(case.letters.get(kind="decision"))
    assert "Rechtsbehelfsbelehrung" in text and "Verwaltungsgericht" in text and case.authority.city in text
    assert "Bescheid" in text and "Aufenthaltserlaubnis zum Studium" in text  # the intro block with the Anliegen
