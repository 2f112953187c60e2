"""Every PDF for a right-to-left client: each language section has its own direction, the German parts
(letterhead, address window, German section) always left-to-right, the page counter reads "1 / 2"."""

import datetime as dt

import pytest
from django.utils import timezone

from willkommen.cases import communication, services
from willkommen.cases.tests.conftest import make_anliegen, make_person
from willkommen.letters.services import issue_fiktion, letter_content

from .pdfcheck import first_page_png, logical_text, visual_lines


@pytest.fixture(autouse=True)
def _no_delivery(monkeypatch):
    monkeypatch.setattr("willkommen.messaging.services.send_to_client", lambda *a, **k: None)


@pytest.fixture
def case(authority, team):
    authority.postal_code, authority.city = "83999", "Bergstadt"
    authority.phone, authority.email = "+49 8999 123-0", "abh@bergstadt.example"
    authority.save()
    person = make_person(authority, "Haddad", language="ar")
    person.postal_code, person.city = "83999", "Bergstadt"
    person.save()
    case, _ = services.open_case(authority, person=person, anliegen=make_anliegen(authority), team=team)
    return case


ID = {
    "id_document_type": "Reisepass",
    "id_document_number": "N7654321",
    "id_document_issuer": "Generaldirektion Damaskus",
    "id_document_issued_on": dt.date(2022, 1, 10),
}


def assert_german_blocks_left_to_right(content, authority, *, address=True):
    logical = logical_text(content)
    first = visual_lines(content)[0]
    # the letterhead: the authority's name first, no stray "·" in front, postcode before town, phone in order
    assert logical[0].startswith(authority.name), logical[0][:80]
    assert first[0].startswith(f"{authority.name} · "), first[0]
    assert "83999 Bergstadt" in first[0] and "+49 8999 123-0" in first[0], first[0]
    if address:  # the window-envelope address: "83999 Bergstadt", in the text and on the page
        assert "Hauptstraße 5 83999 Bergstadt" in logical[0] and "Bergstadt 83999" not in logical[0]
        assert "83999 Bergstadt" in first[1:4], first[:4]


def assert_page_counter(content):
    pages = visual_lines(content)
    for number, lines in enumerate(pages, start=1):
        assert lines[-1] == f"{number} / {len(pages)}", lines[-1]


def test_fiktion_for_an_arabic_client(case, caseworker):
    valid = timezone.localdate() + dt.timedelta(days=30)
    _certificate, letter = issue_fiktion(case, caseworker, paragraph="81_4_1", valid_until=valid, **ID)
    content = letter_content(letter)
    assert_german_blocks_left_to_right(content, case.authority)
    assert len(visual_lines(content)) == 2
    assert_page_counter(content)
    # the German section runs left to right (label, then value), the Arabic one right to left: on its
    # page the date of birth stands left of the Arabic label, so it opens the line
    pages = visual_lines(content)
    # dates written out in each section's language: "2. April 1998"; in Arabic "2 إبريل، 1998", read from
    # the right, so the year stands at the left end of the line
    assert "Geburtsdatum 2. April 1998" in pages[0]
    assert any(line.startswith("1998 ") for line in pages[1]), pages[1][:3]
    first_page_png(content)


def test_notice_and_request_for_documents_for_an_arabic_client(case, caseworker):
    services.request_documents(case, caseworker, items=["passport"], note="")
    request = case.letters.get(kind="request_documents")
    notice = communication.make_letter(case, "notice", context={"notice_key": "interim_answer"})
    for letter in (request, notice):
        content = letter_content(letter)
        assert_german_blocks_left_to_right(content, case.authority)
        assert_page_counter(content)
        first_page_png(content)


def test_booking_confirmation_in_arabic(case, authority):
    from willkommen.appointments import services as appointments
    from willkommen.appointments.documents import _render_pdf
    from willkommen.appointments.models import Slot
    from willkommen.appointments.testing import applicant, make_offer

    offer = make_offer(authority, anliegen=case.anliegen)
    slot = Slot.objects.filter(authority=authority, starts_at__gt=timezone.now()).order_by("starts_at").first()
    booking, _token = appointments.hold(
        authority, slot_id=slot.pk, anliegen=offer.anliegen, applicant=applicant(0, language="ar")
    )
    content = _render_pdf(booking)
    assert_german_blocks_left_to_right(content, authority, address=False)
    assert_page_counter(content)
    first_page_png(content)
