import pytest

from willkommen.cases.models import Case

from .conftest import file, pdf_bytes, png

PERSONAL = {
    "family_name": "Kowalenko",
    "given_names": "Olena",
    "date_of_birth": "1990-07-15",
    "nationalities": ["UKR"],
    "city": "Alpha",
    "email": "olena@example.org",
}


def create(client, **extra):
    body = {
        "anliegen": "study",
        "language": "uk",
        "personal": PERSONAL,
        "answers": {"married": "no", "blocked_account": "yes"},
        "acknowledge_information": True,
        **extra,
    }
    return client.post("/a/alpha/api/v1/applications/", body, content_type="application/json")


@pytest.mark.django_db
def test_create_upload_submit_status(client, anliegen, routed_team):
    response = create(client)
    assert response.status_code == 201, response.content
    data = response.json()
    headers = {"HTTP_X_APPLICATION_TOKEN": data["token"]}
    assert set(data["missing"]) == {"passport", "photo", "blocked_account_proof"}
    base = f"/a/alpha/api/v1/applications/{data['id']}"
    up = client.post(f"{base}/documents/", {"checklist_key": "passport", "file": file("p.pdf", pdf_bytes())}, **headers)
    assert up.status_code == 201 and len(up.json()["sha256"]) == 64
    bad = client.post(f"{base}/documents/", {"checklist_key": "photo", "file": file("p.png", b"GIF89a....")}, **headers)
    assert bad.status_code == 400 and bad.json()["code"] == "invalid" and "file" in bad.json()["errors"]
    up = client.post(f"{base}/documents/", {"checklist_key": "photo", "file": file("p.png", png())}, **headers)
    assert up.json()["missing"] == ["blocked_account_proof"]
    assert client.post(f"{base}/submit/", **headers).status_code == 400  # no Idempotency-Key
    first = client.post(f"{base}/submit/", HTTP_IDEMPOTENCY_KEY="abc-1", **headers)
    again = client.post(f"{base}/submit/", HTTP_IDEMPOTENCY_KEY="abc-1", **headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["case_number"] == again.json()["case_number"]
    assert first.json()["access_code"] == again.json()["access_code"]
    assert Case.objects.count() == 1
    status = client.post(
        "/a/alpha/api/v1/applications/status/",
        {"case_number": first.json()["case_number"], "access_code": first.json()["access_code"]},
        content_type="application/json",
    )
    assert status.status_code == 200
    body = status.json()
    assert body["team"] == routed_team.name and [m["key"] for m in body["missing"]] == ["blocked_account_proof"]
    wrong = client.post(
        "/a/alpha/api/v1/applications/status/",
        {"case_number": first.json()["case_number"], "access_code": "XXXXXXXXXX"},
        content_type="application/json",
    )
    unknown = client.post(
        "/a/alpha/api/v1/applications/status/",
        {"case_number": "ABH-1999-000001", "access_code": "XXXXXXXXXX"},
        content_type="application/json",
    )
    assert wrong.status_code == unknown.status_code == 404 and wrong.json() == unknown.json()


@pytest.mark.django_db
def test_wrong_or_missing_token_is_404(client, anliegen):
    data = create(client).json()
    base = f"/a/alpha/api/v1/applications/{data['id']}"
    assert client.post(f"{base}/submit/", HTTP_IDEMPOTENCY_KEY="k").status_code == 404
    assert (
        client.post(f"{base}/submit/", HTTP_IDEMPOTENCY_KEY="k", HTTP_X_APPLICATION_TOKEN="forged").status_code == 404
    )
    other = create(client).json()
    assert (
        client.post(f"{base}/submit/", HTTP_IDEMPOTENCY_KEY="k", HTTP_X_APPLICATION_TOKEN=other["token"]).status_code
        == 404
    )


@pytest.mark.django_db
def test_invalid_input_400(client, anliegen):
    assert create(client, anliegen="nope").status_code == 400
    assert create(client, answers={"married": "perhaps"}).status_code == 400
    assert create(client, personal={**PERSONAL, "date_of_birth": "tomorrow"}).status_code == 400
    assert create(client, acknowledge_information=False).status_code == 400


@pytest.mark.django_db
def test_staff_file_api(client, staff_client, anliegen, routed_team, caseworker, other_authority):
    from willkommen.audit.models import AuditEntry
    from willkommen.core.testing import make_staff, verified_login

    data = create(client).json()
    headers = {"HTTP_X_APPLICATION_TOKEN": data["token"]}
    base = f"/a/alpha/api/v1/applications/{data['id']}"
    client.post(
        f"{base}/documents/", {"checklist_key": "passport", "file": file("p.pdf", pdf_bytes("Zebra"))}, **headers
    )
    number = client.post(f"{base}/submit/", HTTP_IDEMPOTENCY_KEY="x", **headers).json()["case_number"]
    case = Case.objects.get(number=number)
    listing = staff_client.get(f"/a/alpha/api/v1/efile/persons/{case.person_id}/documents/")
    assert listing.status_code == 200 and listing.json()[0]["document_type"] == "passport"
    doc_id = listing.json()[0]["id"]
    content = staff_client.get(f"/a/alpha/api/v1/efile/documents/{doc_id}/content/")
    assert content.status_code == 200 and content.content.startswith(b"%PDF")
    found = staff_client.get("/a/alpha/api/v1/efile/search/?q=Zebra")
    assert [d["id"] for d in found.json()] == [doc_id]
    assert set(AuditEntry.objects.filter(actor=caseworker).values_list("action", flat=True)) == {
        "read",
        "download",
        "search",
    }
    stranger = make_staff(other_authority, "otto", role="caseworker")
    verified_login(client, stranger)
    assert client.get(f"/a/beta/api/v1/efile/persons/{case.person_id}/documents/").status_code == 404
    assert client.get(f"/a/beta/api/v1/efile/documents/{doc_id}/content/").status_code == 404


@pytest.mark.django_db
def test_same_key_from_two_clients_never_shares_a_case(client, anliegen):
    first = create(client).json()
    second = create(client, personal={**PERSONAL, "family_name": "Andere", "email": "b@example.org"}).json()
    one = client.post(
        f"/a/alpha/api/v1/applications/{first['id']}/submit/",
        HTTP_IDEMPOTENCY_KEY="1",
        HTTP_X_APPLICATION_TOKEN=first["token"],
    ).json()
    two = client.post(
        f"/a/alpha/api/v1/applications/{second['id']}/submit/",
        HTTP_IDEMPOTENCY_KEY="1",
        HTTP_X_APPLICATION_TOKEN=second["token"],
    ).json()
    assert one["case_number"] != two["case_number"] and one["access_code"] != two["access_code"]
    assert Case.objects.count() == 2
