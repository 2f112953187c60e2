"""The administrator's teams and staff pages (capability ``office.staff``): per role, staff of other
authorities never found, roles only up to head of office, never one's own role or account, never
deleted, every change audited with old → new."""

import pytest

from willkommen.accounts.models import Membership, User
from willkommen.accounts.roles import Role
from willkommen.audit.models import AuditEntry
from willkommen.core.testing import make_staff, make_team, verified_login
from willkommen.tenancy.models import Team


@pytest.fixture
def admin(authority):
    return make_staff(authority, "admin", role="administrator")


@pytest.fixture
def member(authority, team):
    return make_staff(authority, "carla", role="caseworker", teams=[team])


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_pages_once_per_role(client, authority, team, member, role):
    verified_login(client, make_staff(authority, f"r-{role}", role=role))
    expected = 200 if role == Role.ADMINISTRATOR else 403
    paths = ["/desk/office/staff/", f"/desk/office/staff/{member.pk}/", "/desk/office/teams/new/"]
    for path in [*paths, f"/desk/office/teams/{team.pk}/"]:
        assert client.get(path).status_code == expected, path
    switched = client.post(f"/desk/office/staff/{member.pk}/active/", {"active": "0"})
    assert switched.status_code == (302 if role == Role.ADMINISTRATOR else 403)


def test_another_authoritys_staff_and_teams_are_never_found(client, authority, other_authority, admin):
    their_team = make_team(other_authority, "Team Fremd")
    theirs = make_staff(other_authority, "fremd", role="caseworker", teams=[their_team])
    verified_login(client, admin)
    page = client.get("/desk/office/staff/").content.decode()
    assert "fremd" not in page and "Team Fremd" not in page
    assert client.get(f"/desk/office/staff/{theirs.pk}/").status_code == 404
    assert client.post(f"/desk/office/staff/{theirs.pk}/active/", {"active": "0"}).status_code == 404
    assert client.get(f"/desk/office/teams/{their_team.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active


def test_role_and_teams_change_and_the_history_shows_old_and_new(client, authority, team, admin, member):
    other = make_team(authority, "Team L–Z")
    verified_login(client, admin)
    data = {"role": "team_lead", "teams": [team.pk, other.pk], "leads": [other.pk]}
    response = client.post(f"/desk/office/staff/{member.pk}/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.role == Role.TEAM_LEAD
    assert set(Membership.objects.filter(user=member).values_list("team__name", "is_lead")) == {
        (team.name, False),
        ("Team L–Z", True),
    }
    history = client.get("/desk/office/history/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Role: Caseworker → Team lead" in history
    assert f"Teams: {team.name} → {team.name}, Team L–Z; Leads: – → Team L–Z" in history


@pytest.mark.parametrize(
    "data",
    [
        {"role": "administrator"},  # above what the administrator may give
        {"role": "partner"},
        {"role": "caseworker", "leads": ["TEAM"]},  # leads a team they do not belong to
        {"role": "caseworker", "teams": ["FOREIGN"]},  # a team of another authority
    ],
)
def test_refused_input_changes_nothing(client, authority, other_authority, team, admin, member, data):
    foreign = make_team(other_authority, "Team Fremd")
    ids = {"TEAM": team.pk, "FOREIGN": foreign.pk}
    data = {key: ([ids[value[0]]] if isinstance(value, list) else value) for key, value in data.items()}
    verified_login(client, admin)
    response = client.post(f"/desk/office/staff/{member.pk}/", data)
    assert response.status_code == 400
    member.refresh_from_db()
    assert member.role == Role.CASEWORKER and list(member.teams.all()) == [team]
    assert not AuditEntry.objects.filter(purpose="office set-up").exists()


def test_no_one_changes_their_own_role_or_switches_themselves_off(client, authority, team, admin):
    verified_login(client, admin)
    own = client.post(f"/desk/office/staff/{admin.pk}/", {"role": "caseworker"})
    assert own.status_code == 400  # an administrator is not changed here at all
    assert client.post(f"/desk/office/staff/{admin.pk}/active/", {"active": "0"}).status_code == 400
    admin.refresh_from_db()
    assert admin.role == Role.ADMINISTRATOR and admin.is_active


def test_a_head_of_office_is_shown_but_another_administrator_is_not_changed(client, authority, admin):
    colleague = make_staff(authority, "admin2", role="administrator")
    verified_login(client, admin)
    assert client.post(f"/desk/office/staff/{colleague.pk}/active/", {"active": "0"}).status_code == 400
    assert client.post(f"/desk/office/staff/{colleague.pk}/", {"role": "caseworker"}).status_code == 400
    colleague.refresh_from_db()
    assert colleague.is_active and colleague.role == Role.ADMINISTRATOR


def test_switching_off_keeps_the_account_and_ends_its_access(client, authority, admin, member):
    verified_login(client, admin)
    assert client.post(f"/desk/office/staff/{member.pk}/active/", {"active": "0"}).status_code == 302
    member.refresh_from_db()
    assert not member.is_active and User.objects.filter(pk=member.pk).exists()
    assert not member.can("cases.work")
    entry = AuditEntry.objects.get(purpose="office set-up", object_type="accounts.user")
    assert entry.object_id == str(member.pk) and "→" in entry.detail


def test_teams_are_created_and_edited_with_unique_names(client, authority, team, admin):
    verified_login(client, admin)
    assert client.post("/desk/office/teams/new/", {"name": team.name.upper()}).status_code == 400
    assert (
        client.post("/desk/office/teams/new/", {"name": "Team Asyl", "is_special_task_area": "on"}).status_code == 302
    )
    created = Team.objects.get(authority=authority, name="Team Asyl")
    assert created.is_special_task_area
    data = {"name": "Team Asyl und Schutz", "is_special_task_area": "on"}
    assert client.post(f"/desk/office/teams/{created.pk}/", data).status_code == 302
    detail = AuditEntry.objects.filter(object_type="tenancy.team").order_by("id").last().detail
    assert "Team Asyl → Team Asyl und Schutz" in detail


def test_the_service_refuses_ones_own_role_whoever_asks(rf, authority, member):
    from willkommen.accounts import staff

    request = rf.post("/")
    request.authority, request.user = authority, member
    with pytest.raises(staff.StaffError):
        staff.update(request, member, role="head_of_office")
    with pytest.raises(staff.StaffError):
        staff.set_active(request, member, False)
    member.refresh_from_db()
    assert member.role == Role.CASEWORKER and member.is_active
