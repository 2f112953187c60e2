from willkommen.catalogue.testing import make_anliegen
from willkommen.tenancy.models import RoutingRule, Team
from willkommen.tenancy.services import route_to_team, surname_initial


def test_surname_initial_folds_umlauts():
    assert surname_initial("Özdemir") == "O"
    assert surname_initial("  al-Hassan") == "A"
    assert surname_initial("") == ""


def test_rules_by_priority_anliegen_nationality_and_letters(authority, other_authority):
    study = make_anliegen(authority, "study")
    students = Team.objects.create(authority=authority, name="Studium")
    syria = Team.objects.create(authority=authority, name="Syrien")
    a_to_k = Team.objects.create(authority=authority, name="A–K")
    l_to_z = Team.objects.create(authority=authority, name="L–Z")
    RoutingRule.objects.create(authority=authority, team=students, priority=10, anliegen=study)
    RoutingRule.objects.create(authority=authority, team=syria, priority=20, nationalities=["SYR"])
    RoutingRule.objects.create(authority=authority, team=a_to_k, priority=30, surname_from="A", surname_to="K")
    RoutingRule.objects.create(authority=authority, team=l_to_z, priority=30, surname_from="L", surname_to="Z")
    assert route_to_team(authority, anliegen=study, nationalities=["SYR"], surname="Zed") == students
    assert route_to_team(authority, nationalities=["SYR"], surname="Zed") == syria
    assert route_to_team(authority, nationalities=["TUR"], surname="Özdemir") == l_to_z
    assert route_to_team(authority, nationalities=["TUR"], surname="Bauer") == a_to_k
    assert route_to_team(other_authority, surname="Bauer") is None
