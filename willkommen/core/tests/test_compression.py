"""Pages go out gzip-compressed to clients that accept it (issue 14, page weight); PDFs and static files do not
pass through the compression (PDFs keep their bytes and length, WhiteNoise serves its own .br/.gz)."""

import gzip

import pytest

from willkommen.catalogue.testing import make_anliegen

pytestmark = pytest.mark.django_db


@pytest.fixture
def study(authority):
    return make_anliegen(authority, "study")


def test_a_page_is_compressed_when_the_client_accepts_it(client, study):
    plain = client.get("/checklist/study/", HTTP_ACCEPT_LANGUAGE="uk")
    packed = client.get("/checklist/study/", HTTP_ACCEPT_LANGUAGE="uk", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain and packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"] and "Accept-Language" in packed["Vary"]
    page = gzip.decompress(packed.content).decode()
    assert page.startswith("<!DOCTYPE html>") and 'lang="uk"' in page
    assert len(packed.content) < len(plain.content) / 2


def test_pdfs_and_static_files_are_not_recompressed(client, study):
    pdf = client.get("/checklist/study/checklist.pdf", HTTP_ACCEPT_ENCODING="gzip")
    assert pdf.status_code == 200 and "Content-Encoding" not in pdf
    assert pdf.content.startswith(b"%PDF")
    css = client.get("/static/core/willkommen.css", HTTP_ACCEPT_ENCODING="gzip")
    assert css.status_code == 200
    assert css.get("Content-Encoding") in (None, "gzip")  # WhiteNoise's own .gz when it has one, never twice
    body = b"".join(css.streaming_content) if css.streaming else css.content
    assert (gzip.decompress(body) if css.get("Content-Encoding") else body).lstrip().startswith((b"/*", b":", b"@"))


def test_bad_input_is_still_a_clear_compressed_4xx(client, study):
    response = client.get("/checklist/study/result/?married=maybe", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 400
    assert response["Content-Encoding"] == "gzip" and b"<html" in gzip.decompress(response.content)


def test_api_json_is_compressed_too(client, study):
    import json

    response = client.get("/api/schema/?format=json", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200 and response["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(response.content))["openapi"]
