"""The office's routing rules (capability ``office.setup``): per role, scoped to the authority, bad input
refused, the check names the team the rules would pick, every change audited with old → new."""

import pytest

from willkommen.accounts.roles import Role
from willkommen.audit.models import AuditEntry
from willkommen.catalogue.testing import make_anliegen
from willkommen.core.testing import make_staff, make_team, verified_login
from willkommen.tenancy.models import RoutingRule

HOLDERS = {Role.HEAD_OF_OFFICE, Role.ADMINISTRATOR}


@pytest.fixture
def rule(authority, team):
    return RoutingRule.objects.create(authority=authority, team=team, priority=10, surname_from="A", surname_to="K")


def _sign_in(client, authority, role="head_of_office"):
    verified_login(client, make_staff(authority, f"r-{role}", role=role))


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_pages_once_per_role(client, authority, rule, role):
    _sign_in(client, authority, role)
    expected = 200 if role in HOLDERS else 403
    for path in ("/desk/office/routing/", "/desk/office/routing/new/", f"/desk/office/routing/{rule.pk}/"):
        assert client.get(path).status_code == expected, path
    delete = client.post(f"/desk/office/routing/{rule.pk}/delete/")
    assert delete.status_code == (302 if role in HOLDERS else 403)


def test_another_authoritys_rule_is_not_found(client, authority, other_authority):
    theirs = RoutingRule.objects.create(authority=other_authority, team=make_team(other_authority, "Fremd"))
    _sign_in(client, authority)
    assert client.get(f"/desk/office/routing/{theirs.pk}/").status_code == 404
    assert client.post(f"/desk/office/routing/{theirs.pk}/delete/").status_code == 404
    assert RoutingRule.objects.filter(pk=theirs.pk).exists()


def test_another_authoritys_team_cannot_be_chosen(client, authority, other_authority):
    _sign_in(client, authority)
    response = client.post("/desk/office/routing/new/", {"priority": 5, "team": make_team(other_authority, "X").pk})
    assert response.status_code == 400 and not RoutingRule.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"priority": "-1"},
        {"nationalities": "SYR, Syrien"},
        {"surname_from": "M", "surname_to": "C"},
        {"surname_from": "1"},
    ],
)
def test_bad_input_is_refused_and_nothing_changes(client, authority, team, rule, data):
    _sign_in(client, authority)
    response = client.post(f"/desk/office/routing/{rule.pk}/", {"priority": 10, "team": team.pk, **data})
    assert response.status_code == 400 and b"kern-error" in response.content
    rule.refresh_from_db()
    assert (rule.priority, rule.nationalities, rule.surname_from, rule.surname_to) == (10, [], "A", "K")
    assert not AuditEntry.objects.exists()


def test_create_edit_delete_are_in_the_history(client, authority, team):
    anliegen = make_anliegen(authority)
    other = make_team(authority, "Team L–Z")
    _sign_in(client, authority)
    data = {"priority": 20, "team": team.pk, "anliegen": anliegen.pk, "nationalities": "syr afg"}
    assert client.post("/desk/office/routing/new/", data).status_code == 302
    rule = RoutingRule.objects.get()
    assert rule.nationalities == ["AFG", "SYR"] and rule.anliegen == anliegen
    assert client.post(f"/desk/office/routing/{rule.pk}/", {**data, "team": other.pk}).status_code == 302
    assert client.post(f"/desk/office/routing/{rule.pk}/delete/").status_code == 302
    assert not RoutingRule.objects.exists()
    actions = list(AuditEntry.objects.filter(purpose="office set-up").order_by("id").values_list("action", flat=True))
    assert actions == ["create", "update", "delete"]
    history = client.get("/desk/office/history/", {"kind": "tenancy.routingrule"}).content.decode()
    assert f"{team.name} → Team L–Z" in history


def test_the_check_names_the_team_of_the_first_matching_rule(client, authority, team, rule):
    other = make_team(authority, "Team L–Z")
    RoutingRule.objects.create(authority=authority, team=other, priority=20, surname_from="L")
    _sign_in(client, authority)
    assert "Team L–Z" in _check(client, "Özdemir") and "Team A–K" in _check(client, "Çelik")
    RoutingRule.objects.all().delete()
    assert "No rule matches" in _check(client, "Çelik", lang="en")


def _check(client, surname, lang="de"):
    response = client.get("/desk/office/routing/", {"surname": surname}, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    return response.content.decode().split('data-testid="routing-check">')[1].split("</p>")[0]
