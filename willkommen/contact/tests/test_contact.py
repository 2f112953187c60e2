import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from willkommen.cases.models import TimelineEntry
from willkommen.cases.opening import open_case
from willkommen.catalogue.testing import make_anliegen
from willkommen.clients.testing import make_client
from willkommen.contact import selectors, services
from willkommen.contact.models import CallbackRequest, ContactHour
from willkommen.core.testing import make_location, make_staff, make_team, verified_login


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["willkommen_language"] = "en"


@pytest.fixture
def setup(authority, team, caseworker):
    lead = make_staff(authority, "lena", role="team_lead", teams=[team])
    other_team = make_team(authority, "Team L–Z")
    case, code = open_case(authority, person=make_client(authority), anliegen=make_anliegen(authority), team=team)
    case.assignee = caseworker
    case.save(update_fields=["assignee"])
    return {"lead": lead, "other_team": other_team, "case": case, "code": code, "location": make_location(authority)}


def hour(actor, team, weekday=1, **kw):
    return services.add_hour(
        actor, team, kind=kw.pop("kind", "consultation"), weekday=weekday, starts=dt.time(9), ends=dt.time(12), **kw
    )


def test_team_lead_edits_only_the_hours_of_teams_they_lead(setup, team, caseworker):
    lead = setup["lead"]
    created = hour(lead, team, languages=["de", "ar"], place="Room 2.14")
    assert created.languages == ["ar", "de"]
    with pytest.raises(PermissionDenied):
        hour(lead, setup["other_team"])
    with pytest.raises(PermissionDenied):
        hour(caseworker, team)
    with pytest.raises(services.ContactError):
        services.add_hour(lead, team, kind="phone", weekday=1, starts=dt.time(12), ends=dt.time(9))
    with pytest.raises(services.ContactError):
        hour(lead, team, staff=make_staff(team.authority, "zoe", teams=[setup["other_team"]]))


def test_fewer_than_two_hours_a_week_warns_the_team_lead(client, setup, team, caseworker):
    lead = setup["lead"]
    hour(lead, team)
    teams = type(team).objects.filter(authority=team.authority)
    assert {t.pk for t in selectors.teams_short_of_hours(teams)} == {team.pk, setup["other_team"].pk}
    page = verified_login(client, lead).get(reverse("contact:hours")).content.decode()
    assert f'data-testid="short-{team.pk}"' in page and "offers 1 hour a week" in page
    assert "Team L–Z" not in page  # not their team
    hour(lead, team, weekday=3, kind="phone", staff=caseworker)
    page = client.get(reverse("contact:hours")).content.decode()
    assert f'data-testid="short-{team.pk}"' not in page


def test_hours_form_adds_and_refuses_bad_input(client, setup, team):
    c = verified_login(client, setup["lead"])
    data = {"team": team.pk, "kind": "phone", "weekday": 2, "starts": "14:00", "ends": "15:30", "languages": ["en"]}
    assert c.post(reverse("contact:hours"), data).status_code == 302
    assert ContactHour.objects.filter(team=team, kind="phone", weekday=2).count() == 1
    bad = c.post(reverse("contact:hours"), {**data, "ends": "13:00"})
    assert bad.status_code == 400 and "must end after it starts" in bad.content.decode()
    foreign = c.post(reverse("contact:hours"), {**data, "team": setup["other_team"].pk})
    assert foreign.status_code == 400
    assert ContactHour.objects.count() == 1


def test_status_page_shows_the_team_hours_and_the_caseworkers(client, setup, team, caseworker, authority):
    lead = setup["lead"]
    hour(lead, team, location=setup["location"], languages=["ar"])
    hour(lead, team, weekday=3, kind="phone", staff=caseworker, place="+49 89 1234-55")
    hour(lead, team, weekday=4, staff=setup["lead"])  # another caseworker's own hour: not shown
    hour(lead, team, weekday=0)
    services.add_hour(
        make_staff(authority, "hanna", role="head_of_office"),
        setup["other_team"],
        kind="phone",
        weekday=2,
        starts=dt.time(9),
        ends=dt.time(10),
    )  # another team's hour: not shown
    case = setup["case"]
    shown = selectors.hours_for_case(case)
    assert [(h.weekday, h.staff_id) for h in shown] == [(0, None), (1, None), (3, caseworker.pk)]
    assert client.post("/a/alpha/status/", {"number": case.number, "code": setup["code"]}).status_code == 302
    page = client.get("/a/alpha/status/case/").content.decode()
    assert 'data-testid="contact-hours"' in page and "+49 89 1234-55" in page and "Hauptstelle" in page


def test_callback_request_lands_in_the_team_list_and_closes_with_a_phone_note(client, setup, team, caseworker):
    case = setup["case"]
    assert client.post("/a/alpha/status/", {"number": case.number, "code": setup["code"]}).status_code == 302
    url = reverse("applications:status_callback")
    bad = client.post(url, {"case": case.number, "topic": "", "window": "morning", "phone": "abc"})
    assert bad.status_code == 400 and "phone number" in bad.content.decode()
    assert not CallbackRequest.objects.exists()
    ok = client.post(
        url, {"case": case.number, "topic": "Fiktionsbescheinigung", "window": "morning", "phone": "+49 171 555 12 34"}
    )
    assert ok.status_code == 302
    callback = CallbackRequest.objects.get()
    assert callback.team == team and callback.phone == "+49 171 555 12 34"
    assert callback.due_on == services.working_days_after(
        timezone.localdate(), 2, frozenset(team.authority.holidays(range(2025, 2030)).keys())
    )
    desk = verified_login(client, caseworker)
    page = desk.get(reverse("contact:callbacks")).content.decode()
    assert f'data-testid="callback-{callback.pk}"' in page and "Fiktionsbescheinigung" in page
    from willkommen.audit.models import AuditEntry

    assert AuditEntry.objects.filter(person_id=case.person_id, purpose="callback list").exists()
    close = reverse("contact:close_callback", args=[callback.pk])
    assert desk.post(close, {f"c{callback.pk}-note": ""}).status_code == 400
    assert desk.post(close, {f"c{callback.pk}-note": "Explained the certificate."}).status_code == 302
    callback.refresh_from_db()
    assert callback.status == "done" and callback.done_by == caseworker
    note = TimelineEntry.objects.filter(case=case, data__phone_note=True).get()
    assert "Explained the certificate." in note.text
    assert desk.post(close, {f"c{callback.pk}-note": "again"}).status_code == 400  # closed once only


def test_callbacks_of_other_teams_are_not_visible(client, setup, authority):
    callback = services.request_callback(setup["case"], topic="t", window="any", phone="0171 5551234")
    stranger = make_staff(authority, "otto", teams=[setup["other_team"]])
    c = verified_login(client, stranger)
    assert f"callback-{callback.pk}" not in c.get(reverse("contact:callbacks")).content.decode()
    assert (
        c.post(reverse("contact:close_callback", args=[callback.pk]), {f"c{callback.pk}-note": "x"}).status_code == 404
    )


def test_two_working_days_skip_weekend_and_holidays():
    friday = dt.date(2026, 12, 18)
    assert services.working_days_after(friday, 2) == dt.date(2026, 12, 22)
    assert services.working_days_after(
        dt.date(2026, 12, 23), 2, {dt.date(2026, 12, 25), dt.date(2026, 12, 26)}
    ) == dt.date(2026, 12, 28)
