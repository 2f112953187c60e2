"""The administrator edits the status message on the desk, in German and Arabic; the next automatic
status message carries the new text. Only the administrator may edit."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from willkommen.cases import services, transparency
from willkommen.core.testing import make_staff, verified_login
from willkommen.messaging.models import Message, MessageTemplate

from .conftest import make_person

GERMAN = "Guten Tag {name},\n\nNEU: Ihr Antrag {case_number} steht bei: {status}.\n\n{authority}"
ARABIC = "مرحبًا {name}،\n\nجديد: طلبك {case_number} في مرحلة: {status}.\n\n{authority}"


@pytest.fixture
def outbox():
    """The messaging room runs for real here."""
    return None


@pytest.fixture
def admin_client(client, authority):
    return verified_login(client, make_staff(authority, "admin", role="administrator"))


def _days_ago(n):
    return timezone.now() - dt.timedelta(days=n)


def _edit(client, language, body, action="save"):
    return client.post(
        f"/desk/messaging/templates/status_message/{language}/",
        {"subject": "Stand {case_number}", "body": body, action: "1"},
    )


def test_administrator_edits_and_the_next_status_message_carries_the_new_text(
    admin_client, authority, team, anliegen, django_capture_on_commit_callbacks
):
    page = admin_client.get("/desk/messaging/templates/")
    assert page.status_code == 200 and "status_message" in page.content.decode()
    detail = admin_client.get("/desk/messaging/templates/status_message/").content.decode()
    assert detail.count('dir="rtl"') >= 2 and "Olena Kovalenko" in detail  # previews, ar and fa right-to-left
    assert '<bdi dir="ltr">Olena Kovalenko</bdi>' in detail  # the preview is the letter's HTML, not escaped

    preview = _edit(admin_client, "de", GERMAN, action="preview")
    assert preview.status_code == 200 and "NEU: Ihr Antrag" in preview.content.decode()
    assert not MessageTemplate.objects.exists()  # a preview saves nothing
    refused = _edit(admin_client, "de", "Guten Tag {name}, Ihr Antrag {case_number}.")  # {status} is required
    assert refused.status_code == 400 and "{status}" in refused.content.decode()
    assert not MessageTemplate.objects.exists()

    assert _edit(admin_client, "de", GERMAN).status_code == 302
    assert _edit(admin_client, "ar", ARABIC).status_code == 302
    assert MessageTemplate.objects.filter(authority=authority, key="status_message").count() == 2

    german = make_person(authority, "Müller", language="de", email="mueller@example.org")
    arabic = make_person(authority, "Haddad", language="ar", email="haddad@example.org")
    for person in (german, arabic):
        services.open_case(authority, person=person, anliegen=anliegen, team=team, received_at=_days_ago(30))
    with django_capture_on_commit_callbacks(execute=True):
        assert transparency.send_due_auto_messages(on=timezone.localdate()) == {"status": 2}

    by_person = {m.person_id: m for m in Message.objects.filter(template_key="status_message")}
    assert "NEU: Ihr Antrag ABH-" in by_person[german.pk].body and "steht bei: eingegangen" in by_person[german.pk].body
    assert "جديد: طلبك ABH-" in by_person[arabic.pk].body and "NEU" not in by_person[arabic.pk].body
    mails = {m.to[0]: m for m in mail.outbox}
    assert "NEU: Ihr Antrag" in mails["mueller@example.org"].body
    assert "جديد: طلبك" in mails["haddad@example.org"].body


@pytest.mark.parametrize("role", ["caseworker", "team_lead", "head_of_office", "servicepoint"])
def test_only_the_administrator_edits_templates(client, authority, team, role):
    verified_login(client, make_staff(authority, f"u-{role}", role=role, teams=[team]))
    for url in ("/desk/messaging/templates/", "/desk/messaging/templates/status_message/"):
        assert client.get(url).status_code == 403
    assert _edit(client, "de", GERMAN).status_code == 403
    assert not MessageTemplate.objects.exists()


def test_unknown_key_or_language_is_404(admin_client):
    assert admin_client.get("/desk/messaging/templates/no_such_text/").status_code == 404
    assert admin_client.get("/desk/messaging/templates/status_message/xx/").status_code == 404


def test_start_from_an_earlier_version_or_the_shipped_text(admin_client, authority):
    assert _edit(admin_client, "de", GERMAN).status_code == 302
    page = admin_client.get("/desk/messaging/templates/status_message/de/").content.decode()
    assert "NEU: Ihr Antrag" in page
    page = admin_client.get("/desk/messaging/templates/status_message/de/?version=0").content.decode()
    assert "hier ist der regelmäßige Zwischenstand" in page
