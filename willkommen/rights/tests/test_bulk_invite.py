"""Inviting several candidates in one form (online application or appointment), the application that
follows routed to the team of the check, and the screening job's own reads in the audit log."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from willkommen.appointments.identity import hash_token
from willkommen.appointments.models import Invitation as AppointmentInvitation
from willkommen.audit.models import AuditEntry
from willkommen.catalogue import demo as catalogue_demo
from willkommen.core.testing import make_authority, make_staff, make_team, verified_login
from willkommen.messaging.models import Message
from willkommen.rights import demo, services
from willkommen.rights.models import CheckOutcome, RightsInvitation, ScreeningRun
from willkommen.tenancy.models import RoutingRule

pytestmark = pytest.mark.django_db
URL = "/desk/rights/invite/"


@pytest.fixture
def screened(authority, team):
    catalogue_demo.load(authority)
    RoutingRule.objects.create(authority=authority, team=team, priority=5, nationalities=["SYR"])
    return demo.load(authority)


def outcome_of(person, key):
    return CheckOutcome.objects.get(check_run__person=person, rule_key=key)


def lead(client, authority, team=None):
    client.cookies["willkommen_language"] = "en"
    return verified_login(client, make_staff(authority, "lead", role="team_lead", teams=[team] if team else []))


def sent_count():
    return Message.objects.filter(template_key__startswith="rights_invitation").count()


def test_the_team_lead_invites_several_and_a_repost_sends_nothing_twice(client, authority, screened):
    amal, dawit, ilir = screened["amal"], screened["dawit"], screened["ilir"]
    picked = [outcome_of(amal, "25a").pk, outcome_of(dawit, "25b").pk, outcome_of(dawit, "60d").pk]
    staff = lead(client, authority)
    page = staff.get("/desk/rights/").content.decode()
    assert 'form="invite-form" name="outcome"' in page and 'aria-label="Select Amal Yousef' in page

    response = staff.post(URL, {"outcome": picked, "mode": "online", "next": "/desk/rights/?rule=25a"}, follow=True)
    assert response.redirect_chain[-1] == ("/desk/rights/?rule=25a", 302)
    assert "3 invited, 0 already invited." in response.content.decode()
    assert sent_count() == 3 and RightsInvitation.objects.count() == 3
    assert AuditEntry.objects.filter(purpose="rights.invitation", actor__username="lead").count() == 3

    again = staff.post(URL, {"outcome": [picked[0], outcome_of(ilir, "25b").pk], "mode": "online"}, follow=True)
    text = again.content.decode()
    assert "1 invited, 1 already invited." in text and "Already invited: Amal Yousef." in text
    assert sent_count() == 4 and RightsInvitation.objects.filter(person=amal).count() == 1


def test_the_summary_is_in_the_staff_language(client, authority, screened):
    staff = lead(client, authority)
    staff.cookies["willkommen_language"] = "de"
    response = staff.post(URL, {"outcome": [outcome_of(screened["amal"], "25a").pk], "mode": "online"}, follow=True)
    assert "1 eingeladen, 0 bereits eingeladen." in response.content.decode()


@pytest.mark.parametrize(
    "picked",
    [
        lambda s, other: [],  # nothing selected
        lambda s, other: ["abc"],
        lambda s, other: [outcome_of(s["amal"], "25a").pk, other.pk],  # one of another authority
        lambda s, other: [outcome_of(s["amal"], "25a").pk, outcome_of(s["jamal"], "25b").pk],  # not a candidate
        lambda s, other: [outcome_of(s["amal"], "25a").pk, 10**9],  # no such outcome
    ],
)
def test_a_bad_selection_sends_nothing(client, authority, screened, picked):
    other_authority = make_authority("beta", "Beta", "BY")
    other = outcome_of(demo.load(other_authority)["dawit"], "25b")
    staff = lead(client, authority)
    response = staff.post(URL, {"outcome": picked(screened, other), "mode": "online"})
    assert response.status_code == 400
    assert re.search(r"Select at least one candidate|not valid|not on your candidate list", response.content.decode())
    assert sent_count() == 0 and not RightsInvitation.objects.exists()


def test_only_staff_who_invite_may_post_and_only_their_teams_candidates(client, authority, team, screened):
    from willkommen.cases.services import open_case

    dawit = screened["dawit"]
    picked = [outcome_of(screened["amal"], "25a").pk, outcome_of(dawit, "25b").pk]
    client.cookies["willkommen_language"] = "en"
    head = verified_login(client, make_staff(authority, "hoo", role="head_of_office"))
    assert head.post(URL, {"outcome": picked, "mode": "online"}).status_code == 403
    open_case(authority, person=dawit, anliegen=authority.anliegen_set.get(slug="studium"), team=team)
    scoped = lead(client, authority, make_team(authority, "Other"))  # Dawit's file is another team's work
    response = scoped.post(URL, {"outcome": picked, "mode": "online"})
    assert response.status_code == 400 and "not on your candidate list" in response.content.decode()
    assert sent_count() == 0


def test_an_invitation_with_an_appointment_carries_a_booking_link(client, authority, screened):
    amal = screened["amal"]
    staff = lead(client, authority)
    deadline = timezone.localdate() + dt.timedelta(days=21)
    picked = [outcome_of(amal, "25a").pk]
    response = staff.post(URL, {"outcome": picked, "mode": "appointment", "deadline": deadline.isoformat()})
    assert response.status_code == 302
    invitation = RightsInvitation.objects.get(person=amal)
    message = invitation.message
    assert invitation.mode == "appointment" and message.template_key == "rights_invitation_appointment"
    token = re.search(r"/appointments/invitation/([\w-]+)/", message.body).group(1)
    booked = AppointmentInvitation.objects.get(token_hash=hash_token(token))
    assert invitation.appointment == booked and booked.person == amal and booked.deadline == deadline
    assert booked.anliegen.slug == invitation.rule.anliegen_slug
    assert "/apply/start/" not in message.body
    assert message.language == "ar" and "persönlichen Link" in message.body  # German below


@pytest.mark.parametrize("deadline", ["", "2000-01-01"])
def test_an_appointment_needs_a_deadline_that_is_not_past(client, authority, screened, deadline):
    staff = lead(client, authority)
    picked = [outcome_of(screened["amal"], "25a").pk]
    response = staff.post(URL, {"outcome": picked, "mode": "appointment", "deadline": deadline})
    assert response.status_code == 400
    assert sent_count() == 0 and not AppointmentInvitation.objects.exists()


def test_the_application_goes_to_the_team_of_the_check_not_the_routing_rules(authority, team, screened):
    from willkommen.cases.services import open_case

    amal, dawit = screened["amal"], screened["dawit"]
    anliegen = authority.anliegen_set.get(slug="bleiberecht-25a-25b")
    other = make_team(authority, "Bleiberecht")
    RoutingRule.objects.create(authority=authority, team=other, priority=1, anliegen=anliegen)
    assert outcome_of(amal, "25a").check_run.team == team
    invitation, _sent = services.invite(authority, None, outcome_of(amal, "25a"))

    case, _code = open_case(authority, person=amal, anliegen=anliegen, source="online")
    invitation.refresh_from_db()
    assert case.team == team and invitation.case == case  # the team of the check, and linked

    uninvited, _code = open_case(authority, person=dawit, anliegen=anliegen, source="online")
    assert uninvited.team == other  # no invitation: the routing rules
    again, _code = open_case(authority, person=amal, anliegen=anliegen, source="online")
    assert again.team == other  # the invitation is answered: the next case is routed as usual


def test_the_screening_job_records_its_reads_once_per_run(authority, screened):
    run = ScreeningRun.objects.get(authority=authority)
    entries = AuditEntry.objects.filter(authority=authority, purpose="rights screening job")
    assert entries.count() == 1
    entry = entries.get()
    assert entry.object_type == "rights.screeningrun" and entry.object_id == str(run.pk)
    assert entry.detail.startswith(f"{run.persons} persons read") and run.persons == 5
    assert entry.action == "read" and entry.actor_label == "system"
    services.screen(authority, run.on)  # a retried run reads no one again
    assert entries.count() == 2 and entries.order_by("-id").first().detail.startswith("0 persons read")
