"""In the browser: a caseworker opens the renewal list ("expires soon, not applied"), previews the bulk
invitation with its count, sends it, and the client books through the link in the real e-mail; from a case
page "Invite to an appointment" sends a letter. axe-core on every new page."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from willkommen.appointments import renewals
from willkommen.appointments.models import Booking, Invitation, Renewal, RenewalRule, RenewalState
from willkommen.appointments.testing import make_offer
from willkommen.clients.services import record_residence
from willkommen.clients.testing import make_client
from willkommen.messaging.models import Message

from .test_browser import _assert_accessible, _sign_in, _text, _wait_for, smtp_server  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_team_invites_the_unanswered_in_bulk_and_from_a_case(
    browser,
    page,
    live_server,
    authority,
    team,
    caseworker,
    smtp_server,  # noqa: F811
):
    from willkommen.cases.opening import open_case

    offer = make_offer(authority, workstations=2, invitation=1, horizon=14)
    study = offer.anliegen
    RenewalRule.objects.create(authority=authority, anliegen=study, title_kind="title")
    today = timezone.localdate()
    holder = make_client(authority, "Nguyen", given_names="Minh", email="minh@example.org", preferred_language="en")
    record_residence(holder, kind="title", legal_basis="§ 16b AufenthG", valid_to=today + dt.timedelta(weeks=6))
    renewals.run(today)
    Renewal.objects.update(state=RenewalState.UNANSWERED)
    _wait_for(smtp_server, 1)  # the renewal invitation of the nightly job
    base = f"{live_server.url}/a/{authority.slug}"

    desk = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    staff = desk.new_page()
    staff.set_default_timeout(15000)
    _sign_in(staff, base, caseworker)
    staff.goto(f"{base}/desk/appointments/renewals/")
    assert "Nguyen, Minh" in staff.locator("#renewals").inner_text()
    _assert_accessible(staff)
    staff.locator("main a[href*='/renewals/invite/']").click()
    staff.locator("#invite-count").wait_for()
    assert "1" in staff.locator("#invite-count").inner_text()
    _assert_accessible(staff)
    staff.locator("#id_deadline").fill((today + dt.timedelta(days=12)).isoformat())
    staff.locator("main form button[type=submit]").click()
    staff.locator("#sent-count").wait_for()
    _assert_accessible(staff)
    invitation = Invitation.objects.get(person=holder, batch__gt="")
    assert invitation.created_by == caseworker

    link = re.search(r"https?://\S+/appointments/invitation/\S+/", _text(_wait_for(smtp_server, 2))).group(0)
    page.goto(link)
    page.locator("main form button[type=submit]").click()
    page.locator(".kern-alert--success").wait_for()
    booking = Booking.objects.get(invitation=invitation)
    assert booking.person == holder

    # From a case page: a letter for a client without e-mail.
    reader = make_client(authority, "Brief", email="", street="Weg 2", postal_code="80331", city="Alpha")
    case, _code = open_case(authority, person=reader, anliegen=study, team=team)
    staff.goto(f"{base}/desk/cases/{case.pk}/")
    staff.locator("main .invite-link a").click()
    staff.locator("#id_deadline").wait_for()
    _assert_accessible(staff)
    staff.locator("#id_deadline").fill((today + dt.timedelta(days=12)).isoformat())
    staff.locator("#id_channel").select_option("letter")
    staff.locator("main form button[type=submit]").click()
    staff.locator(".kern-alert--success").wait_for()
    _assert_accessible(staff)
    desk.close()
    message = Message.objects.get(person=reader, template_key="invitation")
    assert message.case == case and message.channel == "letter"


def test_the_renewal_list_and_the_residence_history_fit_a_phone_in_german_and_arabic(
    browser, live_server, authority, team, caseworker
):
    """390 px wide: the wide tables scroll inside their own region (focusable, named), the page itself does
    not scroll sideways (WCAG 1.4.10), in German and in Arabic (right to left); axe-clean."""
    from willkommen.cases.opening import open_case

    offer = make_offer(authority, workstations=1, invitation=1, horizon=7)
    RenewalRule.objects.create(authority=authority, anliegen=offer.anliegen, title_kind="title")
    today = timezone.localdate()
    holder = make_client(authority, "Abdulrahman-Al-Mansouri", given_names="Mohammed Abdullah", email="m@example.org")
    for years in (3, 2, 1):
        record_residence(
            holder,
            kind="title",
            legal_basis="§ 16b Abs. 1 Satz 1 AufenthG",
            valid_from=today - dt.timedelta(days=365 * years),
            valid_to=today - dt.timedelta(days=365 * (years - 1) + 1),
            conditions="Beschäftigung bis zu 140 ganze oder 280 halbe Tage im Jahr sowie studentische Nebentätigkeit",
            document_number="Y12345678",
        )
    record_residence(holder, kind="title", legal_basis="§ 16b AufenthG", valid_to=today + dt.timedelta(weeks=6))
    renewals.run(today)
    Renewal.objects.update(state=RenewalState.UNANSWERED)
    open_case(authority, person=holder, anliegen=offer.anliegen, team=team)  # the caseworker's team sees the person
    base = f"{live_server.url}/a/{authority.slug}"

    context = browser.new_context(locale="de-DE", viewport={"width": 390, "height": 844}, bypass_csp=True)
    phone = context.new_page()
    phone.set_default_timeout(15000)
    _sign_in(phone, base, caseworker)
    for language in ("de", "ar"):
        context.add_cookies([{"name": "willkommen_language", "value": language, "url": live_server.url}])
        for path, table in (
            (f"/desk/clients/{holder.pk}/", "table.residence-timeline"),
            ("/desk/appointments/renewals/", "#renewals"),
        ):
            phone.goto(f"{base}{path}")
            assert phone.locator("html").get_attribute("lang") == language
            assert phone.locator(table).locator("tbody tr").count() >= 1
            assert phone.evaluate("document.documentElement.scrollWidth") <= 390, (language, path)
            region = phone.locator(f".table-scroll:has({table})")
            assert region.get_attribute("tabindex") == "0" and region.get_attribute("role") == "region"
            assert region.evaluate("el => el.scrollWidth > el.clientWidth")  # the table scrolls inside its region
            _assert_accessible(phone)
    context.close()
