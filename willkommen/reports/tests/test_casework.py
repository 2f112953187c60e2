"""Casework figures on a hand-made fixture: every number below is counted by hand (see the comments)."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from willkommen.cases import deadlines
from willkommen.cases import selectors as cases
from willkommen.cases.models import (
    AutoMessage,
    Case,
    Decision,
    DocumentRequest,
    TimelineEntry,
)
from willkommen.catalogue.models import Anliegen
from willkommen.clients.models import Person
from willkommen.core.testing import make_staff, make_team, verified_login

START, END = dt.date(2026, 3, 1), dt.date(2026, 3, 31)
TODAY = dt.date(2026, 4, 15)


def at(day, hour=12, minute=0):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def d(month, day, year=2026):
    return dt.date(year, month, day)


class Maker:
    def __init__(self, authority):
        self.authority = authority
        self.n = 0
        self.person = Person.objects.create(
            authority=authority, family_name="Haddad", given_names="Rana", date_of_birth=dt.date(1990, 1, 1)
        )

    def anliegen(self, slug, complexity):
        return Anliegen.objects.create(
            authority=self.authority,
            slug=slug,
            legal_basis="§ 16b AufenthG",
            fee_eur="100.00",
            complexity=complexity,
            target_days=14 if complexity == "simple" else 90,
            target_months=None if complexity == "simple" else 3,
        )

    def case(self, anliegen, team, received, *, decided=None, status="in_review", paused=(), **fields):
        self.n += 1
        pauses = [deadlines.Pause(a, b) for a, b in paused]
        due = deadlines.due_date(
            received,
            anliegen.complexity,
            pauses=pauses,
            holidays=deadlines.holiday_set(self.authority, received, received + dt.timedelta(days=400)),
            today=received + dt.timedelta(days=200),
            override_months=anliegen.target_months,
            override_days=anliegen.target_days,
        )
        return Case.objects.create(
            authority=self.authority,
            number=f"C-{self.n}",
            person=self.person,
            anliegen=anliegen,
            team=team,
            status="decided" if decided else status,
            received_at=at(received),
            decided_at=at(decided) if decided else None,
            due_on=due,
            paused_days=deadlines.paused_days(pauses, received + dt.timedelta(days=200)),
            **fields,
        )

    def ended(self, case, status, day):
        case.status = status
        case.save(update_fields=["status"])
        TimelineEntry.objects.create(
            authority=self.authority,
            case=case,
            at=at(day),
            kind="transition",
            from_status="in_review",
            to_status=status,
        )

    def decision(self, case, outcome, drafter, *, approver=None, drafted=None, approved=None, state="final"):
        return Decision.objects.create(
            authority=self.authority,
            case=case,
            outcome=outcome,
            legal_basis="§ 16b",
            reasoning="r",
            state=state,
            needs_approval=approver is not None,
            drafted_by=drafter,
            drafted_at=drafted or case.decided_at,
            approved_by=approver,
            approved_at=approved,
        )

    def message(self, case, kind, due, sent):
        AutoMessage.objects.create(
            authority=self.authority, case=case, kind=kind, due_on=due, sent_at=at(sent), language="de", channel="email"
        )


@pytest.fixture
def world(authority, other_authority):
    m = Maker(authority)
    team_a, team_b = make_team(authority, "Team A"), make_team(authority, "Team B")
    study, skilled = m.anliegen("study", "simple"), m.anliegen("skilled", "complex")
    clara = make_staff(authority, "clara2", teams=[team_a])
    lead = make_staff(authority, "lena", role="team_lead", teams=[team_a])
    c1 = m.case(study, team_a, d(2, 20), decided=d(3, 3))  # 11 days, due 6 March: on time
    c2 = m.case(study, team_a, d(3, 2), decided=d(3, 20))  # 18 days, due 16 March: late
    c3 = m.case(skilled, team_b, d(1, 5), decided=d(3, 10), paused=[(d(2, 1), d(2, 6))])  # 64 days, 5 paused
    c4 = m.case(study, team_a, d(3, 10), status="documents_requested", clock_stopped_on=d(3, 25))
    m.case(skilled, team_b, d(3, 30))
    c6 = m.case(study, team_a, d(3, 5))
    m.ended(c6, "withdrawn", d(3, 12))
    c7 = m.case(study, team_b, d(3, 15))
    m.ended(c7, "transferred", d(3, 25))
    c8 = m.case(study, team_a, d(12, 1, 2025))
    m.case(study, team_a, d(3, 18), source="transfer")
    m.case(skilled, team_b, d(3, 2), interim_due_on=d(3, 16), status_message_due_on=d(3, 30))
    m.decision(c1, "grant", clara)
    m.decision(c2, "grant", clara, state="withdrawn")  # replaced: does not count
    m.decision(c2, "refuse", clara, approver=lead, drafted=at(d(3, 19), 10), approved=at(d(3, 20), 12))  # 26 h
    m.decision(c3, "partial", clara, approver=lead, drafted=at(d(3, 9), 8), approved=at(d(3, 9), 14))  # 6 h
    m.message(c4, "status", d(3, 20), d(3, 19))  # on time
    m.message(c8, "status", d(3, 5), d(3, 9))  # late
    m.message(c3, "status", d(3, 2), d(3, 2))  # on time
    m.message(c3, "interim", d(1, 19), d(1, 19))  # due before the period
    DocumentRequest.objects.create(
        authority=authority, case=c4, items=["passport"], deadline=d(4, 8), requested_at=at(d(3, 25))
    )
    DocumentRequest.objects.create(
        authority=authority,
        case=c3,
        items=["passport"],
        deadline=d(2, 15),
        requested_at=at(d(2, 1)),
        fulfilled_at=at(d(2, 6)),
    )
    stranger = Maker(other_authority)
    foreign = stranger.anliegen("study", "simple")
    for day in (2, 3, 4):
        stranger.case(foreign, None, d(3, day), decided=d(3, day + 1))
    head = make_staff(authority, "hanna", role="head_of_office")
    return {"head": head, "lead": lead, "team_a": team_a, "team_b": team_b, "study": study, "skilled": skilled, "m": m}


def figures_for(user, **kw):
    return cases.casework_figures(user, user.authority, START, END, today=TODAY, **kw)


def test_flow_and_backlog(world):
    r = figures_for(world["head"])
    flow = r["flow"]
    assert flow["backlog_start"] == 3  # c1, c3, c8
    assert flow["in"] == 7  # c2, c4, c5, c6, c7, c9, c10
    assert flow["out"] == 5  # c1, c2, c3 decided, c6 withdrawn, c7 transferred
    assert flow["decided"] == 3
    assert flow["backlog_end"] == 5  # c4, c5, c8, c9, c10
    per_day = {row["day"]: row for row in flow["per_day"]}
    assert len(per_day) == 31
    assert per_day[d(3, 2)] == {"day": d(3, 2), "in": 2, "out": 0, "backlog": 5}
    assert per_day[d(3, 3)]["out"] == 1 and per_day[d(3, 3)]["backlog"] == 4
    assert per_day[d(3, 31)]["backlog"] == 5
    bands = {b["band"]: b["count"] for b in r["backlog"]["bands"]}
    assert bands == {"0-14": 2, "15-30": 2, "31-90": 0, "91+": 1}  # c5, c9 | c4, c10 | – | c8
    assert r["backlog"]["clock_stopped"] == 1  # c4


def test_processing_time_against_the_targets(world):
    p = figures_for(world["head"])["processing"]
    assert p["overall"]["n"] == 3
    assert p["overall"]["median"] == pytest.approx(18)  # 11, 18, 64
    assert p["overall"]["p90"] == pytest.approx(54.8)  # 18 + 0.8 × (64 − 18)
    assert p["by_class"]["simple"] == {"n": 2, "median": pytest.approx(14.5), "p90": pytest.approx(17.3)}
    assert p["by_class"]["complex"] == {"n": 1, "median": pytest.approx(64), "p90": pytest.approx(64)}
    assert (p["with_due"], p["on_time"]) == (3, 2)  # c2 decided 20 March, due 16 March
    assert p["on_time_share"] == pytest.approx(2 / 3)


def test_messages_clock_four_eyes_outcomes_transfers(world):
    r = figures_for(world["head"])
    assert r["messages"]["status"] == {"due": 4, "sent": 3, "on_time": 2, "missing": 1, "on_time_share": 0.5}
    assert r["messages"]["interim"] == {"due": 1, "sent": 0, "on_time": 0, "missing": 1, "on_time_share": 0.0}
    assert r["clock"] == {"days": 5, "cases": 1, "mean_days": pytest.approx(5 / 3), "requests": 1}
    eyes = r["four_eyes"]
    assert (eyes["decisions"], eyes["needing"]) == (3, 2)
    assert eyes["turnaround"]["median"] == pytest.approx(16)  # 6 h and 26 h
    assert eyes["turnaround"]["p90"] == pytest.approx(24)
    assert r["outcomes"] == {world["study"].pk: {"grant": 1, "refuse": 1}, world["skilled"].pk: {"partial": 1}}
    assert r["transfers"] == {"out": 1, "in": 1}


def test_filters_and_team_lead_scope(world):
    by_team = figures_for(world["head"], team=world["team_b"])["flow"]
    assert (by_team["in"], by_team["out"], by_team["backlog_end"]) == (3, 2, 2)  # c5 c7 c10 | c3 c7 | c5 c10
    by_anliegen = figures_for(world["head"], anliegen=world["skilled"].pk)["processing"]["overall"]
    assert by_anliegen["n"] == 1
    # The team lead of team A sees team A only, whatever the filter.
    lead = figures_for(world["lead"])["flow"]
    assert (lead["in"], lead["out"], lead["backlog_end"]) == (4, 3, 3)  # c2 c4 c6 c9 | c1 c2 c6 | c4 c8 c9
    assert figures_for(world["lead"], team=world["team_b"])["flow"]["in"] == 0


@pytest.fixture
def head_client(client, world):
    return verified_login(client, world["head"])


def test_page_shows_the_figures_and_readable_charts(head_client):
    import re

    response = head_client.get(reverse("reports:casework"), {"start": START, "end": END})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="cases-in"><bdi dir="ltr">7</bdi>' in html
    assert 'data-testid="backlog"><bdi dir="ltr">5</bdi>' in html
    assert 'data-testid="on-time"><bdi dir="ltr">67</bdi> %' in html
    svgs = re.findall(r"<svg class=\"report-chart__svg\".*?</svg>", html, re.S)
    assert len(svgs) == 5
    for svg in svgs:
        # drawn at natural size (width = viewBox width), so a font-size is a size in CSS pixels
        view_width = re.search(r'viewBox="0 0 (\d+)', svg).group(1)
        assert re.search(r'width="(\d+)"', svg).group(1) == view_width
        assert all(int(size) >= 12 for size in re.findall(r'font-size="(\d+)"', svg))


def test_bad_input_is_a_400(head_client):
    bad = head_client.get(reverse("reports:casework"), {"start": END, "end": START}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400 and "must not be after" in bad.content.decode()
    junk = head_client.get(reverse("reports:casework"), {"start": "x", "end": END, "team": "99999"})
    assert junk.status_code == 400
    export = head_client.get(reverse("reports:casework_csv"), {"start": END, "end": START})
    assert export.status_code == 400


def test_csv_and_xlsx(head_client):
    from openpyxl import load_workbook

    response = head_client.get(
        reverse("reports:casework_csv"), {"start": START, "end": END, "table": "day"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "Day,Cases in,Cases out,Backlog"  # English: commas, decimal point
    assert "2026-03-02,2,0,5" in text
    response = head_client.get(reverse("reports:casework_xlsx"), {"start": START, "end": END})
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 6  # summary, per day, backlog, processing, outcomes, workload
    summary = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True)}
    assert 7 in summary.values() and 54.8 in summary.values()


def test_caseworker_has_no_figures(client, world):
    clara = make_staff(world["head"].authority, "carl", teams=[world["team_a"]])
    assert verified_login(client, clara).get(reverse("reports:casework")).status_code == 403


def test_query_count_does_not_grow_with_the_data(head_client, world):
    params = {"start": START, "end": END}
    head_client.get(reverse("reports:casework"), params)  # warm the authority cache
    with CaptureQueriesContext(connection) as small:
        assert head_client.get(reverse("reports:casework"), params).status_code == 200
    m, team = world["m"], world["team_a"]
    for day in range(1, 28):
        c = m.case(world["study"], team, d(3, day), decided=d(3, day + 1))
        m.decision(c, "grant", world["lead"])
        m.message(c, "status", d(3, day), d(3, day))
    with CaptureQueriesContext(connection) as large:
        assert head_client.get(reverse("reports:casework"), params).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_monthly_pdf(head_client):
    from pypdf import PdfReader

    response = head_client.get(reverse("reports:casework_pdf"), {"month": "2026-03"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "01.03.2026" in text and "31.03.2026" in text
    assert "Cases in" in text and "54.8" in text
    assert head_client.get(reverse("reports:casework_pdf"), {"month": "March"}).status_code == 400


def test_month_bounds():
    from willkommen.reports.casework_views import month_bounds

    assert month_bounds("2024-02") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert month_bounds("", today=dt.date(2026, 1, 15)) == (dt.date(2025, 12, 1), dt.date(2025, 12, 31))
    assert month_bounds("2026-13") is None


def test_location_filter_uses_the_teams_holding_hours_there(head_client, world):
    from willkommen.contact.models import ContactHour
    from willkommen.core.testing import make_location

    location = make_location(world["head"].authority, "Außenstelle")
    ContactHour.objects.create(
        authority=location.authority,
        team=world["team_b"],
        weekday=1,
        starts=dt.time(9),
        ends=dt.time(12),
        location=location,
    )
    response = head_client.get(reverse("reports:casework"), {"start": START, "end": END, "location": location.pk})
    assert 'data-testid="cases-in"><bdi dir="ltr">3</bdi>' in response.content.decode()  # team B: c5, c7, c10


def _renewal(m, anliegen, invited_on, state, *, followed_up=False):
    from willkommen.appointments.models import Renewal
    from willkommen.clients.models import ResidenceEntry

    m.n += 1
    entry = ResidenceEntry.objects.create(
        authority=m.authority, person=m.person, kind="title", legal_basis="§ 16b AufenthG", valid_to=d(6, 1)
    )
    return Renewal.objects.create(
        authority=m.authority,
        entry=entry,
        person=m.person,
        anliegen=anliegen,
        expires_on=d(6, 1),
        token_hash=f"h{m.n}",
        state=state,
        invited_on=invited_on,
        followed_up_on=invited_on + dt.timedelta(days=21) if followed_up else None,
    )


def _rights_invitation(m, team, invited, *, mode="online", case=None, anliegen_slug="study"):
    import importlib

    from django.apps import apps

    from willkommen.rights.models import Check, CheckOutcome, RightsInvitation, RuleVersion, ScreeningRun

    if not RuleVersion.objects.exists():  # a transactional test elsewhere flushed the seeded rules
        importlib.import_module("willkommen.rights.migrations.0002_seed_rules").seed(apps, None)
    rule = RuleVersion.objects.filter(key="25b").first()
    RuleVersion.objects.filter(pk=rule.pk).update(anliegen_slug=anliegen_slug)
    m.n += 1
    run = ScreeningRun.objects.create(authority=m.authority, on=d(1, 1) + dt.timedelta(days=m.n))
    check = Check.objects.create(authority=m.authority, run=run, person=m.person, team=team, on=run.on, best="likely")
    outcome = CheckOutcome.objects.create(
        authority=m.authority, check_run=check, rule=rule, rule_key="25b", result="likely", rank=0
    )
    invitation = RightsInvitation.objects.create(
        authority=m.authority, outcome=outcome, person=m.person, rule=rule, language="de", mode=mode, case=case
    )
    RightsInvitation.objects.filter(pk=invitation.pk).update(invited_at=at(invited))
    return invitation


def test_renewal_and_rights_invitations_and_what_followed(world, head_client):
    m, study = world["m"], world["study"]
    _renewal(m, study, d(3, 2), "answered")
    _renewal(m, study, d(3, 5), "followed_up", followed_up=True)
    _renewal(m, study, d(3, 9), "unanswered", followed_up=True)
    _renewal(m, study, d(2, 20), "answered")  # before the period
    case = Case.objects.filter(authority=m.authority).first()
    _rights_invitation(m, world["team_a"], d(3, 3), case=case)  # applied
    _rights_invitation(m, world["team_a"], d(3, 4), mode="appointment")
    _rights_invitation(m, world["team_b"], d(3, 30))
    _rights_invitation(m, world["team_a"], d(4, 2))  # after the period

    lines = casework_summary(head_client)
    assert lines["Renewal invitations sent"] == 3 and lines["Renewal invitations answered (applied or booked)"] == 1
    assert lines["Renewal invitations answered (%)"] == 33.3 and lines["Renewal invitations reminded"] == 2
    assert lines["Renewals listed as expiring, not applied"] == 1
    assert lines["Invitations to apply (rights check)"] == 3 and lines["Of these with an appointment"] == 1
    assert lines["Invitations to apply followed by an application"] == 1
    # the team lead of team A sees the invitations of the checks of their team only
    lead_lines = casework_summary(verified_login(head_client, world["lead"]))
    assert lead_lines["Invitations to apply (rights check)"] == 2


def casework_summary(client):
    from django.utils import translation

    response = client.get(reverse("reports:casework"), {"start": START, "end": END}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Invitations to apply followed by an application" in response.content.decode()  # shown on the page
    with translation.override("en"):
        return {str(label): value for label, value in response.context["summary"]}


def test_open_cases_per_caseworker_at_the_end_of_the_period(world, head_client):
    clara = make_staff(world["m"].authority, "clara3", teams=[world["team_a"]])
    c8 = Case.objects.get(authority=world["m"].authority, received_at__date=d(12, 1, 2025))
    c4 = Case.objects.get(authority=world["m"].authority, status="documents_requested")
    Case.objects.filter(pk__in=[c4.pk, c8.pk]).update(assignee=clara)
    rows = figures_for(world["head"])["workload"]
    # open at the end: c4, c5, c8, c9, c10; c8 is overdue, c4's clock stands still
    assert [(r["assignee_id"], r["open"], r["overdue"]) for r in rows] == [(None, 3, 0), (clara.pk, 2, 1)]
    lead_rows = figures_for(world["lead"])["workload"]  # team A: c4, c8, c9
    assert sorted((r["assignee_id"] or 0, r["open"]) for r in lead_rows) == [(0, 1), (clara.pk, 2)]
    html = head_client.get(reverse("reports:casework"), {"start": START, "end": END}, HTTP_ACCEPT_LANGUAGE="en")
    html = html.content.decode()
    section = html[html.index('id="workload"') :]
    assert clara.display_name in section[:3000] and "not assigned" in section[:3000]
    csv = head_client.get(reverse("reports:casework_csv"), {"start": START, "end": END, "table": "workload"})
    assert csv.status_code == 200 and clara.display_name in csv.content.decode("utf-8-sig")
