"""The receipt of an Arabic client: German letterhead and section left to right ("83999 Bergstadt"), the
Arabic section right to left, name and date of birth in rows of their own, the page counter "1 / 2"."""

import pytest

from willkommen.applications import services
from willkommen.letters.tests.pdfcheck import first_page_png, logical_text, visual_lines


@pytest.mark.django_db
def test_receipt_for_an_arabic_client(draft, authority):
    from willkommen.applications.receipt import render_receipt

    authority.postal_code, authority.city, authority.phone = "83999", "Bergstadt", "+49 8999 123-0"
    authority.save()
    draft.language = "ar"
    draft.personal = {**draft.personal, "given_names": "Omar", "family_name": "Al-Khatib"}
    draft.save()
    result = services.submit(draft, idempotency_key="k-ar")
    draft.refresh_from_db()
    content = render_receipt(result.case, draft, access_code=result.access_code)
    logical, pages = logical_text(content), visual_lines(content)
    assert logical[0].startswith(authority.name) and pages[0][0].startswith(f"{authority.name} · ")
    assert "83999 Bergstadt · +49 8999 123-0" in pages[0][0]
    assert any(line.startswith("Antragsteller/in Omar Al-Khatib") for line in pages[0])
    assert any(line.endswith("2. April 1995") and "Geburtsdatum" in line for line in pages[0])
    everything = [line for page in pages for line in page]
    # in the Arabic section the Latin name and the date each keep their order and stand left of the label
    assert sum("Omar Al-Khatib" in line for line in everything) == 2
    assert any(line.startswith("1995 ") for line in everything)  # "2 إبريل، 1995", read from the right
    for number, lines in enumerate(pages, start=1):
        assert lines[-1] == f"{number} / {len(pages)}"
    first_page_png(content)
