"""Issue 14, finding 10: the first in line is told "you are next", not "about 0 minutes"; the call display
announces a call in the ticket's language too."""

from django.urls import reverse

from willkommen.servicepoint import services
from willkommen.servicepoint.models import Ticket


def test_first_in_line_is_next_not_zero_minutes(client, station):
    response = client.post(
        reverse("servicepoint:kiosk_ticket", args=[station.kiosk_key]), {"category": "forms", "lang": "en"}
    )
    page = client.get(response["Location"]).content.decode()
    assert "about 0 minutes" not in page and "You are next" in page


def test_display_announces_in_the_tickets_language_too(client, authority, location, station):
    response = client.post(
        reverse("servicepoint:kiosk_ticket", args=[station.kiosk_key]), {"category": "forms", "lang": "ar"}
    )
    assert response.status_code == 302 and Ticket.objects.get().language == "ar"
    services.call_next(authority, location, counter="3")
    html = client.get(
        reverse("servicepoint:display", args=[station.display_key]), HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()
    announce = html.split('id="announce"', 1)[1].split("</div>", 1)[0]
    assert "bitte zu Schalter" in announce  # the display's language
    assert '<span class="announce-own-language" lang="ar" dir="rtl">' in announce and "الرقم" in announce


def test_ics_location_has_no_stray_comma():
    from types import SimpleNamespace

    from willkommen.appointments.documents import ics_location

    full = SimpleNamespace(name="Bürgerbüro", street="Marktplatz 1", postal_code="83999", city="Bergstadt")
    assert ics_location(full) == "Bürgerbüro, Marktplatz 1, 83999 Bergstadt"
    bare = SimpleNamespace(name="Bürgerbüro", street="", postal_code="", city="Bergstadt")
    assert ics_location(bare) == "Bürgerbüro, Bergstadt"
