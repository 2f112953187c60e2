"""The accommodation pages in the browser, right to left (Arabic) and in German: find a client, place
them, see them among the residents, move them out; axe-core finds no WCAG 2.1 AA violation."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from willkommen.accommodation.models import Placement
from willkommen.core.testing import axe_violations, format_violations, make_staff, verified_login

from .conftest import make_accommodation, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user, language):
    client = verified_login(Client(), user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": "willkommen_language", "value": language, "url": live_server.url},
        ]
    )


def check(page):
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)


@pytest.mark.parametrize("language,direction", [("ar", "rtl"), ("de", "ltr")])
def test_place_and_move_out_in_the_browser(page, live_server, authority, language, direction):
    home = make_accommodation(authority, "GU Am Fuchsbau", capacity=2, street="Am Fuchsbau 12", city="Alpha")
    person = make_person(authority, "Haddad", "Nour", family_name_native="حداد", given_names_native="نور")
    sign_in(page, live_server, make_staff(authority, "hanna", role="accommodation"), language)
    base = live_server.url

    page.goto(base + reverse("accommodation:list"))
    assert page.locator("html").get_attribute("dir") == direction
    check(page)
    page.locator(f"a[href='{reverse('accommodation:detail', args=[home.pk])}']").first.click()
    check(page)
    page.locator(f"a[href='{reverse('accommodation:place', args=[home.pk])}']").click()
    page.locator("#id_q").fill("Haddad")
    page.locator("form[role=search] button").click()
    page.locator("[data-testid=search-results] a").first.click()
    assert "Haddad" in page.locator("[data-testid=chosen]").inner_text()
    check(page)
    page.locator("#id_unit").fill("EG-2")
    page.locator("main form[method=post] button[type=submit]").click()

    assert page.url.endswith(reverse("accommodation:detail", args=[home.pk]))
    placement = Placement.objects.get(person=person)
    row = page.locator(f"[data-testid=placement-{placement.pk}]")
    assert "EG-2" in row.inner_text()
    check(page)
    row.locator("a").click()
    check(page)
    page.locator(f"form[action='{reverse('accommodation:move_out', args=[placement.pk])}'] button").click()
    assert page.url.endswith(reverse("accommodation:detail", args=[home.pk]))
    placement.refresh_from_db()
    assert placement.moved_out is not None
    check(page)


@pytest.mark.parametrize("language,direction", [("fa", "rtl"), ("de", "ltr")])
def test_isolate_a_resident_and_the_occupancy_view_shows_it(page, live_server, authority, language, direction):
    import datetime as dt

    from django.utils import timezone

    from willkommen.accommodation import services
    from willkommen.accommodation.models import Accommodation, IsolationEpisode

    home = services.save_accommodation(authority, Accommodation(name="GU Lindenhof", capacity=2))
    services.add_room(authority, home, floor="EG", name="Iso", beds=1, kind="isolation")
    services.add_room(authority, home, floor="EG", name="Reserve", beds=1, kind="reserve")
    stay = services.place(authority, make_person(authority, "Kovalenko", "Olena"), home)
    sign_in(page, live_server, make_staff(authority, "hanna", role="accommodation"), language)
    base = live_server.url
    row = f"[data-testid=accommodation-{home.pk}]"

    page.goto(base + reverse("accommodation:list"))
    assert page.locator("html").get_attribute("dir") == direction
    assert page.locator(f"{row} [data-testid=isolation-free]").inner_text() == "1"
    assert page.locator(f"{row} [data-testid=normal-free]").inner_text() == "1"
    check(page)
    page.goto(base + reverse("accommodation:placement", args=[stay.pk]))
    page.locator("#id_iso-reason").fill("Anordnung Gesundheitsamt")
    page.locator("#id_iso-planned_end").fill((timezone.localdate() + dt.timedelta(days=5)).isoformat())
    page.locator(f"form[action='{reverse('accommodation:isolate', args=[stay.pk])}'] button[type=submit]").click()
    episode = IsolationEpisode.objects.get(person=stay.person)
    assert page.url.endswith(reverse("accommodation:episode", args=[episode.pk]))
    check(page)
    page.locator("#id_supplies-meals").check()
    page.locator(f"form[action='{reverse('accommodation:supplies', args=[episode.pk])}'] button[type=submit]").click()
    assert page.locator("[data-testid^=check-]").count() == 1
    page.goto(base + reverse("accommodation:isolation"))
    assert "Kovalenko" in page.locator(f"[data-testid=episode-{episode.pk}]").inner_text()
    check(page)
    page.goto(base + reverse("accommodation:list"))
    assert page.locator(f"{row} [data-testid=isolation-free]").inner_text() == "0"
    assert page.locator(f"{row} [data-testid=normal-free]").inner_text() == "2"
    assert page.locator(f"{row} [data-testid=reserve-free]").inner_text() == "1"
    page.goto(base + reverse("accommodation:detail", args=[home.pk]))
    check(page)


@pytest.mark.parametrize("language,direction", [("ar", "rtl"), ("de", "ltr")])
def test_usage_times_in_the_browser_plan_and_poster(page, live_server, authority, language, direction):
    """Add a kitchen and a usage time, see an overlap refused at the field, publish, and fetch the
    Arabic-German-Ukrainian plan and poster from the page's forms."""
    from willkommen.accommodation import services
    from willkommen.accommodation.models import UsageSlot
    from willkommen.messaging.models import GroupNotice

    home = make_accommodation(authority, "GU Am Fuchsbau", capacity=1)
    services.add_room(authority, home, floor="1", name="101", beds=2)
    GroupNotice.objects.create(
        authority=authority,
        group="accommodation",
        accommodation=home,
        texts={"de": {"subject": "Wasserabstellung", "body": "Kein Wasser am Montag."}},
    )
    sign_in(page, live_server, make_staff(authority, "hanna", role="accommodation"), language)
    base = live_server.url
    page.goto(base + reverse("accommodation:detail", args=[home.pk]))
    page.locator(f"a[href='{reverse('accommodation:usage', args=[home.pk])}']").click()
    assert page.locator("html").get_attribute("dir") == direction
    check(page)
    page.locator("#id_kind").select_option("kitchen")
    page.locator("#id_name").fill("Küche 1. OG")
    page.locator(f"form[action='{reverse('accommodation:add_shared_room', args=[home.pk])}'] button").click()
    check(page)
    slot_form = page.locator(f"form[action='{reverse('accommodation:add_slot', args=[home.pk])}']")
    for start, end in (("08:00", "10:00"), ("09:00", "11:00")):
        slot_form = page.locator(f"form[action='{reverse('accommodation:add_slot', args=[home.pk])}']")
        slot_form.locator("#id_weekday").select_option("0")
        slot_form.locator("#id_starts_at").fill(start)
        slot_form.locator("#id_ends_at").fill(end)
        slot_form.locator("#id_target").select_option("floor:1")
        slot_form.locator("button").click()
    assert page.locator("#id_starts_at_error").is_visible()  # the overlap, at the field
    check(page)
    assert UsageSlot.objects.count() == 1
    page.locator(f"form[action='{reverse('accommodation:publish_usage', args=[home.pk])}'] button").click()
    check(page)
    import io
    import re

    from pypdf import PdfReader

    from willkommen.letters.tests.pdfcheck import first_page_png

    def pdf_text(url):
        response = page.request.get(url)  # the browser's session
        assert response.status == 200 and response.headers["content-type"] == "application/pdf"
        first_page_png(response.body())  # a rendered A4 page with dark text on it, not a blank sheet
        reader = PdfReader(io.BytesIO(response.body()))
        return len(reader.pages), "\n".join(p.extract_text() for p in reader.pages)

    _pages, text = pdf_text(base + reverse("accommodation:usage_plan", args=[home.pk]) + "?lang=ar&lang=de&lang=uk")
    assert "Montag" in text and "Понеділок" in text and re.search("[\u0600-\u06ff]", text) and "08:00" in text
    poster_form = page.locator(f"form[action='{reverse('accommodation:poster', args=[home.pk])}']")
    notice = poster_form.locator("select[name=notice]").input_value()
    pages, text = pdf_text(
        base + reverse("accommodation:poster", args=[home.pk]) + f"?notice={notice}&lang=ar&lang=de&lang=uk"
    )
    assert pages == 1 and "Wasserabstellung" in text


@pytest.mark.parametrize("language,direction", [("uk", "ltr"), ("ar", "rtl")])
def test_an_announced_arrival_is_placed_from_its_proposal_and_a_need_for_protection_recorded(
    page, live_server, authority, language, direction
):
    import datetime as dt

    from willkommen.accommodation import services
    from willkommen.accommodation.models import Accommodation, Arrival

    home = services.save_accommodation(authority, Accommodation(name="GU Lindenhof", capacity=2))
    services.add_room(authority, home, floor="2", name="201", beds=3, rule="women")
    mother = make_person(authority, "Haddad", "Nour", sex="f")
    daughter = make_person(authority, "Haddad", "Lina", sex="f", date_of_birth=dt.date.today().replace(year=2018))
    sign_in(page, live_server, make_staff(authority, "hanna", role="accommodation"), language)
    base = live_server.url

    page.goto(base + reverse("accommodation:arrivals"))
    assert page.locator("html").get_attribute("dir") == direction
    check(page)
    page.locator("#id_reference").fill("ZAB-2026-0413")
    page.locator("#id_household_size").fill("2")
    page.locator("#id_women").fill("2")
    page.locator("#id_children").fill("1")
    page.locator("#id_expected_on").fill((dt.date.today() + dt.timedelta(days=2)).isoformat())
    page.locator(f"form[action='{reverse('accommodation:announce')}'] button[type=submit]").click()
    arrival = Arrival.objects.get(reference="ZAB-2026-0413")
    assert page.url.endswith(reverse("accommodation:arrival", args=[arrival.pk]))
    assert "201" in page.locator("[data-testid=proposal]").inner_text()  # the women's room, together
    check(page)
    page.locator("#id_persons").fill(f"{mother.pk}, {daughter.pk}")
    page.locator(f"form[action='{reverse('accommodation:arrival_place', args=[arrival.pk])}'] button").click()
    arrival.refresh_from_db()
    assert arrival.state == "placed"
    assert {p.bed.room.name for p in arrival.placements.all()} == {"201"}
    check(page)

    stay = arrival.placements.get(person=mother)
    page.goto(base + reverse("accommodation:placement", args=[stay.pk]))
    page.locator("#id_risk-category").select_option("pregnancy")
    page.locator(f"form[action='{reverse('accommodation:risk_add', args=[stay.pk])}'] button").click()
    assert page.locator("[data-testid=risk] li").count() == 1
    check(page)
