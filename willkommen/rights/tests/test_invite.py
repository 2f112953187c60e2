"""Inviting a candidate to apply: one message in the client's language (German below), the rule explained,
the catalogue's checklist for the legal basis and the online-application link; once per outcome; audited."""

import pytest

from willkommen.audit.models import AuditEntry
from willkommen.catalogue import demo as catalogue_demo
from willkommen.core.testing import make_staff, verified_login
from willkommen.messaging.models import Message
from willkommen.rights import demo, services
from willkommen.rights.models import CheckOutcome, RightsInvitation, RuleVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def screened(authority):
    catalogue_demo.load(authority)
    return demo.load(authority)


def outcome_of(person, key):
    return CheckOutcome.objects.get(check_run__person=person, rule_key=key)


def test_the_invitation_explains_the_rule_in_arabic_and_german_with_the_checklist(authority, screened):
    amal = screened["amal"]
    invitation, sent = services.invite(authority, None, outcome_of(amal, "25a"), portal_url="https://alpha.example")
    assert sent
    message = Message.objects.get(person=amal, template_key="rights_invitation")
    assert invitation.message == message and message.language == "ar"
    rule = RuleVersion.objects.get(key="25a")
    assert rule.explanation["ar"] in message.body
    assert rule.explanation["de"] in message.body  # legal weight: German below
    assert "https://alpha.example/apply/start/bleiberecht-25a-25b/" in message.body
    anliegen_items = authority.anliegen_set.get(slug="bleiberecht-25a-25b").checklist_items.filter(condition={})
    from willkommen.catalogue.checklist import entry

    assert anliegen_items.exists()
    for item in anliegen_items:
        assert entry(item, "ar").title in message.body  # the checklist for the legal basis, in Arabic
    assert "§ 25a AufenthG" in message.subject
    assert AuditEntry.objects.filter(person_id=amal.pk, purpose="rights.invitation").count() == 1


def test_a_second_click_sends_nothing_and_an_unlikely_outcome_is_refused(authority, screened):
    outcome = outcome_of(screened["ilir"], "25b")  # needs data: invited to bring the missing proof
    first, sent = services.invite(authority, None, outcome)
    again, sent_again = services.invite(authority, None, outcome)
    assert sent and not sent_again and first == again
    assert Message.objects.filter(template_key="rights_invitation").count() == 1
    with pytest.raises(services.RightsError):
        services.invite(authority, None, outcome_of(screened["jamal"], "25b"))
    assert RightsInvitation.objects.count() == 1


def test_the_desk_button(client, authority, screened):
    outcome = outcome_of(screened["dawit"], "25b")
    url = f"/desk/rights/outcome/{outcome.pk}/invite/"
    client.cookies["willkommen_language"] = "en"
    head = verified_login(client, make_staff(authority, "hoo", role="head_of_office"))
    assert head.post(url).status_code == 403
    caseworker = verified_login(client, make_staff(authority, "cw", role="caseworker"))
    assert caseworker.get(url).status_code == 405
    response = caseworker.post(url, {"next": "/desk/rights/?rule=25b"})
    assert response.status_code == 302 and response["Location"] == "/desk/rights/?rule=25b"
    assert RightsInvitation.objects.filter(outcome=outcome).exists()
    assert b'data-testid="invited"' in caseworker.get("/desk/rights/?rule=25b").content
    unlikely = outcome_of(screened["jamal"], "25b")
    assert caseworker.post(f"/desk/rights/outcome/{unlikely.pk}/invite/").status_code == 404  # not a candidate
    assert caseworker.post(url, {"next": "https://evil.example/"})["Location"] == "/desk/rights/"


def test_the_application_when_it_comes_is_linked_to_the_invitation(authority, screened):
    from willkommen.cases.services import open_case

    amal = screened["amal"]
    invitation, _sent = services.invite(authority, None, outcome_of(amal, "25a"))
    other = authority.anliegen_set.get(slug="studium")
    open_case(authority, person=amal, anliegen=other)
    invitation.refresh_from_db()
    assert invitation.case is None  # another Anliegen
    anliegen = authority.anliegen_set.get(slug="bleiberecht-25a-25b")
    case, _code = open_case(authority, person=amal, anliegen=anliegen, source="online")
    invitation.refresh_from_db()
    assert invitation.case == case
