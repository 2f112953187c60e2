"""Issue 14, finding 10: after writing, "sent" is said once, not twice."""

import pytest
from django.utils import translation

from willkommen.messaging.models import Message

from .conftest import make_case, make_person
from .test_views import PORTAL, sign_in_client

pytestmark = pytest.mark.django_db


def test_sent_confirmation_appears_once(client, authority, team, monkeypatch):
    monkeypatch.setattr("willkommen.messaging.services.send_to_client", lambda *a, **k: None)
    person = make_person(authority, preferred_channel="portal", preferred_language="en")
    make_case(authority, person, team=team)
    sign_in_client(client, authority, person)
    response = client.post(PORTAL, {"subject": "", "body": "Hello"}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert Message.objects.filter(body="Hello").exists()
    with translation.override("en"):
        assert response.content.decode().count("Your message was sent to your caseworker.") == 1
