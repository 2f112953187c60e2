"""The desk pages: the candidate list (likely first, then needs data; reasons and missing facts in plain
words; filters by rule and team), who may see it, the audit of every read, recording a fact."""

import datetime as dt
import re

import pytest

from willkommen.audit.models import AuditEntry
from willkommen.clients.models import Person
from willkommen.core.testing import make_authority, make_staff, make_team, verified_login
from willkommen.rights import demo
from willkommen.rights.models import Fact
from willkommen.tenancy.models import RoutingRule

pytestmark = pytest.mark.django_db
LIST = "/desk/rights/"


@pytest.fixture
def screened(authority, team):
    RoutingRule.objects.create(authority=authority, team=team, priority=1, nationalities=["SYR"])
    return demo.load(authority)


def as_role(client, authority, role, teams=()):
    client.cookies["willkommen_language"] = "en"
    return verified_login(client, make_staff(authority, f"u-{role}", role=role, teams=teams))


def rows(response):
    return re.findall(r'data-testid="candidate-(\d+)-(\w+)" data-result="(\w+)"', response.content.decode())


@pytest.mark.parametrize(
    "role,status",
    [("caseworker", 200), ("team_lead", 200), ("head_of_office", 200), ("servicepoint", 403), ("partner", 403)],
)
def test_who_may_open_the_candidate_list(client, authority, screened, role, status):
    assert as_role(client, authority, role).get(LIST).status_code == status


def test_likely_first_then_needs_data_with_reasons_and_missing_facts(client, authority, screened):
    response = as_role(client, authority, "head_of_office").get(LIST)
    found = rows(response)
    results = [r for _pid, _rule, r in found]
    assert results == sorted(results, key=["likely", "needs_data"].index)
    by = {(int(pid), rule): result for pid, rule, result in found}
    ilir, jamal, amal = screened["ilir"], screened["jamal"], screened["amal"]
    assert by[(amal.pk, "25a")] == "likely"
    assert by[(ilir.pk, "25b")] == "needs_data"
    assert not any(pid == jamal.pk for pid, _rule in by)  # identity deception: unlikely, not listed
    html = response.content.decode()
    assert "3 years of successful schooling in Germany or a recognised qualification" in html
    assert "speaks German at level A2" in html  # Ilir's missing fact


def test_filters_by_rule_and_team(client, authority, team, screened):
    staff = as_role(client, authority, "head_of_office")
    only_25a = rows(staff.get(LIST, {"rule": "25a"}))
    assert only_25a and {rule for _p, rule, _r in only_25a} == {"25a"}
    of_team = rows(staff.get(LIST, {"team": team.pk}))
    assert {int(p) for p, _rule, _r in of_team} == {screened["amal"].pk}  # routed by nationality
    assert staff.get(LIST, {"rule": "99x"}).status_code == 400


def test_every_read_is_audited(client, authority, screened):
    as_role(client, authority, "head_of_office").get(LIST)
    read = set(AuditEntry.objects.filter(purpose="rights screening").values_list("person_id", flat=True))
    assert read == {screened[k].pk for k in ("amal", "dawit", "samira", "ilir")}


def test_another_authority_sees_none_of_it(client, authority, screened):
    other = make_authority("gamma", "Stadt Gamma", "HE")
    staff = verified_login(client, make_staff(other, "otto", role="head_of_office"))
    response = staff.get(f"/a/gamma{LIST}")
    assert response.status_code == 200 and rows(response) == []
    assert staff.get(f"/a/gamma/desk/rights/person/{screened['amal'].pk}/").status_code == 404


def test_a_caseworker_sees_only_the_persons_of_the_team_scope(client, authority, screened):
    from willkommen.cases.models import Case
    from willkommen.cases.tests.conftest import make_anliegen

    other_team = make_team(authority, "Team L–Z")
    Case.objects.create(
        authority=authority,
        anliegen=make_anliegen(authority),
        person=screened["dawit"],
        team=other_team,
        number="X-1",
        received_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    caseworker = as_role(client, authority, "caseworker", teams=[make_team(authority, "Team A–K")])
    listed = {int(p) for p, _rule, _r in rows(caseworker.get(LIST))}
    assert screened["dawit"].pk not in listed  # a case of another team
    assert screened["amal"].pk in listed  # no case yet: everyone's


def test_recording_a_missing_fact_and_refusing_a_bad_one(client, authority, screened):
    ilir = screened["ilir"]
    staff = as_role(client, authority, "caseworker")
    url = f"/desk/rights/person/{ilir.pk}/"
    page = staff.get(url)
    assert page.status_code == 200 and "missing" in page.content.decode()
    before = Fact.objects.count()
    bad = staff.post(
        url, {"kind": "german_level", "value": "fluent", "source": "document", "established_on": "2026-01-05"}
    )
    assert bad.status_code == 400 and Fact.objects.count() == before
    good = staff.post(
        url, {"kind": "german_level", "value": "a2", "source": "document", "established_on": "2026-01-05"}
    )
    assert good.status_code == 302
    fact = Fact.objects.get(person=ilir, kind="german_level")
    assert fact.value == "A2" and fact.source == "document"
    assert AuditEntry.objects.filter(person_id=ilir.pk, purpose="rights check").exists()


def test_a_head_of_office_may_read_but_not_record(client, authority, screened):
    staff = as_role(client, authority, "head_of_office")
    url = f"/desk/rights/person/{screened['ilir'].pk}/"
    assert staff.get(url).status_code == 200
    assert staff.post(url, {"kind": "german_level", "value": "A2"}).status_code == 403
    assert not Person.objects.filter(pk=screened["ilir"].pk, rights_facts__kind="german_level").exists()
