"""The office's set-up hub and change history: per role, scoped to the authority, old → new in the detail."""

import pytest
from django.utils import translation

from willkommen.accounts.roles import Role, roles_with
from willkommen.audit import changes
from willkommen.audit.models import Action, AuditEntry
from willkommen.audit.services import record
from willkommen.core.testing import make_staff, make_team, verified_login
from willkommen.tenancy.models import Team

ROLES = [r.value for r in Role]


def test_whoever_may_change_staff_may_open_the_hub():
    assert set(roles_with("office.staff")) <= set(roles_with("office.setup"))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ["/desk/office/", "/desk/office/history/"])
def test_hub_and_history_once_per_role(client, authority, team, role, path):
    user = make_staff(authority, f"r-{role}", role=role, teams=[team])
    verified_login(client, user)
    expected = 200 if role in (Role.HEAD_OF_OFFICE, Role.ADMINISTRATOR) else 403
    assert client.get(path).status_code == expected


def test_hub_lists_the_pages_of_the_rooms_by_capability(client, authority):
    verified_login(client, make_staff(authority, "head", role="head_of_office"))
    html = client.get("/desk/office/").content.decode()
    assert "/desk/cases/law-changes/" in html and "/desk/office/routing/" in html
    assert "/desk/office/staff/" not in html  # office.staff: the administrator only
    assert "/desk/office/history/" in html
    verified_login(client, make_staff(authority, "admin", role="administrator"))
    assert "/desk/office/staff/" in client.get("/desk/office/").content.decode()


def test_desk_menu_links_the_hub(client, authority):
    verified_login(client, make_staff(authority, "head", role="head_of_office"))
    assert "/desk/office/" in client.get("/desk/").content.decode()


@translation.override("en")
def test_describe_names_old_and_new_values():
    team = Team(name="Team Nord", is_special_task_area=False)
    before = changes.snapshot(team, ["name", "is_special_task_area", "email"])
    team.name, team.is_special_task_area = "Team Süd", True
    after = changes.snapshot(team, ["name", "is_special_task_area", "email"])
    text = changes.describe(team, Action.UPDATE, before=before, after=after)
    assert text == "name: Team Nord → Team Süd; special task area: no → yes"
    assert changes.describe(team, Action.CREATE, after=after).startswith("name: Team Süd")


def test_an_update_that_changes_nothing_writes_nothing(rf, authority, team):
    request = rf.post("/")
    request.authority, request.user = authority, make_staff(authority, "admin", role="administrator")
    same = changes.snapshot(team, ["name"])
    assert changes.record_change(request, team, Action.UPDATE, before=same, after=same) is None
    assert not AuditEntry.objects.exists()


def test_history_shows_only_office_changes_of_this_authority_newest_first(client, authority, other_authority):
    admin = make_staff(authority, "admin", role="administrator")
    first, second = make_team(authority, "Team Eins"), make_team(authority, "Team Zwei")
    theirs = make_team(other_authority, "Team Fremd")
    record(authority=authority, action=Action.UPDATE, obj=first, actor=admin, purpose="office set-up", detail="a")
    record(authority=authority, action=Action.UPDATE, obj=second, actor=admin, purpose="office set-up", detail="b")
    record(authority=authority, action=Action.READ, obj=first, actor=admin, purpose="work queue", detail="c")
    record(authority=other_authority, action=Action.UPDATE, obj=theirs, purpose="office set-up", detail="d")
    verified_login(client, admin)
    html = client.get("/desk/office/history/").content.decode()
    assert "Team Zwei" in html and "Team Eins" in html and html.index("Team Zwei") < html.index("Team Eins")
    assert "Team Fremd" not in html and "work queue" not in html


def test_history_filters_by_kind_and_refuses_an_unknown_kind(client, authority):
    admin = make_staff(authority, "admin", role="administrator")
    team = make_team(authority, "Team Eins")
    record(authority=authority, action=Action.UPDATE, obj=team, actor=admin, purpose="office set-up", detail="x")
    record(authority=authority, action=Action.UPDATE, obj=admin, actor=admin, purpose="office set-up", detail="y")
    verified_login(client, admin)
    response = client.get("/desk/office/history/", {"kind": "tenancy.team"})
    assert response.status_code == 200
    assert "Team Eins" in response.content.decode() and "Staff member" not in response.content.decode()
    assert client.get("/desk/office/history/", {"kind": "cases.case"}).status_code == 400


def test_history_pages(client, authority, settings):
    admin = make_staff(authority, "admin", role="administrator")
    team = make_team(authority, "Team Eins")
    for n in range(55):
        record(
            authority=authority, action=Action.UPDATE, obj=team, actor=admin, purpose="office set-up", detail=f"n{n}"
        )
    verified_login(client, admin)
    first = client.get("/desk/office/history/").content.decode()
    assert "n54" in first and "n0<" not in first and "page=2" in first
    assert "n0<" in client.get("/desk/office/history/", {"page": 2}).content.decode()
