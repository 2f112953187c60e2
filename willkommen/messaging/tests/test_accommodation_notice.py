"""Notices to "all residents of an accommodation": exactly the current residents (not those who moved
out, not another authority's), each in their language, with delivery figures."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from willkommen.accommodation import services as accommodation
from willkommen.accommodation.models import Accommodation
from willkommen.messaging import services
from willkommen.messaging.models import GroupNotice

from .conftest import make_person

pytestmark = pytest.mark.django_db
NOTICES = "/desk/messaging/notices/"
TEXTS = {
    "group": "accommodation",
    "subject_de": "Hausversammlung",
    "body_de": "Am Freitag um 18 Uhr ist Hausversammlung.",
    "subject_en": "House meeting",
    "body_en": "House meeting on Friday at 6 pm.",
    "subject_ar": "اجتماع السكان",
    "body_ar": "اجتماع السكان يوم الجمعة الساعة السادسة مساءً.",
    "subject_uk": "Збори мешканців",
    "body_uk": "Збори мешканців у п’ятницю о 18:00.",
}


def place(authority, person, where, days_ago=30):
    return accommodation.place(authority, person, where, moved_in=timezone.localdate() - dt.timedelta(days=days_ago))


@pytest.fixture
def fuchsbau(authority):
    return Accommodation.objects.create(authority=authority, name="GU Am Fuchsbau", capacity=50)


def test_notice_reaches_exactly_the_current_residents_in_their_languages(
    staff_client, authority, other_authority, fuchsbau, django_capture_on_commit_callbacks
):
    residents = [
        make_person(authority, email="ar@example.org", preferred_language="ar", family_name="Haddad"),
        make_person(authority, email="uk@example.org", preferred_language="uk", family_name="Melnyk"),
        make_person(authority, email="fa@example.org", preferred_language="fa", family_name="Ahmadi"),  # → en
        make_person(authority, email="", phone="", preferred_language="tr", family_name="Yilmaz"),  # portal only
    ]
    for person in residents:
        place(authority, person, fuchsbau)
    moved_out = make_person(authority, email="gone@example.org", preferred_language="ar", family_name="Diallo")
    accommodation.move_out(authority, place(authority, moved_out, fuchsbau), on=timezone.localdate())
    elsewhere = Accommodation.objects.create(authority=authority, name="Lindenhof", capacity=10)
    place(authority, make_person(authority, email="other@example.org", family_name="Lindner"), elsewhere)
    foreign_home = Accommodation.objects.create(authority=other_authority, name="GU Am Fuchsbau", capacity=10)
    place(other_authority, make_person(other_authority, email="beta@example.org"), foreign_home)
    make_person(authority, email="nohome@example.org", family_name="Ohne")  # a client without a placement

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(NOTICES, {**TEXTS, "accommodation": fuchsbau.pk})
    assert response.status_code == 302
    notice = GroupNotice.objects.get()
    assert notice.accommodation == fuchsbau and notice.group == "accommodation"
    assert {m.person for m in notice.messages.all()} == set(residents)
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert bodies == {
        "ar@example.org": TEXTS["body_ar"],
        "uk@example.org": TEXTS["body_uk"],
        "fa@example.org": TEXTS["body_en"],  # no Farsi text: English
    }
    page = staff_client.get(response["Location"])
    figures = page.context["figures"]
    assert (figures["recipients"], figures["delivered"], figures["portal_only"], figures["failed"]) == (4, 3, 1, 0)
    assert figures["waiting"] == 0
    assert figures["by_language"] == {"ar": 1, "uk": 1, "en": 2}  # Farsi and Turkish fall back to English
    assert figures["by_channel"] == {"email": 3, "portal": 1}
    assert "GU Am Fuchsbau" in page.content.decode()


def test_group_recipients_follow_the_accommodation_room(authority, other_authority, fuchsbau):
    staying = make_person(authority, family_name="Bleibt")
    leaving = make_person(authority, family_name="Geht")
    place(authority, staying, fuchsbau)
    gone = place(authority, leaving, fuchsbau)
    assert set(services.group_recipients(authority, "accommodation", accommodation=fuchsbau)) == {staying, leaving}
    accommodation.move_out(authority, gone)
    assert list(services.group_recipients(authority, "accommodation", accommodation=fuchsbau)) == [staying]
    # Another authority asking about this accommodation gets nobody.
    assert list(services.group_recipients(other_authority, "accommodation", accommodation=fuchsbau)) == []
    assert list(services.group_recipients(authority, "accommodation", accommodation=None)) == []
    with pytest.raises(ValueError):
        services.send_group_notice(
            other_authority, group="accommodation", texts={"de": {"body": "x"}}, accommodation=fuchsbau
        )
    with pytest.raises(ValueError):
        services.send_group_notice(authority, group="accommodation", texts={"de": {"body": "x"}})


def test_the_form_needs_an_accommodation_of_this_authority(staff_client, authority, other_authority, fuchsbau):
    staff_client.cookies["willkommen_language"] = "en"
    missing = staff_client.post(NOTICES, TEXTS)
    assert missing.status_code == 400 and "Please choose the accommodation." in missing.content.decode()
    foreign = Accommodation.objects.create(authority=other_authority, name="Fremd", capacity=5)
    assert staff_client.post(NOTICES, {**TEXTS, "accommodation": foreign.pk}).status_code == 400
    assert staff_client.post(NOTICES, {**TEXTS, "accommodation": "abc"}).status_code == 400
    inactive = Accommodation.objects.create(authority=authority, name="Zu", capacity=5, active=False)
    assert staff_client.post(NOTICES, {**TEXTS, "accommodation": inactive.pk}).status_code == 400
    assert not GroupNotice.objects.exists()


def test_a_link_preselects_the_accommodation(staff_client, fuchsbau):
    staff_client.cookies["willkommen_language"] = "en"
    page = staff_client.get(NOTICES, {"group": "accommodation", "accommodation": fuchsbau.pk})
    assert page.status_code == 200
    body = page.content.decode()
    assert f'<option value="{fuchsbau.pk}" selected>GU Am Fuchsbau</option>' in body
    assert '<option value="accommodation" selected>All residents of an accommodation</option>' in body
    assert staff_client.get(NOTICES, {"group": "nonsense", "accommodation": "x"}).status_code == 200
