import datetime as dt
import io
import sys
import types

import pytest
from django.utils import timezone


@pytest.fixture(autouse=True)
def _no_holidays(monkeypatch):
    """Tests must not depend on whether today is a public holiday; the holiday test patches back."""
    from willkommen.servicepoint import opening

    monkeypatch.setattr(opening, "public_holidays", lambda authority, start, end: {})


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    settings.CLAMD_SOCKET = ""
    settings.EFILE_OCR = False


def open_always(location):
    from willkommen.tenancy.models import OpeningHours

    OpeningHours.objects.filter(location=location).delete()
    for weekday in range(7):
        OpeningHours.objects.create(
            authority=location.authority,
            location=location,
            weekday=weekday,
            opens=dt.time(0, 0),
            closes=dt.time(23, 59, 59, 999999),
        )
    return location


@pytest.fixture
def location(authority):
    from willkommen.core.testing import make_location

    return open_always(make_location(authority, "Hauptstelle", cap=5))


@pytest.fixture
def station(location):
    from willkommen.servicepoint.services import station_for

    return station_for(location)


@pytest.fixture
def sp_staff(authority, team):
    from willkommen.core.testing import make_staff

    return make_staff(authority, "sven", role="servicepoint", teams=[team])


@pytest.fixture
def sp_client(client, sp_staff):
    from willkommen.core.testing import verified_login

    return verified_login(client, sp_staff)


@pytest.fixture
def person(authority):
    from willkommen.clients.services import create_person

    return create_person(
        authority, family_name="Yilmaz", given_names="Ayse", date_of_birth=dt.date(1990, 1, 2), email="ay@example.org"
    )


def png_bytes():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (20, 20), (0, 0, 255)).save(out, format="PNG")
    return out.getvalue()


class FakeCheckInError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


@pytest.fixture
def fake_appointments(monkeypatch):
    """Stands in for willkommen.appointments.services.check_in while that room is not there:
    known codes -> a booking; codes are single-use; anything else -> CheckInError."""
    module = types.ModuleType("willkommen.appointments.services")
    module.CheckInError = FakeCheckInError
    module.bookings = {}
    module.calls = []

    def check_in(authority, location, code, *, staff, now=None):
        module.calls.append(code)
        booking = module.bookings.get(code)
        if booking is None:
            raise FakeCheckInError("Unknown booking reference.")
        if booking.location_id != location.pk:
            raise FakeCheckInError("This appointment is at another location.")
        if timezone.localtime(booking.starts_at).date() != timezone.localdate():
            raise FakeCheckInError("This appointment is on another day.")
        if booking.checked_in:
            raise FakeCheckInError("Already checked in.")
        booking.checked_in = True
        return booking

    module.check_in = check_in

    def add(code, location, starts_at, language="tr"):
        module.bookings[code] = types.SimpleNamespace(
            reference=code, location_id=location.pk, starts_at=starts_at, language=language, checked_in=False
        )

    module.add = add
    import willkommen.appointments as package

    monkeypatch.setitem(sys.modules, "willkommen.appointments.services", module)
    monkeypatch.setattr(package, "services", module, raising=False)
    return module


@pytest.fixture
def sms_gateway(settings):
    """The messaging room's local SMS gateway double; SMS go out through its real HTTP shape."""
    from willkommen.messaging.gateway_doubles import GatewayDouble

    double = GatewayDouble().start()
    settings.MESSAGING_SMS_URL = double.url
    settings.MESSAGING_SMS_TOKEN = "secret"
    settings.SERVICEPOINT_SMS_AHEAD = 2
    yield double
    double.stop()
