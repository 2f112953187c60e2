"""The notice about changed usage times takes its words from the messaging room's template store (issue 11):
the shipped text in the resident's language, German with the translation note for a language without one,
and the authority's administrator's edit (a new version) in the very next notice."""

import datetime as dt

import pytest
from django.core import mail

from willkommen.accommodation import services
from willkommen.accommodation.models import Room
from willkommen.core.testing import make_staff, verified_login
from willkommen.messaging.models import Message, MessageTemplate

from .conftest import make_accommodation, make_person

pytestmark = pytest.mark.django_db
KEY = "accommodation_usage_times"
T = dt.time
GERMAN = "Hallo {name},\n\nNEU: Küchenzeiten in {accommodation} geändert, Plan im Flur.\n\n{authority}"
ARABIC = "مرحبًا {name}،\n\nجديد: تغيّرت أوقات المطبخ في {accommodation}.\n\n{authority}"


@pytest.fixture
def admin_client(client, authority):
    return verified_login(client, make_staff(authority, "admin", role="administrator"))


@pytest.fixture
def house(authority):
    accommodation = make_accommodation(authority, name="GU Am Fuchsbau", capacity=1)
    services.add_room(authority, accommodation, floor="1", name="101", beds=4)
    return accommodation


@pytest.fixture
def kitchen(authority, house):
    return services.add_shared_room(authority, house, kind="kitchen", name="Küche 1. OG", floor="1")


def _resident(authority, house, family, language):
    person = make_person(authority, family, "Amal", preferred_language=language, email=f"{family}@example.org")
    bed = Room.objects.get(accommodation=house, name="101").beds.filter(placements__isnull=True).first()
    services.place(authority, person, house, bed=bed)
    return person


def _publish(authority, house, kitchen, weekday, capture):
    services.add_slot(authority, kitchen, weekday=weekday, starts_at=T(18), ends_at=T(20), floor="1")
    mail.outbox.clear()
    with capture(execute=True):
        services.publish_usage_changes(authority, house)
    return {m.to[0]: m for m in mail.outbox}


def _edit(client, language, subject, body):
    return client.post(f"/desk/messaging/templates/{KEY}/{language}/", {"subject": subject, "body": body, "save": "1"})


def test_shipped_text_in_the_residents_language_else_german_with_the_note(
    authority, house, kitchen, django_capture_on_commit_callbacks
):
    _resident(authority, house, "Haddad", "ar")
    _resident(authority, house, "Kowalski", "pl")  # no shipped Polish text
    mails = _publish(authority, house, kitchen, 2, django_capture_on_commit_callbacks)
    arabic, polish = mails["Haddad@example.org"], mails["Kowalski@example.org"]
    assert arabic.subject == "أوقات استخدام جديدة للغرف المشتركة"
    assert "مرحبًا Amal Haddad" in arabic.body and "GU Am Fuchsbau" in arabic.body
    assert arabic.body.rstrip().endswith(authority.name)
    assert polish.subject == "Neue Nutzungszeiten für die Gemeinschaftsräume"
    assert polish.body.startswith("Diese Nachricht liegt in Ihrer Sprache noch nicht vor.")
    assert "Ihr Zimmer in GU Am Fuchsbau haben sich geändert" in polish.body
    stored = {m.person.family_name: m for m in Message.objects.filter(template_key=KEY)}
    assert (stored["Haddad"].language, stored["Kowalski"].language) == ("ar", "de")


def test_the_administrators_edit_changes_the_next_notice(
    admin_client, authority, other_authority, house, kitchen, django_capture_on_commit_callbacks
):
    _resident(authority, house, "Haddad", "ar")
    _resident(authority, house, "Mueller", "de")
    refused = _edit(admin_client, "de", "Neue Zeiten", "Hallo {name}, die Küchenzeiten haben sich geändert.")
    assert refused.status_code == 400 and "{accommodation}" in refused.content.decode()  # required placeholder
    assert not MessageTemplate.objects.exists()

    assert _edit(admin_client, "de", "Neue Küchenzeiten: {accommodation}", GERMAN).status_code == 302
    assert _edit(admin_client, "ar", "أوقات جديدة: {accommodation}", ARABIC).status_code == 302
    mails = _publish(authority, house, kitchen, 2, django_capture_on_commit_callbacks)
    german, arabic = mails["Mueller@example.org"], mails["Haddad@example.org"]
    assert german.subject == "Neue Küchenzeiten: GU Am Fuchsbau"
    assert "NEU: Küchenzeiten in GU Am Fuchsbau geändert, Plan im Flur." in german.body
    assert "جديد: تغيّرت أوقات المطبخ في GU Am Fuchsbau." in arabic.body and "NEU" not in arabic.body

    # A second edit is the next version; the next notice carries it.
    assert _edit(admin_client, "de", "Zeiten {accommodation}", GERMAN.replace("NEU:", "NEUER:")).status_code == 302
    versions = MessageTemplate.objects.filter(authority=authority, key=KEY, language="de").values_list("version")
    assert sorted(v for (v,) in versions) == [1, 2]
    mails = _publish(authority, house, kitchen, 3, django_capture_on_commit_callbacks)
    assert "NEUER: Küchenzeiten in GU Am Fuchsbau" in mails["Mueller@example.org"].body

    # Another authority's residents keep the shipped text.
    theirs = make_accommodation(other_authority, name="Lindenhof", capacity=1)
    services.add_room(other_authority, theirs, floor="1", name="101", beds=1)
    _resident(other_authority, theirs, "Lindner", "de")
    their_kitchen = services.add_shared_room(other_authority, theirs, kind="kitchen", name="Küche", floor="1")
    mails = _publish(other_authority, theirs, their_kitchen, 2, django_capture_on_commit_callbacks)
    assert "Ihr Zimmer in Lindenhof haben sich geändert" in mails["Lindner@example.org"].body
