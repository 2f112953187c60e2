"""The PDF preview in a real browser that enforces the pages' Content Security Policy: the document page
frames the PDF and Chromium's PDF viewer opens inside the frame (not its error page for a refused frame)."""

import pytest

from willkommen.cases.tests.test_browser import sign_in
from willkommen.core.testing import make_staff, make_team
from willkommen.efile import services

from .conftest import pdf_bytes, upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_pdf_opens_inside_the_document_page(browser, live_server, authority, person, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    settings.CLAMD_SOCKET = ""
    user = make_staff(authority, "clara", teams=[make_team(authority)])
    document = services.add_document(
        authority, person, upload("pass.pdf", pdf_bytes()), document_type="passport", source="upload"
    )
    base = live_server.url
    context = browser.new_context(locale="de-DE", viewport={"width": 1366, "height": 768})  # the real CSP
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        sign_in(page, base, user)
        page.goto(f"{base}/desk/efile/document/{document.pk}/")
        frame = page.locator("iframe.efile-viewer__pdf")
        assert frame.get_attribute("title") == "Vorschau: Reisepass"
        inner = frame.element_handle().content_frame()
        for _ in range(100):  # Chromium's PDF viewer opens inside the frame
            if any(f.url.startswith("chrome-extension://") for f in inner.child_frames):
                break
            page.wait_for_timeout(100)
        assert any(f.url.startswith("chrome-extension://") for f in inner.child_frames), inner.child_frames
    finally:
        context.close()
