import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from willkommen.servicepoint import services
from willkommen.servicepoint.models import DropOff, Status, Ticket
from willkommen.tenancy.models import Closure

from .conftest import png_bytes


def kiosk_url(station, lang=None):
    url = reverse("servicepoint:kiosk", args=[station.kiosk_key])
    return f"{url}?lang={lang}" if lang else url


def test_kiosk_in_turkish_issues_a_ticket(client, station):
    page = client.get(kiosk_url(station, "tr"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'lang="tr"' in html and "<svg" in html
    assert 'style="' not in html and "<script>" not in html
    response = client.post(
        reverse("servicepoint:kiosk_ticket", args=[station.kiosk_key]), {"category": "forms", "lang": "tr"}
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.language == "tr" and ticket.category == "forms" and ticket.code == "C001"
    shown = client.get(response["Location"])
    assert shown.status_code == 200
    assert "C001" in shown.content.decode() and 'lang="tr"' in shown.content.decode()
    # the choice is not stored: the next visitor gets the browser's language
    assert 'lang="de"' in client.get(kiosk_url(station)).content.decode()


def test_kiosk_in_arabic_is_right_to_left(client, station):
    assert 'dir="rtl"' in client.get(kiosk_url(station, "ar")).content.decode()


def test_unknown_kiosk_key_or_other_authority_is_404(client, station, other_authority):
    assert client.get(reverse("servicepoint:kiosk", args=["forged"])).status_code == 404
    response = client.get(f"/a/{other_authority.slug}" + kiosk_url(station))
    assert response.status_code == 404
    response = client.post(
        f"/a/{other_authority.slug}" + reverse("servicepoint:kiosk_ticket", args=[station.kiosk_key]),
        {"category": "forms"},
    )
    assert response.status_code == 404 and not Ticket.objects.exists()


def test_kiosk_bad_category_is_a_clear_400(client, station):
    response = client.post(
        reverse("servicepoint:kiosk_ticket", args=[station.kiosk_key]), {"category": "check_in", "lang": "en"}
    )
    assert response.status_code == 400
    assert "Please choose what you have come for." in response.content.decode()
    assert not Ticket.objects.exists()


def test_kiosk_at_the_cap_says_when_to_come_back(client, authority, location, station):
    for _ in range(location.waiting_room_cap):
        services.issue_ticket(authority, location, "quick_info")
    page = client.get(kiosk_url(station, "en")).content.decode()
    assert "waiting room is full" in page and "kiosk-choice" not in page
    assert "Check in" in page  # appointment holders still get in
    response = client.post(
        reverse("servicepoint:kiosk_ticket", args=[station.kiosk_key]), {"category": "forms", "lang": "en"}
    )
    assert response.status_code == 409
    assert Ticket.objects.count() == location.waiting_room_cap


def test_kiosk_closed_location(client, authority, location, station):
    today = timezone.localdate()
    Closure.objects.create(authority=authority, location=location, starts_on=today, ends_on=today)
    assert "closed" in client.get(kiosk_url(station, "en")).content.decode()
    response = client.post(
        reverse("servicepoint:kiosk_ticket", args=[station.kiosk_key]), {"category": "forms", "lang": "en"}
    )
    assert response.status_code == 409 and "closed" in response.content.decode()
    assert not Ticket.objects.exists()


def test_kiosk_check_in_errors_are_clear_and_change_nothing(client, location, station, fake_appointments):
    url = reverse("servicepoint:kiosk_check_in", args=[station.kiosk_key])
    response = client.post(url, {"code": "FORGED", "lang": "en"})
    assert response.status_code == 400 and "Unknown booking reference." in response.content.decode()
    assert client.post(url, {"code": "", "lang": "en"}).status_code == 400
    fake_appointments.add("GOOD1", location, timezone.now())
    assert client.post(url, {"code": "GOOD1", "lang": "en"}).status_code == 302
    reused = client.post(url, {"code": "GOOD1", "lang": "en"})
    assert reused.status_code == 400
    assert Ticket.objects.count() == 1


def test_kiosk_post_is_rate_limited(client, station, settings):
    url = reverse("servicepoint:kiosk_check_in", args=[station.kiosk_key])
    codes = [client.post(url, {"code": "", "lang": "en"}).status_code for _ in range(31)]
    assert codes[-1] == 429


def test_call_display_without_js_refreshes_and_announces(client, authority, location, station):
    ticket = services.issue_ticket(authority, location, "drop_off")
    url = reverse("servicepoint:display", args=[station.display_key])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<noscript><meta http-equiv="refresh" content="10"></noscript>' in html
    assert 'aria-live="polite"' in html and "B001" not in html
    assert 'hx-trigger="every' in html and 'style="' not in html
    services.call_next(authority, location, counter="3")
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "B001" in html and "counter" in html
    board = client.get(reverse("servicepoint:display_board", args=[station.display_key])).content.decode()
    assert "B001" in board and 'id="board-announce" hidden' in board
    ticket.refresh_from_db()
    services.finish(ticket, "documents_received")
    assert "B001" not in client.get(url).content.decode()


def test_display_key_is_not_the_kiosk_key(client, station):
    assert client.get(reverse("servicepoint:display", args=[station.kiosk_key])).status_code == 404


def test_ticket_page_of_another_authority_is_404(client, authority, other_authority, location):
    ticket = services.issue_ticket(authority, location, "forms")
    url = reverse("servicepoint:ticket", args=[ticket.public_id])
    assert client.get(url).status_code == 200
    assert client.get(f"/a/{other_authority.slug}{url}").status_code == 404


# --- desk ---------------------------------------------------------------------------------------


def test_desk_issue_call_and_finish(sp_client, authority, location):
    desk = reverse("servicepoint:desk")
    assert sp_client.get(desk).status_code == 200
    sp_client.post(
        reverse("servicepoint:desk_issue"),
        {"location": location.pk, "category": "quick_info", "language": "uk", "urgent": "on"},
    )
    ticket = Ticket.objects.get()
    assert ticket.priority == "urgent" and ticket.language == "uk" and ticket.issued_by is not None
    sp_client.post(reverse("servicepoint:desk_call"), {"location": location.pk, "counter": "7"})
    ticket.refresh_from_db()
    assert ticket.status == Status.CALLED and ticket.counter == "7"
    page = sp_client.get(desk).content.decode()
    assert "A001" in page
    sp_client.post(reverse("servicepoint:ticket_action", args=[ticket.pk, "start"]))
    sp_client.post(reverse("servicepoint:ticket_action", args=[ticket.pk, "finish"]), {"outcome": "solved"})
    ticket.refresh_from_db()
    assert ticket.status == Status.DONE and ticket.outcome == "solved" and ticket.served_at and ticket.finished_at


def test_desk_bad_input(sp_client, authority, location):
    response = sp_client.post(reverse("servicepoint:desk_call"), {"location": location.pk, "counter": ""})
    assert response.status_code == 302
    ticket = services.issue_ticket(authority, location, "forms")
    sp_client.post(reverse("servicepoint:ticket_action", args=[ticket.pk, "finish"]), {"outcome": "nonsense"})
    ticket.refresh_from_db()
    assert ticket.status == Status.WAITING
    assert sp_client.post(reverse("servicepoint:ticket_action", args=[ticket.pk, "explode"])).status_code == 404


def test_desk_ticket_of_another_authority_is_404(client, authority, other_authority, location):
    from willkommen.core.testing import make_staff, verified_login

    ticket = services.issue_ticket(authority, location, "forms")
    stranger = make_staff(other_authority, "otto", role="servicepoint")
    verified_login(client, stranger)
    response = client.post(
        f"/a/{other_authority.slug}" + reverse("servicepoint:ticket_action", args=[ticket.pk, "no-show"])
    )
    assert response.status_code == 404


@pytest.mark.parametrize("role,status", [("servicepoint", 200), ("caseworker", 403), ("accommodation", 403)])
def test_desk_needs_the_capability(client, authority, location, role, status):
    from willkommen.core.testing import make_staff, verified_login

    verified_login(client, make_staff(authority, f"u-{role}", role=role))
    assert client.get(reverse("servicepoint:desk")).status_code == status


# --- drop-off -----------------------------------------------------------------------------------


def test_drop_off_into_the_file_and_case_with_receipts(sp_client, authority, person, sp_staff):
    from willkommen.efile.models import Document

    upload = SimpleUploadedFile("pass.png", png_bytes(), content_type="image/png")
    response = sp_client.post(
        reverse("servicepoint:drop_off"),
        {"person": person.pk, "file1": upload, "type1": "passport", "title1": "", "type2": "other", "type3": "other"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    drop = DropOff.objects.get()
    document = Document.objects.get()
    assert document.person == person and document.source == "servicepoint" and document.uploaded_by == sp_staff
    assert drop.items[0]["document_id"] == document.pk
    detail = sp_client.get(response["Location"]).content.decode()
    assert "Reisepass" in detail  # the desk in German
    pdf = sp_client.get(reverse("servicepoint:drop_off_receipt", args=[drop.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    from willkommen.audit.models import AuditEntry

    assert AuditEntry.objects.filter(person_id=person.pk, action="read").count() >= 2
    sp_client.post(reverse("servicepoint:drop_off_email", args=[drop.pk]), {"email": "ay@example.org"})
    drop.refresh_from_db()
    assert drop.receipt_emailed_to == "ay@example.org"


def _case_for(authority, person):
    from willkommen.cases.services import open_case
    from willkommen.catalogue.models import Anliegen

    anliegen = Anliegen.objects.create(
        authority=authority,
        slug="study",
        legal_basis="§ 16b AufenthG",
        fee_eur="100.00",
        complexity="simple",
        target_days=14,
        longest_validity_months=24,
    )
    case, _code = open_case(authority, person=person, anliegen=anliegen)
    return case


def test_drop_off_attached_to_the_named_case(sp_client, authority, person):
    from willkommen.efile.models import Document

    case = _case_for(authority, person)
    upload = SimpleUploadedFile("pass.png", png_bytes(), content_type="image/png")
    response = sp_client.post(
        reverse("servicepoint:drop_off"),
        {
            "person": person.pk,
            "case_number": case.number,
            "file1": upload,
            "type1": "passport",
            "type2": "other",
            "type3": "other",
            "email": "ay@example.org",
        },
    )
    assert response.status_code == 302
    assert Document.objects.get().case == case
    drop = DropOff.objects.get()
    assert drop.case == case and drop.receipt_emailed_to == "ay@example.org"


def test_drop_off_with_a_case_of_another_client_is_refused(sp_client, authority, person):
    from willkommen.clients.services import create_person
    from willkommen.efile.models import Document

    other = create_person(authority, family_name="Other", date_of_birth=dt.date(1980, 1, 1))
    case = _case_for(authority, other)
    upload = SimpleUploadedFile("pass.png", png_bytes(), content_type="image/png")
    response = sp_client.post(
        reverse("servicepoint:drop_off"),
        {
            "person": person.pk,
            "case_number": case.number,
            "file1": upload,
            "type1": "passport",
            "type2": "other",
            "type3": "other",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "another client" in response.content.decode()
    assert not Document.objects.exists() and not DropOff.objects.exists()


def test_drop_off_bad_input(sp_client, authority, person, other_authority):
    from willkommen.clients.services import create_person
    from willkommen.efile.models import Document

    stranger = create_person(other_authority, family_name="Fremd", date_of_birth=dt.date(1980, 1, 1))
    fake = SimpleUploadedFile("x.png", b"MZ\x90\x00 not an image", content_type="image/png")
    base = {"type1": "passport", "type2": "other", "type3": "other"}
    r1 = sp_client.post(reverse("servicepoint:drop_off"), {**base, "person": stranger.pk, "file1": fake})
    assert r1.status_code == 400
    fake.seek(0)
    r2 = sp_client.post(reverse("servicepoint:drop_off"), {**base, "person": person.pk, "file1": fake})
    assert r2.status_code == 400
    r3 = sp_client.post(reverse("servicepoint:drop_off"), {**base, "person": person.pk})
    assert r3.status_code == 400
    assert not Document.objects.exists() and not DropOff.objects.exists()
    assert len(mail.outbox) == 0
