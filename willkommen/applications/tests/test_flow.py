import re

import pytest
from django.core import mail

from willkommen.applications.models import Application
from willkommen.cases.models import Case
from willkommen.efile.models import Document

from .conftest import PERSONAL, file, pdf_bytes, web_apply


def _key(response):
    return re.search(r'name="idempotency_key" value="([^"]+)"', response.content.decode()).group(1)


@pytest.mark.django_db
def test_apply_submit_receipt_and_email(client, anliegen, routed_team, django_capture_on_commit_callbacks):
    application, review = web_apply(client, anliegen)
    page = review.content.decode()
    assert "Marriage certificate" in page and "Still missing" in page  # shows what is missing before submit
    assert "Art. 13" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/a/alpha/apply/{application.public_id}/review/",
            {"idempotency_key": _key(review), "acknowledge": "yes"},
        )
    assert response.status_code == 302
    case = Case.objects.get()
    assert re.fullmatch(r"ABH-\d{4}-\d{6}", case.number)
    assert case.source == "online" and case.team == routed_team
    receipt = client.get(response["Location"])
    text = receipt.content.decode()
    assert case.number in text
    code = re.search(r'class="access-code"><bdi dir="ltr">([A-Z0-9]+)<', text).group(1)
    assert "Marriage certificate" in text  # still missing
    # e-mail with the receipt PDF (German + client's language)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [PERSONAL["email"]]
    assert case.number in message.subject and code in message.body
    assert message.attachments[0][0] == f"Eingangsbestaetigung-{case.number}.pdf"
    # the e-file holds the uploads and the receipt copy, linked to the case
    types = sorted(Document.objects.filter(case=case).values_list("document_type", flat=True))
    assert types == ["passport", "photo", "receipt"]
    application.refresh_from_db()
    assert application.status == "submitted" and application.receipt_sent_at


@pytest.mark.django_db
def test_double_submit_same_key_gives_one_case_and_same_code(client, anliegen, routed_team):
    application, review = web_apply(client, anliegen)
    key = _key(review)
    url = f"/a/alpha/apply/{application.public_id}/review/"
    first = client.post(url, {"idempotency_key": key, "acknowledge": "yes"})
    second = client.post(url, {"idempotency_key": key, "acknowledge": "yes"})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Case.objects.count() == 1
    codes = {
        re.search(
            r'class="access-code"><bdi dir="ltr">([A-Z0-9]+)<', client.get(first["Location"]).content.decode()
        ).group(1)
    }
    assert len(codes) == 1


@pytest.mark.django_db
def test_service_submit_is_idempotent(draft):
    from willkommen.applications.services import submit

    first = submit(draft, idempotency_key="k-1")
    again = submit(draft, idempotency_key="k-1")
    other_key = submit(draft, idempotency_key="k-2")  # a submitted application stays submitted once
    assert first.created and not again.created and not other_key.created
    assert first.case.pk == again.case.pk == other_key.case.pk
    assert first.access_code == again.access_code
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_submit_refused_without_acknowledgement_changes_nothing(client, anliegen, routed_team):
    application, review = web_apply(client, anliegen, upload=False)
    response = client.post(f"/a/alpha/apply/{application.public_id}/review/", {"idempotency_key": _key(review)})
    assert response.status_code == 400
    assert "read how we use your data" in response.content.decode()
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_bad_upload_in_portal_is_400_and_nothing_stored(client, anliegen, routed_team, _media):
    application, _review = web_apply(client, anliegen, upload=False)
    response = client.post(
        f"/a/alpha/apply/{application.public_id}/documents/",
        {"file-passport": file("pass.pdf", b"<html><script>alert(1)</script>"), "file-photo": file("x.png", b"")},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "not accepted" in page and "empty" in page
    assert application.uploads.count() == 0
    assert [p for p in _media.rglob("*") if p.is_file()] == []


@pytest.mark.django_db
def test_application_limit(client, draft, settings):
    from willkommen.applications import services
    from willkommen.efile.uploads import UploadRejected

    settings.UPLOAD_MAX_APPLICATION_MB = 0
    with pytest.raises(UploadRejected, match="100|MB"):
        services.add_upload(draft, "photo", file("p.pdf", pdf_bytes()))


@pytest.mark.django_db
def test_personal_data_validation(client, anliegen):
    client.post(f"/a/alpha/apply/start/{anliegen.slug}/")
    application = Application.objects.get()
    bad = dict(PERSONAL, date_of_birth="2999-01-01", nationalities="Syria!!", email="nope")
    response = client.post(f"/a/alpha/apply/{application.public_id}/personal/", bad)
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.personal == {}


@pytest.mark.django_db
def test_draft_of_another_session_or_authority_is_404(client, draft, other_authority):
    assert client.get(f"/a/alpha/apply/{draft.public_id}/personal/").status_code == 404
    session = client.session
    session["applications"] = [str(draft.public_id)]
    session.save()
    assert client.get(f"/a/alpha/apply/{draft.public_id}/personal/").status_code == 200
    assert client.get(f"/a/beta/apply/{draft.public_id}/personal/").status_code == 404


@pytest.mark.django_db
def test_resume_by_magic_link(client, draft):
    response = client.post("/a/alpha/apply/resume/", {"email": PERSONAL["email"]})
    assert response.status_code == 200
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    path = link.replace("http://testserver", "")
    assert client.get(path).status_code == 200  # a button; the POST behind it uses the link
    assert client.post(path)["Location"] == "/a/alpha/apply/mine/"
    page = client.get("/a/alpha/apply/mine/").content.decode()
    assert str(draft.public_id) in page
    assert client.get(f"/a/alpha/apply/{draft.public_id}/documents/").status_code == 200
    # an unknown address gets the same answer and no mail
    count = len(mail.outbox)
    response = client.post("/a/alpha/apply/resume/", {"email": "nobody@example.org"})
    assert response.status_code == 200 and len(mail.outbox) == count


@pytest.mark.django_db
def test_abandoned_drafts_dry_run_then_delete(draft, _media, settings):
    import datetime as dt

    from django.utils import timezone

    from willkommen.applications.services import delete_abandoned_drafts

    later = timezone.now() + dt.timedelta(days=settings.APPLICATION_DRAFT_RETENTION_DAYS + 1)
    assert delete_abandoned_drafts(timezone.now(), dry_run=False) == []
    report = delete_abandoned_drafts(later, dry_run=True)
    assert report == [{"application": str(draft.public_id), "authority": "alpha", "files": 1}]
    assert Application.objects.filter(pk=draft.pk).exists()
    files_before = [p for p in _media.rglob("*") if p.is_file()]
    assert len(files_before) == 1
    from django.test.utils import CaptureQueriesContext  # noqa: F401

    delete_abandoned_drafts(later, dry_run=False)
    assert not Application.objects.filter(pk=draft.pk).exists()
    from willkommen.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="delete", purpose__contains="abandoned draft").count() == 1
