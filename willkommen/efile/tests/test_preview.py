"""Inline preview in the e-file (issue 15 item 5): a PDF is framed in the document page (same origin only,
never as a page of this site), an image shown as an image; every preview audited; per role the same rights
as the file itself."""

import pytest

from willkommen.audit.models import AuditEntry
from willkommen.core.testing import make_staff, make_team, verified_login
from willkommen.efile import services

from .conftest import pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def pdf(authority, person):
    return services.add_document(
        authority, person, upload("pass.pdf", pdf_bytes()), document_type="passport", source="upload"
    )


@pytest.fixture
def image(authority, person):
    return services.add_document(
        authority, person, upload("foto.png", png_bytes()), document_type="photo", source="upload"
    )


def test_the_document_page_frames_the_pdf_and_the_frame_may_only_be_same_origin(staff_client, pdf):
    page = staff_client.get(f"/a/alpha/desk/efile/document/{pdf.pk}/").content.decode()
    assert f'<iframe class="efile-viewer__pdf" src="/a/alpha/desk/efile/document/{pdf.pk}/preview/"' in page
    assert 'title="Vorschau: Reisepass"' in page
    response = staff_client.get(f"/a/alpha/desk/efile/document/{pdf.pk}/preview/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff" and "no-store" in response["Cache-Control"]
    assert AuditEntry.objects.filter(object_id=str(pdf.pk), detail="inline preview").count() == 1
    # the document page itself still refuses to be framed by anyone
    assert (
        "frame-ancestors 'none'"
        in staff_client.get(f"/a/alpha/desk/efile/document/{pdf.pk}/")["Content-Security-Policy"]
    )


def test_an_image_is_shown_as_an_image_and_has_no_pdf_preview(staff_client, image):
    page = staff_client.get(f"/a/alpha/desk/efile/document/{image.pk}/").content.decode()
    assert f'<img src="/a/alpha/desk/efile/document/{image.pk}/content/"' in page and "<iframe" not in page
    assert staff_client.get(f"/a/alpha/desk/efile/document/{image.pk}/preview/").status_code == 404


EXPECTED = {"caseworker": 200, "team_lead": 200, "accommodation": 403, "partner": 403, "other_authority": 404}


@pytest.mark.parametrize("role", EXPECTED)
def test_preview_per_role(client, authority, other_authority, team, pdf, role):
    if role == "other_authority":
        user = make_staff(other_authority, "bert", role="caseworker", teams=[make_team(other_authority)])
        prefix = "/a/beta"
    else:
        user = make_staff(authority, f"r-{role}", role=role, teams=[team])
        prefix = "/a/alpha"
    verified_login(client, user)
    response = client.get(f"{prefix}/desk/efile/document/{pdf.pk}/preview/")
    assert response.status_code == EXPECTED[role], (role, response.status_code)
    assert (b"%PDF" in response.content) == (EXPECTED[role] == 200)
