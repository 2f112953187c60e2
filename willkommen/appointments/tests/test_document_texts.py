"""The booking's PDF and calendar file take their words from the template store (issue 11): an administrator
edits a text on the desk, and the next download – the documents are cached – carries the new text, in
German and in Arabic."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from willkommen.appointments import services
from willkommen.appointments.testing import applicant
from willkommen.core.testing import make_staff, verified_login
from willkommen.letters.tests.pdfcheck import logical_text


@pytest.fixture
def admin_client(client, authority):
    return verified_login(client, make_staff(authority, "admin", role="administrator"))


def _confirmed(authority, future_slot, language):
    booking, token = services.hold(
        authority, slot_id=future_slot.pk, anliegen=future_slot.anliegen, applicant=applicant(language=language)
    )
    services.confirm(authority, booking.reference, token)
    detail = reverse("appointments:detail", args=[booking.reference, token])
    return booking, detail


def _pdf(client, detail):
    response = client.get(detail + "appointment.pdf")
    assert response.status_code == 200
    return " ".join(logical_text(response.content))


def _description(client, detail):
    response = client.get(detail + "appointment.ics")
    assert response.status_code == 200
    event = next(c for c in Calendar.from_ical(response.content).walk() if c.name == "VEVENT")
    return str(event["description"])


def _edit(client, key, language, subject, body):
    response = client.post(
        f"/desk/messaging/templates/{key}/{language}/", {"subject": subject, "body": body, "save": "1"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.mark.parametrize(
    ("language", "shipped_heading", "shipped_description", "heading", "intro", "description"),
    [
        (
            "de",
            "Terminbestätigung",
            "Buchungsnummer:",
            "Ihre Einladung",
            "Bitte zeigen Sie Ihr Blatt am Eingang",
            "Termin Nummer {reference} – bitte Pass mitbringen",
        ),
        (
            "ar",
            "تأكيد الموعد",
            "رقم الحجز:",
            "دعوتك",
            "يرجى إظهار الورقة عند المدخل",
            "موعد رقم {reference} – يرجى إحضار جواز السفر",
        ),
    ],
)
def test_an_edit_on_the_desk_shows_in_the_next_pdf_and_calendar_file(
    client,
    admin_client,
    authority,
    future_slot,
    language,
    shipped_heading,
    shipped_description,
    heading,
    intro,
    description,
):
    booking, detail = _confirmed(authority, future_slot, language)
    before = _pdf(client, detail)
    assert shipped_heading in before and "ServicePoint" in before  # the shipped texts, in the booking's language
    assert shipped_description in _description(client, detail) and booking.reference in _description(client, detail)

    _edit(admin_client, "booking_pdf_intro", language, heading, intro + " ({name}).")
    _edit(admin_client, "booking_calendar_description", language, "", description)

    after = _pdf(client, detail)
    assert heading in after and intro in after and "Amina" in after
    assert shipped_heading not in after
    text = _description(client, detail)
    assert text == description.replace("{reference}", booking.reference)
    assert shipped_description not in text


def test_the_fingerprint_changes_with_an_edit_only_of_the_texts_asked_for(authority, caseworker):
    from willkommen.messaging.services import save_template_version, text_fingerprint

    keys = ["booking_pdf_intro"]
    first = text_fingerprint(authority, keys, "ar")
    assert text_fingerprint(authority, keys, "ar") == first
    save_template_version(authority, "booking_pdf_bring", "ar", subject="x", body="y", user=caseworker)
    assert text_fingerprint(authority, keys, "ar") == first  # another key: the document stays cached
    save_template_version(authority, "booking_pdf_intro", "de", subject="x", body="y", user=caseworker)
    assert text_fingerprint(authority, keys, "ar") != first  # German is the fallback of every language
    second = text_fingerprint(authority, keys, "ar")
    save_template_version(authority, "booking_pdf_intro", "ar", subject="x", body="y", user=caseworker)
    assert text_fingerprint(authority, keys, "ar") != second
