"""The client's status page follows the case room: every workflow state in plain words, requested
documents uploadable there, the case back in review once everything asked for has arrived, and the
case's letters downloadable by the client only."""

import pytest
from django.core.files.base import ContentFile

from willkommen.applications import selectors, services
from willkommen.cases import services as case_services
from willkommen.cases.workflow import Status
from willkommen.letters.models import Letter

from .conftest import file, pdf_bytes


@pytest.fixture
def submitted(draft):
    result = services.submit(draft, idempotency_key="key-status")
    return result.case, result.access_code


def sign_in(client, case, code):
    assert client.post("/a/alpha/status/", {"number": case.number, "code": code}).status_code == 302


def test_every_case_state_has_its_own_plain_words():
    fallback = selectors.plain_status("no-such-state")
    texts = {status: selectors.plain_status(status) for status in Status.values}
    assert all(text != fallback for text in texts.values()), [s for s, t in texts.items() if t == fallback]


@pytest.mark.django_db
def test_requested_documents_bring_the_case_back_to_review(client, submitted, caseworker):
    case, code = submitted
    case_services.transition(case, "start_review", caseworker)
    # The passport is on file already but insufficient; the photo was never asked for by the answers.
    case_services.request_documents(case, caseworker, items=["passport", "photo"], note="Pass abgelaufen.")
    case.refresh_from_db()
    assert case.status == Status.DOCUMENTS_REQUESTED
    sign_in(client, case, code)
    page = client.get("/a/alpha/status/case/").content.decode()
    assert 'for="missing-passport"' in page and 'for="missing-photo"' in page
    assert "We are waiting for documents or information from you." in page

    response = client.post(
        "/a/alpha/status/upload/",
        {"case": case.number, "checklist_key": "passport", "file": file("p.pdf", pdf_bytes("Neuer Pass"))},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.DOCUMENTS_REQUESTED  # one of two items: the request stays open

    client.post(
        "/a/alpha/status/upload/",
        {"case": case.number, "checklist_key": "photo", "file": file("f.pdf", pdf_bytes("Foto"))},
    )
    case.refresh_from_db()
    assert case.status == Status.IN_REVIEW
    assert case.document_requests.get().fulfilled_at is not None
    assert case.timeline.filter(from_status=Status.DOCUMENTS_REQUESTED, to_status=Status.IN_REVIEW).exists()


@pytest.mark.django_db
def test_client_sees_and_downloads_only_own_visible_letters(client, submitted, authority):
    case, code = submitted

    def letter(visible, title):
        item = Letter(authority=authority, person=case.person, case=case, kind="decision", languages="de", title=title)
        item.visible_to_client = visible
        item.file.save(f"{title}.pdf", ContentFile(b"%PDF-1.4 " + title.encode()), save=False)
        item.save()
        return item

    shown, hidden = letter(True, "bescheid"), letter(False, "intern")
    sign_in(client, case, code)
    page = client.get("/a/alpha/status/case/").content.decode()
    assert f"/status/letter/{shown.pk}.pdf" in page and f"/status/letter/{hidden.pk}.pdf" not in page
    response = client.get(f"/a/alpha/status/letter/{shown.pk}.pdf")
    assert response.status_code == 200 and b"".join(response.streaming_content).endswith(b"bescheid")
    assert client.get(f"/a/alpha/status/letter/{hidden.pk}.pdf").status_code == 404
    client.cookies.clear()
    assert client.get(f"/a/alpha/status/letter/{shown.pk}.pdf").status_code == 302
