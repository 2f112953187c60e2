"""appointments/booking_route.py: the booking POST answered before the rest of the middleware, with the same
answers and headers as through the whole stack; what it does not take goes the usual way."""

import datetime as dt
import json

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from willkommen.appointments import protection
from willkommen.appointments.models import Booking, Slot
from willkommen.appointments.testing import make_offer

from .test_api import body

PATH = "/api/v1/appointments/bookings/"
ROUTE = "willkommen.appointments.booking_route.BookingRouteMiddleware"


@pytest.fixture
def slot(authority):
    offer = make_offer(authority, workstations=1, horizon=20)
    return Slot.objects.filter(anliegen=offer.anliegen, starts_at__gt=timezone.now() + dt.timedelta(days=2)).first()


def _body(slot, n, **extra):
    proof = protection.solve(protection.new_challenge(f"10.2.0.{n}"))
    return body(slot, n, language="de", altcha=proof, **extra)


def _post(client, body, **headers):
    return client.post(PATH, json.dumps(body), content_type="application/json", **headers)


def test_the_booking_post_is_answered_by_the_route_with_the_stacks_headers(client, slot):
    response = _post(client, _body(slot, 1))
    assert response.status_code == 201
    assert response.wsgi_request.resolver_match is None  # answered before URL resolution: the route
    assert Booking.objects.filter(reference=response.json()["reference"]).exists()
    # what the stack in front of the route set, and what the route sets for the stack behind it
    assert "no-store" in response["Cache-Control"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Content-Language"] == "de"
    assert int(response["Content-Length"]) == len(response.content)


def test_the_route_and_the_view_give_the_same_answers(authority, settings):
    """The same requests (a win, a loss, a field error in Arabic) once through the route and once through the
    whole stack to the view: same status, same body apart from the reference, same caching headers."""
    offer = make_offer(authority, workstations=1, horizon=20)
    first, second = Slot.objects.filter(
        anliegen=offer.anliegen, starts_at__gt=timezone.now() + dt.timedelta(days=2), public_places=1
    ).order_by("starts_at")[:2]
    without_route = [m for m in settings.MIDDLEWARE if m != ROUTE]
    answers = {}
    for label, middleware, offset, slot in (
        ("route", settings.MIDDLEWARE, 10, first),
        ("view", without_route, 20, second),
    ):
        with override_settings(MIDDLEWARE=middleware):
            client = Client()
            won = _post(client, _body(slot, offset))
            lost = _post(client, _body(slot, offset + 1))
            invalid = _post(client, _body(slot, offset + 2, email="no-mail"), HTTP_ACCEPT_LANGUAGE="ar")
        answers[label] = [
            (
                r.status_code,
                {k: v for k, v in r.json().items() if k not in ("reference", "starts_at", "hold_expires_at")},
                r["Cache-Control"],
                r["X-Frame-Options"],
            )
            for r in (won, lost, invalid)
        ]
        assert (won.wsgi_request.resolver_match is None) == (label == "route")
    assert answers["route"] == answers["view"]
    assert [a[0] for a in answers["route"]] == [201, 409, 400]


def test_what_the_route_does_not_take_goes_the_usual_way(client, slot):
    not_an_object = client.post(PATH, "[1, 2]", content_type="application/json")
    assert not_an_object.status_code == 400
    assert not_an_object.wsgi_request.resolver_match is not None  # the view answered
    broken = client.post(PATH, "{", content_type="application/json")
    assert broken.status_code == 400
    assert client.get(PATH).status_code == 405
    assert Booking.objects.count() == 0


def test_nul_characters_are_refused_before_the_route(client, slot):
    response = client.post(PATH + "?x=%00", json.dumps(_body(slot, 30)), content_type="application/json")
    assert response.status_code == 400
    assert Booking.objects.count() == 0
