"""REST API of the ServicePoint: staff endpoints (token or verified session, capability, authority),
the public call display state, bad input (4xx with a clear message, nothing changed)."""

import re

import pytest
from django.test import Client

from willkommen.core.testing import make_integration, make_location, token_client, verified_login
from willkommen.servicepoint import api, services
from willkommen.servicepoint.models import Status, Ticket

from .conftest import open_always


@pytest.fixture
def sp_account(authority):
    """The kiosk system: an integration account acting as the ServicePoint, writing its room."""
    return make_integration(authority, {"servicepoint": "write"}, acts_as="servicepoint", name="Kiosk")


@pytest.fixture
def sp_api(sp_account):
    return token_client(sp_account[2])


def tickets_url(location):
    return f"/api/v1/servicepoint/locations/{location.pk}/tickets/"


def call_url(location):
    return f"/api/v1/servicepoint/locations/{location.pk}/call-next/"


def finish_url(ticket):
    return f"/api/v1/servicepoint/tickets/{ticket.pk}/finish/"


def display_url(station):
    return f"/api/v1/servicepoint/display/{station.display_key}/"


# --- staff: the working day ------------------------------------------------------------------------


def test_issue_call_finish_and_list(sp_api, authority, location, sp_account):
    issued = sp_api.post(
        tickets_url(location), {"category": "drop_off", "language": "ar", "urgent": True}, format="json"
    )
    assert issued.status_code == 201, issued.content
    body = issued.json()
    assert body["number"] == "B001" and body["priority"] == "urgent" and body["language"] == "ar"
    assert body["status"] == "waiting" and body["ahead"] == 0 and body["sms"] is False
    ticket = Ticket.objects.get()
    assert ticket.issued_by == sp_account[0].user  # the integration account, never a staff member

    second = sp_api.post(tickets_url(location), {"category": "forms"}, format="json").json()
    assert second["ahead"] == 1 and second["estimated_wait_minutes"] > 0

    called = sp_api.post(call_url(location), {"counter": "4"}, format="json")
    assert called.status_code == 200
    assert called.json()["number"] == "B001" and called.json()["counter"] == "4"
    assert called.json()["status"] == "called"

    finished = sp_api.post(finish_url(ticket), {"outcome": "documents_received"}, format="json")
    assert finished.status_code == 200
    assert finished.json()["status"] == "done" and finished.json()["outcome"] == "documents_received"

    listing = sp_api.get(tickets_url(location))
    assert listing.status_code == 200
    assert [(t["number"], t["status"]) for t in listing.json()] == [("B001", "done"), ("C002", "waiting")]
    assert sp_api.get(tickets_url(location) + "?status=waiting").json()[0]["number"] == "C002"
    # no mobile number, ever
    assert "phone" not in listing.content.decode()


def test_issue_with_a_mobile_number(sp_api, location, settings):
    settings.MESSAGING_SMS_URL = "http://127.0.0.1:9"
    response = sp_api.post(tickets_url(location), {"category": "forms", "phone": "0151 2345 6789"}, format="json")
    assert response.status_code == 201
    assert response.json()["sms"] is True and "2345" not in response.content.decode()
    assert Ticket.objects.get().phone == "+4915123456789"


def test_call_when_nobody_waits_is_204(sp_api, location):
    response = sp_api.post(call_url(location), {"counter": "1"}, format="json")
    assert response.status_code == 204


def test_session_with_second_factor_works_too(client, sp_staff, location):
    verified_login(client, sp_staff)
    response = client.post(tickets_url(location), {"category": "forms"}, content_type="application/json")
    assert response.status_code == 201
    assert client.get(tickets_url(location)).status_code == 200


# --- staff: who may ------------------------------------------------------------------------------------


def test_anonymous_and_unverified_sessions_are_refused(client, sp_staff, location):
    assert client.get(tickets_url(location)).status_code == 401
    plain = Client()
    plain.force_login(sp_staff)  # password only, no second factor
    assert plain.get(tickets_url(location)).status_code == 401
    assert plain.post(tickets_url(location), {"category": "forms"}).status_code == 401
    assert not Ticket.objects.exists()


def test_a_role_without_the_servicepoint_capability_is_refused(authority, team, location):
    _account, _token, key = make_integration(authority, {"servicepoint": "write"}, acts_as="caseworker", teams=[team])
    client = token_client(key)
    assert client.get(tickets_url(location)).status_code == 403
    assert client.post(tickets_url(location), {"category": "forms"}, format="json").status_code == 403
    assert not Ticket.objects.exists()


def test_another_authoritys_location_and_ticket_are_404(sp_api, authority, other_authority, location):
    foreign = open_always(make_location(other_authority, "Fremd", cap=10))
    theirs = services.issue_ticket(other_authority, foreign, "forms")
    services.call_next(other_authority, foreign, counter="1")
    assert sp_api.get(tickets_url(foreign)).status_code == 404
    assert sp_api.post(tickets_url(foreign), {"category": "forms"}, format="json").status_code == 404
    assert sp_api.post(call_url(foreign), {"counter": "1"}, format="json").status_code == 404
    assert sp_api.post(finish_url(theirs), {"outcome": "solved"}, format="json").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Status.CALLED
    assert Ticket.objects.filter(location=foreign).count() == 1


def test_a_token_works_only_at_its_own_authority(sp_api, other_authority, location):
    response = sp_api.get(f"/a/{other_authority.slug}" + tickets_url(location))
    assert response.status_code == 401  # the token is unknown there: nothing is told about the location


# --- staff: bad input, nothing changed ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload, field",
    [
        ({}, "category"),
        ({"category": "check_in"}, "category"),
        ({"category": "nonsense"}, "category"),
        ({"category": "forms", "language": "xx"}, "language"),
        ({"category": "forms", "phone": "030 1234567"}, "phone"),
        ({"category": "forms", "urgent": "maybe"}, "urgent"),
    ],
)
def test_bad_ticket_input_is_400_with_field_errors(sp_api, location, payload, field):
    response = sp_api.post(tickets_url(location), payload, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Please check your entries." and field in body["errors"]
    assert not Ticket.objects.exists()


def test_bad_phone_message_is_clear(sp_api, location):
    response = sp_api.post(
        tickets_url(location), {"category": "forms", "phone": "12"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "mobile number" in response.json()["errors"]["phone"][0]


def test_closed_location_is_409_and_nothing_is_stored(sp_api, location):
    location.opening_hours.all().delete()
    response = sp_api.post(tickets_url(location), {"category": "forms"}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert "closed" in response.json()["detail"]
    assert not Ticket.objects.exists()


def test_full_waiting_room_is_409_with_a_time_to_come_back(sp_api, authority, location):
    for _i in range(location.waiting_room_cap):
        services.issue_ticket(authority, location, "forms")
    response = sp_api.post(tickets_url(location), {"category": "forms"}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert "full" in response.json()["detail"]
    assert Ticket.objects.count() == location.waiting_room_cap


def test_call_without_counter_is_400(sp_api, authority, location):
    services.issue_ticket(authority, location, "forms")
    for payload in ({}, {"counter": "   "}, {"counter": "x" * 31}):
        response = sp_api.post(call_url(location), payload, format="json")
        assert response.status_code == 400 and "counter" in response.json()["errors"]
    assert Ticket.objects.get().status == Status.WAITING


def test_bad_status_filter_is_400(sp_api, location):
    response = sp_api.get(tickets_url(location) + "?status=lost")
    assert response.status_code == 400 and "status" in response.json()["errors"]


def test_finishing_a_waiting_ticket_is_409_and_a_bad_outcome_400(sp_api, authority, location):
    ticket = services.issue_ticket(authority, location, "forms")
    response = sp_api.post(finish_url(ticket), {"outcome": "solved"}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409 and "changed in the meantime" in response.json()["detail"]
    services.call_next(authority, location, counter="1")
    for outcome in ("no_show", "nonsense", ""):
        response = sp_api.post(finish_url(ticket), {"outcome": outcome}, format="json")
        assert response.status_code == 400 and "outcome" in response.json()["errors"]
    ticket.refresh_from_db()
    assert ticket.status == Status.CALLED and ticket.outcome == ""
    assert sp_api.post("/api/v1/servicepoint/tickets/999999/finish/", {"outcome": "solved"}).status_code == 404


# --- public: the call display ---------------------------------------------------------------------------------


def test_display_state_is_public_and_without_personal_data(client, authority, location, station, settings):
    settings.MESSAGING_SMS_URL = "http://127.0.0.1:9"
    services.issue_ticket(authority, location, "forms", phone="+4915123456789")
    services.issue_ticket(authority, location, "drop_off")
    services.issue_ticket(authority, location, "booking")
    services.call_next(authority, location, counter="3")
    response = client.get(display_url(station) + "?lang=tr")
    assert response.status_code == 200
    body = response.json()
    assert body["location"] == location.name and body["open"] is True
    assert body["latest"]["number"] == "C001" and body["latest"]["counter"] == "3"
    assert [c["number"] for c in body["calls"]] == ["C001"]
    rows = {row["category"]: row for row in body["waiting"]}
    assert rows["drop_off"]["waiting"] == 1 and rows["booking"]["waiting"] == 1 and rows["forms"]["waiting"] == 0
    assert rows["drop_off"]["letter"] == "B"
    assert rows["forms"]["estimated_minutes"] == rows["drop_off"]["estimated_minutes"] > 0
    assert rows["check_in"]["estimated_minutes"] is None
    assert rows["forms"]["label"] != "Pick up forms"  # Turkish label
    text = response.content.decode()
    for secret in ("+4915123456789", "public_id", "booking_reference", "phone", station.kiosk_key):
        assert secret not in text


def test_display_state_unknown_key_other_authority_bad_language(client, authority, other_authority, station):
    assert client.get("/api/v1/servicepoint/display/forged/").status_code == 404
    assert client.get(f"/a/{other_authority.slug}" + display_url(station)).status_code == 404
    bad = client.get(display_url(station) + "?lang=xx", HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400 and "lang" in bad.json()["errors"]


def test_display_state_is_rate_limited(client, station, monkeypatch):
    monkeypatch.setattr(api.PublicThrottle, "rate", "3/min")
    statuses = [client.get(display_url(station)).status_code for _i in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_schema_documents_the_endpoints_without_renaming_other_enums(client, db):
    schema = client.get("/api/schema/").content.decode()
    for path in [
        "/api/v1/servicepoint/locations/{location_id}/tickets/",
        "/api/v1/servicepoint/locations/{location_id}/call-next/",
        "/api/v1/servicepoint/tickets/{id}/finish/",
        "/api/v1/servicepoint/display/{key}/",
    ]:
        assert path in schema
    assert "Call display state and estimated waits (public)" in schema
    # our status/outcome/category enums stay inline, so no enum elsewhere gets a hash-suffixed name
    assert not re.search(r"(Status|Outcome|Category|Language|Priority)[0-9a-f]{3}Enum", schema, flags=re.I)
