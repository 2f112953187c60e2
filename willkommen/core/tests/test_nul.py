"""NUL characters are refused with a clear 400 everywhere (PostgreSQL cannot handle them in text)."""

import pytest


@pytest.mark.django_db
def test_nul_in_query_form_and_api_is_a_clear_400(client, authority):
    client.cookies["willkommen_language"] = "en"
    page = client.get("/checklist/", {"q": "Pass\x00wort"})
    assert page.status_code == 400 and "not allowed (NUL)" in page.content.decode()
    from urllib.parse import urlencode

    body = urlencode({"number": "ABH-2026-000001", "code": "A\x00B"})
    form = client.post("/status/", body, content_type="application/x-www-form-urlencoded")
    assert form.status_code == 400 and "not allowed (NUL)" in form.content.decode()
    # multipart bodies reach the forms, whose fields refuse NUL themselves
    assert client.post("/status/", {"number": "ABH-2026-000001", "code": "A\x00B"}).status_code == 400
    api = client.get("/api/v1/catalogue/anliegen/", {"q": "\x00"})
    assert api.status_code == 400 and "NUL" in api.json()["detail"]
    assert client.get("/checklist/", {"q": "Passwort"}).status_code == 200


@pytest.mark.django_db
def test_nul_message_in_german(client, authority):
    client.cookies["willkommen_language"] = "de"
    page = client.get("/", {"x": "\x00"})
    assert page.status_code == 400 and "nicht erlaubt" in page.content.decode()
