"""Staff learning: when mandatory training is due again (a retake clears it), the training page per role,
and the caseworkers who speak the client's language beside the case for team leads."""

import datetime as dt

import pytest

from willkommen.core.testing import make_staff, verified_login
from willkommen.knowledge import learning
from willkommen.knowledge.models import TrainingRecord
from willkommen.knowledge.services import KnowledgeError

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 4)


def test_mandatory_training_is_due_until_taken_again(authority):
    anna = make_staff(authority, "anna")
    ben = make_staff(authority, "ben")
    old = learning.save_training(
        authority,
        None,
        staff_member=anna,
        course="Datenschutz",
        completed_on=dt.date(2025, 11, 20),
        mandatory=True,
        renew_months=12,
    )
    soon = learning.save_training(
        authority,
        None,
        staff_member=ben,
        course="Datenschutz",
        completed_on=dt.date(2025, 12, 20),
        mandatory=True,
        renew_months=12,
    )
    learning.save_training(authority, None, staff_member=ben, course="Arabisch A1", completed_on=dt.date(2020, 1, 1))
    learning.save_training(
        authority,
        None,
        staff_member=anna,
        course="Interkulturelle Kompetenz",
        completed_on=dt.date(2026, 6, 1),
        mandatory=True,
        intercultural=True,
        renew_months=24,
    )
    assert old.due_on == dt.date(2026, 11, 20)
    due = learning.due(authority, today=TODAY)
    assert [(item.pk, item.overdue) for item in due] == [(old.pk, True), (soon.pk, False)]
    learning.save_training(
        authority, None, staff_member=anna, course="datenschutz", completed_on=TODAY, mandatory=True, renew_months=12
    )
    assert [item.pk for item in learning.due(authority, today=TODAY)] == [soon.pk]


def test_bad_training_input_is_refused(authority, other_authority):
    stranger = make_staff(other_authority, "stranger")
    with pytest.raises(KnowledgeError):
        learning.save_training(authority, None, staff_member=stranger, course="X", completed_on=dt.date(2026, 1, 1))
    with pytest.raises(KnowledgeError):
        learning.save_training(
            authority, None, staff_member=make_staff(authority, "a"), course="X", completed_on=dt.date(2999, 1, 1)
        )
    assert not TrainingRecord.objects.exists()


@pytest.mark.parametrize(
    "role,status", [("head_of_office", 200), ("administrator", 200), ("caseworker", 403), ("team_lead", 403)]
)
def test_training_page_by_role(client, authority, other_authority, role, status):
    client.cookies["willkommen_language"] = "en"
    verified_login(client, make_staff(authority, f"u-{role}", role=role))
    anna = make_staff(authority, "anna", languages=["de", "ar"])
    stranger = make_staff(other_authority, "stranger")
    assert client.get("/desk/knowledge/training/").status_code == status
    data = {
        "staff": anna.pk,
        "course": "Datenschutz",
        "completed_on": "2026-01-10",
        "mandatory": "on",
        "renew_months": 12,
    }
    assert client.post("/desk/knowledge/training/", data).status_code == (302 if status == 200 else 403)
    if status == 200:
        assert TrainingRecord.objects.get().due_on == dt.date(2027, 1, 10)
        response = client.post("/desk/knowledge/training/", {**data, "staff": stranger.pk})
        assert response.status_code == 400 and TrainingRecord.objects.count() == 1
        assert "Anna" in client.get("/desk/knowledge/training/").content.decode()


def test_team_lead_sees_caseworkers_who_speak_the_clients_language(client, authority, team, monkeypatch):
    from willkommen.cases import services as cases
    from willkommen.cases.tests.conftest import make_anliegen, make_person

    monkeypatch.setattr("willkommen.messaging.services.send_to_client", lambda authority, **kwargs: None)
    make_staff(authority, "omar", teams=[team], languages=["de", "ar"])
    make_staff(authority, "lea", teams=[team], languages=["de", "en"])
    make_staff(authority, "sami", role="servicepoint", languages=["ar"])  # not a caseworker
    case, _code = cases.open_case(
        authority, person=make_person(authority, language="ar"), anliegen=make_anliegen(authority), team=team
    )
    verified_login(client, make_staff(authority, "lena", role="team_lead", teams=[team]))
    page = client.get(f"/desk/cases/{case.pk}/").content.decode()
    hint = page.split('data-testid="speakers"', 1)[1].split("</p>", 1)[0]
    assert "Omar" in hint and "Lea" not in hint and "Sami" not in hint
    verified_login(client, make_staff(authority, "clara", teams=[team]))  # no cases.assign: no pairing hint
    assert 'data-testid="speakers"' not in client.get(f"/desk/cases/{case.pk}/").content.decode()
