"""Issue 10 item 3: signing out ends everything this browser could open, and pages with an access code
or personal data are never kept by the browser (Cache-Control: no-store)."""

import re

import pytest
from django.core import mail

from .conftest import web_apply


def _submit(client, anliegen):
    application, review = web_apply(client, anliegen)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', review.content.decode()).group(1)
    response = client.post(
        f"/a/alpha/apply/{application.public_id}/review/", {"idempotency_key": key, "acknowledge": "yes"}
    )
    assert response.status_code == 302
    return application


def _no_store(response):
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_sign_out_ends_receipt_and_my_applications(client, anliegen, routed_team):
    application = _submit(client, anliegen)
    receipt_url = f"/a/alpha/apply/{application.public_id}/receipt/"
    receipt = client.get(receipt_url)
    assert receipt.status_code == 200 and 'class="access-code"' in receipt.content.decode()
    assert _no_store(receipt)
    mine = client.get("/a/alpha/apply/mine/")
    assert receipt_url in mine.content.decode() and _no_store(mine)
    # The submitter never signed in, yet the portal offers to sign out.
    assert "/a/alpha/signout/" in mine.content.decode()

    out = client.post("/a/alpha/signout/")
    assert out.status_code == 302

    assert client.get(receipt_url).status_code == 404
    assert client.get(f"/a/alpha/apply/{application.public_id}/receipt.pdf").status_code == 404
    after = client.get("/a/alpha/apply/mine/").content.decode()
    assert receipt_url not in after and "No applications found." in after
    assert client.get("/a/alpha/status/case/").status_code == 302  # back to the sign-in


@pytest.mark.django_db
def test_sign_out_after_magic_link_ends_the_identity_and_drafts(client, anliegen, routed_team):
    application, _review = web_apply(client, anliegen, upload=False)
    client.post("/a/alpha/signin/", {"email": "amira@example.org", "next": "/a/alpha/apply/mine/"})
    link = re.search(r"http://testserver(/a/alpha/signin/\S+/)", mail.outbox[-1].body).group(1)
    assert client.post(link).status_code == 302
    mine = client.get("/a/alpha/apply/mine/")
    assert str(application.public_id) in mine.content.decode() and _no_store(mine)
    client.post("/a/alpha/signout/")
    assert str(application.public_id) not in client.get("/a/alpha/apply/mine/").content.decode()
    assert client.get(f"/a/alpha/apply/{application.public_id}/personal/").status_code == 404


@pytest.mark.django_db
def test_status_page_and_downloads_are_not_stored(client, anliegen, routed_team):
    from willkommen.cases.models import Case

    _submit(client, anliegen)
    client.post("/a/alpha/signout/")
    case = Case.objects.get()
    from willkommen.applications import services
    from willkommen.applications.models import Application

    code = services.unseal_code(Application.objects.get())
    signed_in = client.post("/a/alpha/status/", {"number": case.number, "code": code})
    assert signed_in.status_code == 302 and _no_store(signed_in)
    assert _no_store(client.get("/a/alpha/status/case/"))
    assert _no_store(client.get("/a/alpha/status/my-data.zip"))


@pytest.mark.django_db
def test_desk_pages_are_not_stored(staff_client):
    response = staff_client.get("/a/alpha/desk/")
    assert response.status_code == 200 and _no_store(response)
