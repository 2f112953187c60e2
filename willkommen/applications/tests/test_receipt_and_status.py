import io
import re

import pytest
from django.core import mail
from django.utils import translation

from willkommen.applications import services
from willkommen.audit.models import AuditEntry
from willkommen.cases.models import Case
from willkommen.core.dates import local_date
from willkommen.efile.models import Document

from .conftest import file, pdf_bytes


def pdf_text(content):
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def submitted(draft):
    result = services.submit(draft, idempotency_key="key-1")
    draft.refresh_from_db()
    return draft, result.case, result.access_code


@pytest.mark.django_db
def test_receipt_pdf_text(submitted, routed_team):
    from willkommen.applications.receipt import render_receipt

    application, case, code = submitted
    text = pdf_text(render_receipt(case, application, access_code=code))
    flat = " ".join(text.split())
    for expected in [case.number, code, routed_team.name, "§ 16b AufenthG", "§ 81 (4)"]:
        assert expected in flat, expected
    # German section and the client's language (English)
    assert "Eingangsbestätigung" in flat
    assert "Receipt of your application" in flat
    assert "Aufenthaltserlaubnis zum Studium" in flat and "Residence permit for study" in flat
    assert "Marriage certificate" in flat  # missing, in English
    assert "pass.pdf" in flat  # received
    # dates written out in each section's language (German "4. Dezember 2026", English "4 December 2026")
    arrival = application.submitted_at.astimezone().date()
    with translation.override("de"):
        assert local_date(arrival) in flat
    with translation.override("en"):
        assert local_date(arrival) in flat
    assert arrival.isoformat() not in flat
    # the copy for the e-file has no access code
    assert code not in " ".join(pdf_text(render_receipt(case, application)).split())


@pytest.mark.django_db
def test_receipt_without_valid_permit_has_no_81_statement(draft):
    from willkommen.applications.receipt import render_receipt

    draft.personal = {**draft.personal, "permit_valid_until": "2001-01-01"}
    draft.save()
    result = services.submit(draft, idempotency_key="k")
    draft.refresh_from_db()
    assert "§ 81 (4)" not in " ".join(
        pdf_text(render_receipt(result.case, draft, access_code=result.access_code)).split()
    )


@pytest.mark.django_db
def test_status_page_with_code_and_upload_of_missing_document(client, submitted, routed_team):
    application, case, code = submitted
    response = client.post("/a/alpha/status/", {"number": case.number.lower(), "code": code.lower()})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert case.number in page
    assert "We have received your application." in page
    assert routed_team.name in page and "Mo–Do 9–12" in page and "Di 8–12" in page
    assert "Marriage certificate" in page
    response = client.post(
        "/a/alpha/status/upload/",
        {"case": case.number, "checklist_key": "marriage_certificate", "file": file("m.pdf", pdf_bytes("Heirat"))},
    )
    assert response.status_code == 302
    assert Document.objects.filter(case=case, document_type="marriage_certificate").exists()
    page = client.get(response["Location"]).content.decode()
    assert 'for="missing-marriage_certificate"' not in page and 'for="missing-photo"' in page
    # a bad file: clear message, 400, nothing stored
    before = Document.objects.count()
    response = client.post(
        "/a/alpha/status/upload/",
        {"case": case.number, "checklist_key": "photo", "file": file("x.pdf", b"MZ\x90\x00" * 10)},
    )
    assert response.status_code == 400 and Document.objects.count() == before


@pytest.mark.django_db
def test_wrong_code_reveals_nothing_and_is_rate_limited(client, submitted):
    application, case, code = submitted
    wrong = client.post("/a/alpha/status/", {"number": case.number, "code": "WRONGCODE1"})
    unknown = client.post("/a/alpha/status/", {"number": "ABH-2020-999999", "code": "WRONGCODE1"})
    assert wrong.status_code == unknown.status_code == 400
    strip = lambda r: re.sub(r'value="[^"]*"', "", r.content.decode())  # noqa: E731
    assert strip(wrong).replace("ABH-2020-999999", case.number) == strip(unknown).replace(
        "ABH-2020-999999", case.number
    )
    for _ in range(4):
        client.post("/a/alpha/status/", {"number": case.number, "code": "WRONGCODE1"})
    # five attempts on this number: even the right code is refused now
    response = client.post("/a/alpha/status/", {"number": case.number, "code": code})
    assert response.status_code == 429
    assert client.get("/a/alpha/status/case/").status_code == 302  # not signed in


@pytest.mark.django_db
def test_status_needs_sign_in_and_case_of_other_authority_unreachable(client, submitted, other_authority):
    application, case, code = submitted
    assert client.get("/a/alpha/status/case/")["Location"].endswith("/status/")
    response = client.post("/a/beta/status/", {"number": case.number, "code": code})
    assert response.status_code == 400


@pytest.mark.django_db
def test_client_data_export_zip(client, submitted):
    import json
    import zipfile

    application, case, code = submitted
    client.post("/a/alpha/status/", {"number": case.number, "code": code})
    response = client.get("/a/alpha/status/my-data.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "no-store" in {d.strip() for d in response["Cache-Control"].split(",")}
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("data.json"))
    assert data["sections"]["person"]["tables"]["person"][0]["family_name"] == "Haddad"
    assert data["sections"]["cases"]["tables"]["cases"][0]["number"] == case.number
    assert data["sections"]["applications"]["tables"]["applications"][0]["id"] == application.pk
    assert "internal_notes" not in data["sections"]["cases"]["tables"]  # the client's copy
    assert any(name.startswith("files/efile/") for name in archive.namelist())
    assert AuditEntry.objects.filter(action="export", person_id=case.person_id).exists()


@pytest.mark.django_db
def test_receipt_task_runs_once(submitted, django_capture_on_commit_callbacks):
    from willkommen.applications.tasks import send_receipt

    application, case, code = submitted
    send_receipt.call(application.pk)
    send_receipt.call(application.pk)
    assert Document.objects.filter(case=case, document_type="receipt").count() == 1
    assert len([m for m in mail.outbox if case.number in m.subject]) <= 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_submits_with_same_key_make_one_case(authority, anliegen, routed_team):
    import datetime as dt
    import threading

    from django.db import connection

    from .conftest import PERSONAL

    application = services.start_draft(authority, anliegen, "en")
    services.save_personal(
        application, dict(PERSONAL, date_of_birth=dt.date(1995, 4, 2), nationalities=["SYR"], permit_valid_until=None)
    )
    services.save_answers(application, {"married": False})
    services.acknowledge_information(application)
    barrier = threading.Barrier(20)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            result = services.submit(application, idempotency_key="same-key")
            results.append((result.case.pk, result.access_code))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Case.objects.filter(authority=authority).count() == 1
    assert len(set(results)) == 1


@pytest.mark.django_db(transaction=True)
def test_the_receipt_download_is_rendered_off_the_request(draft, client, monkeypatch, mailoutbox):
    """The receipt job renders the client's PDF once (for the mail) and keeps it; the download serves it."""
    from willkommen.applications import receipt

    services.submit(draft, idempotency_key="off-the-request")  # the job runs on commit
    draft.refresh_from_db()
    attached = mailoutbox[-1].attachments[0][1]
    monkeypatch.setattr(receipt, "render_receipt", lambda *a, **k: pytest.fail("rendered in the request"))
    session = client.session
    session["applications"] = [str(draft.public_id)]
    session.save()
    response = client.get(f"/a/alpha/apply/{draft.public_id}/receipt.pdf")
    assert response.status_code == 200 and response.content == attached


@pytest.mark.django_db
def test_receipt_sections_read_the_case_once_and_label_documents_per_language(submitted):
    """German and the client's language share one read of the case's documents, request and checklist; each
    section names the received documents in its own language."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from willkommen.applications.selectors import receipt_sections

    application, case, _code = submitted
    with CaptureQueriesContext(connection) as one:
        receipt_sections(case, application, ["de"])
    with CaptureQueriesContext(connection) as two:
        german, english = receipt_sections(case, application, ["de", "en"])
    # the second language adds only its texts, not another read of documents, request and checklist
    assert len(two) - len(one) <= 2, [q["sql"][:80] for q in two.captured_queries]
    assert [d.label for d in german["documents"]] == ["Reisepass"]
    assert [d.label for d in english["documents"]] == ["Passport"]
    assert german["documents"][0].pk == english["documents"][0].pk
    assert {e.key for e in german["missing"]} == {e.key for e in english["missing"]} != set()
