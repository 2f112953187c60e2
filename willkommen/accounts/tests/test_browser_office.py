"""The administrator's set-up pages in the browser (German and Persian, right to left): teams and staff,
a staff member's role and teams, a new team, the routing rules with the check. axe: 0 violations."""

import pytest

from willkommen.accounts.models import User
from willkommen.core.testing import make_staff, make_team
from willkommen.tenancy.models import RoutingRule

from .test_browser_integrations import check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language,direction", [("de", "ltr"), ("fa", "rtl")])
def test_teams_staff_and_routing(page, live_server, authority, language, direction):
    team = make_team(authority, "Team Studium")
    member = make_staff(authority, "carla", teams=[team])
    RoutingRule.objects.create(authority=authority, team=team, priority=10, surname_from="A", surname_to="K")
    sign_in(page, live_server, make_staff(authority, "jonas", role="administrator"), language)
    base = live_server.url
    page.goto(f"{base}/desk/office/staff/")
    assert page.locator("html").get_attribute("dir") == direction
    check(page)
    page.goto(f"{base}/desk/office/staff/{member.pk}/")
    check(page)
    page.locator("select[name=role]").select_option("team_lead")
    page.locator(f"input[name=leads][value='{team.pk}']").check()
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"{base}/desk/office/staff/")
    assert User.objects.get(pk=member.pk).role == "team_lead"
    page.goto(f"{base}/desk/office/teams/new/")
    check(page)
    page.goto(f"{base}/desk/office/routing/?surname=Haddad")
    assert "Team Studium" in page.locator("[data-testid=routing-check]").inner_text()
    check(page)
    page.goto(f"{base}/desk/office/routing/new/")
    check(page)
