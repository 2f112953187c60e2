"""Usage times of shared rooms (issue 19 item 5) and notice posters (item 7): services, desk pages by role
and authority, the plan and the poster as PDF in Arabic, German and Ukrainian, the notice on publishing."""

import datetime as dt
import io
import re

import pytest
from django.db import IntegrityError, transaction
from pypdf import PdfReader

from willkommen.accommodation import selectors, services
from willkommen.accommodation.models import Room, SharedRoom, UsageChange, UsageSlot
from willkommen.core.testing import make_staff, verified_login
from willkommen.messaging.models import GroupNotice, Message

from .conftest import make_accommodation, make_person

pytestmark = pytest.mark.django_db
BASE = "/desk/accommodation/"
T = dt.time


def as_role(client, authority, role):
    return verified_login(client, make_staff(authority, f"u-{role}", role=role))


@pytest.fixture
def house(authority):
    accommodation = make_accommodation(authority, capacity=1)
    services.add_room(authority, accommodation, floor="1", name="101", beds=2)
    services.add_room(authority, accommodation, floor="2", name="201", beds=2)
    return accommodation


@pytest.fixture
def kitchen(authority, house):
    return services.add_shared_room(authority, house, kind="kitchen", name="Küche 1. OG", floor="1")


def room(house, name):
    return Room.objects.get(accommodation=house, name=name)


def test_overlapping_slot_is_refused_with_a_clear_message(authority, house, kitchen):
    services.add_slot(authority, kitchen, weekday=0, starts_at=T(8), ends_at=T(10), floor="1")
    with pytest.raises(services.AccommodationError) as refused:
        services.add_slot(authority, kitchen, weekday=0, starts_at=T(9, 30), ends_at=T(11), room=room(house, "201"))
    assert refused.value.code == "overlap"
    assert "08:00" in refused.value.message and "10:00" in refused.value.message
    # touching times, another day and another shared room are fine
    services.add_slot(authority, kitchen, weekday=0, starts_at=T(10), ends_at=T(11), floor="2")
    services.add_slot(authority, kitchen, weekday=1, starts_at=T(9), ends_at=T(10), floor="2")
    laundry = services.add_shared_room(authority, house, kind="laundry", name="Waschraum")
    services.add_slot(authority, laundry, weekday=0, starts_at=T(9), ends_at=T(10), floor="2")
    assert UsageSlot.objects.count() == 4


def test_the_same_time_or_shared_room_again_is_a_double_submit(authority, house, kitchen):
    first = services.add_slot(authority, kitchen, weekday=0, starts_at=T(8), ends_at=T(10), floor="1")
    again = services.add_slot(authority, kitchen, weekday=0, starts_at=T(8), ends_at=T(10), floor="1")
    assert again.pk == first.pk and UsageSlot.objects.count() == 1
    assert UsageChange.objects.count() == 1
    with pytest.raises(services.AccommodationError):  # same time for another floor: an overlap
        services.add_slot(authority, kitchen, weekday=0, starts_at=T(8), ends_at=T(10), floor="2")
    assert services.add_shared_room(authority, house, kind="kitchen", name="Küche 1. OG", floor="1").pk == kitchen.pk
    with pytest.raises(services.AccommodationError) as refused:
        services.add_shared_room(authority, house, kind="laundry", name="Küche 1. OG")
    assert refused.value.code == "name"


def test_slot_needs_floor_or_room_and_an_end_after_start(authority, house, kitchen):
    with pytest.raises(services.AccommodationError) as refused:
        services.add_slot(authority, kitchen, weekday=0, starts_at=T(8), ends_at=T(9))
    assert refused.value.code == "target"
    with pytest.raises(services.AccommodationError):
        services.add_slot(
            authority, kitchen, weekday=0, starts_at=T(8), ends_at=T(9), floor="1", room=room(house, "101")
        )
    with pytest.raises(services.AccommodationError) as refused:
        services.add_slot(authority, kitchen, weekday=0, starts_at=T(9), ends_at=T(9), floor="1")
    assert refused.value.code == "time"
    assert not UsageSlot.objects.exists()


@pytest.mark.parametrize(
    "values",
    [
        {"floor": "1", "room": "101"},  # both
        {"floor": "", "room": None},  # neither
        {"floor": "1", "room": None, "ends_at": T(7)},  # ends before it starts
    ],
)
def test_check_constraints_hold_in_the_database(authority, house, kitchen, values):
    values = {"starts_at": T(8), "ends_at": T(9), **values}
    if values["room"]:
        values["room"] = room(house, values["room"])
    with pytest.raises(IntegrityError), transaction.atomic():
        UsageSlot.objects.create(authority=authority, shared_room=kitchen, weekday=0, **values)


def test_services_refuse_another_authoritys_objects(authority, other_authority, house, kitchen):
    theirs = make_accommodation(other_authority, "Drüben")
    with pytest.raises(ValueError):
        services.add_shared_room(other_authority, house, kind="kitchen", name="K")
    with pytest.raises(ValueError):
        services.add_slot(other_authority, kitchen, weekday=0, starts_at=T(8), ends_at=T(9), floor="1")
    services.add_room(other_authority, theirs, floor="1", name="1a", beds=1)
    with pytest.raises(ValueError):
        services.add_slot(authority, kitchen, weekday=0, starts_at=T(8), ends_at=T(9), room=room(theirs, "1a"))
    assert list(selectors.shared_rooms(other_authority, house)) == []
    assert selectors.get_shared_room(other_authority, kitchen.pk) is None


def _resident(authority, house, family, language, floor_room):
    person = make_person(authority, family, "A", preferred_language=language, email=f"{family}@example.org")
    bed = room(house, floor_room).beds.filter(placements__isnull=True).first()
    services.place(authority, person, house, bed=bed)
    return person


def test_publishing_tells_the_residents_of_that_floor_once_in_their_language(authority, house, kitchen):
    on_1_ar = _resident(authority, house, "Haddad", "ar", "101")
    on_1_uk = _resident(authority, house, "Melnyk", "uk", "101")
    on_2 = _resident(authority, house, "Ahmadi", "fa", "201")
    moved_out = _resident(authority, house, "Diallo", "fr", "201")
    services.move_out(authority, selectors.open_placement(authority, moved_out))
    slot = services.add_slot(authority, kitchen, weekday=2, starts_at=T(18), ends_at=T(20), floor="1")
    services.add_slot(authority, kitchen, weekday=3, starts_at=T(18), ends_at=T(20), floor="1")
    assert not Message.objects.exists()  # not on every edit
    assert services.publish_usage_changes(authority, house) == 2
    sent = {m.person_id: m for m in Message.objects.all()}
    assert set(sent) == {on_1_ar.pk, on_1_uk.pk}
    assert sent[on_1_ar.pk].language == "ar" and re.search("[\u0600-\u06ff]", sent[on_1_ar.pk].body)
    assert sent[on_1_uk.pk].language == "uk" and re.search("[\u0400-\u04ff]", sent[on_1_uk.pk].body)
    assert house.name in sent[on_1_uk.pk].body
    assert services.publish_usage_changes(authority, house) == 0  # a second click tells nobody again
    assert Message.objects.count() == 2
    # a removed time concerns its floor too; a room target tells that room's residents only
    services.remove_slot(authority, slot)
    services.add_slot(authority, kitchen, weekday=4, starts_at=T(8), ends_at=T(9), room=room(house, "201"))
    assert services.publish_usage_changes(authority, house) == 3
    assert Message.objects.filter(person=on_2).count() == 1
    assert not Message.objects.filter(person=moved_out).exists()
    assert not UsageChange.objects.filter(published_at__isnull=True).exists()


# Desk pages -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["head_of_office", "caseworker", "servicepoint", "administrator", "partner"])
def test_other_roles_get_403(client, authority, house, kitchen, role):
    slot = services.add_slot(authority, kitchen, weekday=0, starts_at=T(8), ends_at=T(9), floor="1")
    as_role(client, authority, role)
    assert client.get(f"{BASE}{house.pk}/usage/").status_code == 403
    assert client.get(f"{BASE}{house.pk}/usage/plan.pdf?lang=de").status_code == 403
    assert client.post(f"{BASE}{house.pk}/usage/shared-rooms/", {"kind": "laundry", "name": "W"}).status_code == 403
    assert client.post(f"{BASE}usage-time/{slot.pk}/remove/").status_code == 403
    assert client.post(f"{BASE}{house.pk}/usage/publish/").status_code == 403
    assert UsageSlot.objects.count() == 1 and SharedRoom.objects.count() == 1


def test_another_authoritys_objects_are_404(acc_client, other_authority):
    theirs = make_accommodation(other_authority, "Drüben")
    services.add_room(other_authority, theirs, floor="1", name="1a", beds=1)
    shared = services.add_shared_room(other_authority, theirs, kind="kitchen", name="K")
    slot = services.add_slot(other_authority, shared, weekday=0, starts_at=T(8), ends_at=T(9), floor="1")
    notice = GroupNotice.objects.create(
        authority=other_authority, group="all", texts={"de": {"subject": "S", "body": "B"}}
    )
    assert acc_client.get(f"{BASE}{theirs.pk}/poster.pdf?notice={notice.pk}&lang=de").status_code == 404
    assert acc_client.get(f"{BASE}{theirs.pk}/usage/").status_code == 404
    assert acc_client.get(f"{BASE}{theirs.pk}/usage/plan.pdf?lang=de").status_code == 404
    assert acc_client.post(f"{BASE}shared-room/{shared.pk}/remove/").status_code == 404
    assert acc_client.post(f"{BASE}usage-time/{slot.pk}/remove/").status_code == 404
    assert acc_client.post(f"{BASE}{theirs.pk}/usage/publish/").status_code == 404
    assert UsageSlot.objects.filter(pk=slot.pk).exists() and SharedRoom.objects.filter(pk=shared.pk).exists()


def test_poster_of_another_authoritys_notice_is_404(acc_client, authority, other_authority, house):
    notice = GroupNotice.objects.create(
        authority=other_authority, group="all", texts={"de": {"subject": "S", "body": "B"}}
    )
    assert acc_client.get(f"{BASE}{house.pk}/poster.pdf?notice={notice.pk}&lang=de").status_code == 404


def test_desk_flow_add_overlap_remove_publish(acc_client, authority, house):
    page = f"{BASE}{house.pk}/usage/"
    assert acc_client.get(page).status_code == 200
    response = acc_client.post(f"{page}shared-rooms/", {"kind": "kitchen", "name": "Küche", "floor": "1"})
    assert response.status_code == 302
    shared = SharedRoom.objects.get()
    assert acc_client.post(f"{page}shared-rooms/", {"kind": "laundry", "name": "Küche"}).status_code == 409
    data = {"shared_room": shared.pk, "weekday": 0, "starts_at": "08:00", "ends_at": "10:00", "target": "floor:1"}
    assert acc_client.post(f"{page}slots/", data).status_code == 302
    clash = {**data, "starts_at": "09:00", "ends_at": "11:00", "target": f"room:{room(house, '201').pk}"}
    response = acc_client.post(f"{page}slots/", clash)
    assert response.status_code == 409 and "already taken" in response.content.decode()
    assert acc_client.post(f"{page}slots/", {**data, "ends_at": "07:00"}).status_code == 400
    assert acc_client.post(f"{page}slots/", {**data, "target": "floor:9"}).status_code == 400
    assert acc_client.post(f"{page}slots/", {}).status_code == 400
    assert UsageSlot.objects.count() == 1
    body = acc_client.get(page).content.decode()
    assert "08:00" in body and "1 change not yet told" in body
    slot = UsageSlot.objects.get()
    assert acc_client.post(f"{BASE}usage-time/{slot.pk}/remove/").status_code == 302
    assert acc_client.post(f"{BASE}usage-time/{slot.pk}/remove/").status_code == 404  # already gone
    assert acc_client.post(f"{page}publish/").status_code == 302
    assert acc_client.post(f"{page}publish/").status_code == 302
    assert selectors.pending_usage_changes(authority, house) == 0


def _text(content):
    reader = PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_plan_pdf_in_arabic_german_ukrainian(acc_client, authority, house, kitchen):
    services.add_slot(authority, kitchen, weekday=0, starts_at=T(8), ends_at=T(10), floor="1")
    response = acc_client.get(f"{BASE}{house.pk}/usage/plan.pdf?lang=ar&lang=de&lang=uk")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    _reader, text = _text(response.content)
    assert "Montag" in text and "Nutzungszeiten" in text  # German
    assert "Понеділок" in text  # Ukrainian
    assert re.search("[\u0600-\u06ff]", text)  # Arabic script (visual order may be reversed)
    assert "Küche 1. OG" in text and "08:00" in text
    assert acc_client.get(f"{BASE}{house.pk}/usage/plan.pdf").status_code == 400  # no language chosen
    assert acc_client.get(f"{BASE}{house.pk}/usage/plan.pdf?lang=xx").status_code == 400


def test_poster_pdf_one_page_side_by_side_with_qr(acc_client, authority, house):
    notice = GroupNotice.objects.create(
        authority=authority,
        group="accommodation",
        accommodation=house,
        texts={
            "de": {"subject": "Wasserabstellung", "body": "Am Montag gibt es kein Wasser."},
            "ar": {"subject": "انقطاع المياه", "body": "لن تتوفر المياه يوم الاثنين."},
            "uk": {"subject": "Відключення води", "body": "У понеділок не буде води."},
        },
    )
    response = acc_client.get(f"{BASE}{house.pk}/poster.pdf?notice={notice.pk}&lang=ar&lang=de&lang=uk")
    assert response.status_code == 200
    reader, text = _text(response.content)
    assert len(reader.pages) == 1
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert width > height  # A4 landscape
    assert "Wasserabstellung" in text and "Відключення" in text and re.search("[\u0600-\u06ff]", text)
    assert acc_client.get(f"{BASE}{house.pk}/poster.pdf?notice=x&lang=de").status_code == 400


def test_poster_html_has_a_section_per_language_with_lang_and_dir(authority, house):
    from willkommen.letters.pdf import render_html

    html = render_html(
        "accommodation/poster_pdf.html",
        {
            "accommodation": house,
            "authority": authority,
            "sections": [
                {"code": "ar", "dir": "rtl", "subject": "س", "body": "ب"},
                {"code": "de", "dir": "ltr", "subject": "S", "body": "B"},
            ],
            "portal_url": "https://example.org/",
            "qr_svg": "<svg></svg>",
        },
        language="ar",
    )
    assert '<td lang="ar" dir="rtl">' in html and '<td lang="de" dir="ltr">' in html
    assert html.index('lang="ar"', html.index("<body")) < html.index('<td lang="de"')  # in the chosen order
    assert '<table class="poster" dir="ltr">' in html  # side by side left to right, each column its own direction
    assert "<svg" in html


def test_publishing_on_the_desk_queues_the_delivery_on_commit(
    acc_client, authority, house, kitchen, django_capture_on_commit_callbacks
):
    resident = _resident(authority, house, "Haddad", "ar", "101")
    services.add_slot(authority, kitchen, weekday=2, starts_at=T(18), ends_at=T(20), floor="1")
    with django_capture_on_commit_callbacks() as callbacks:
        response = acc_client.post(f"{BASE}{house.pk}/usage/publish/", follow=True)
    assert "were told (1)" in response.content.decode()
    assert Message.objects.get().person == resident
    assert callbacks  # the delivery waits for the commit


def test_plan_html_has_a_section_per_language_with_lang_and_dir(authority, house, kitchen):
    from willkommen.letters.pdf import render_html

    services.add_slot(authority, kitchen, weekday=0, starts_at=T(8), ends_at=T(10), room=room(house, "201"))
    html = render_html(
        "accommodation/usage_plan_pdf.html",
        {
            "accommodation": house,
            "authority": authority,
            "shared_rooms": list(selectors.shared_rooms(authority, house)),
            "sections": [{"code": "ar", "dir": "rtl"}, {"code": "uk", "dir": "ltr"}],
        },
        language="ar",
    )
    assert '<section class="usage-language" lang="ar" dir="rtl">' in html
    assert '<section class="usage-language" lang="uk" dir="ltr">' in html
    assert "الاثنين" in html and "Понеділок" in html and html.count("<table>") == 2  # one table per room and language
