import datetime as dt

import pytest

from willkommen.core.testing import make_staff


def make_anliegen(
    authority,
    slug="study",
    *,
    complexity="simple",
    discretionary=False,
    legal_basis="§ 16b AufenthG",
    residence_kind="title",
    **fields,
):
    from willkommen.catalogue.models import Anliegen, AnliegenText, ChecklistItem, ChecklistItemText

    anliegen = Anliegen.objects.create(
        authority=authority,
        slug=slug,
        legal_basis=legal_basis,
        fee_eur="100.00",
        complexity=complexity,
        target_days=14 if complexity == "simple" else 90,
        interim_answer_days=None if complexity == "simple" else 14,
        longest_validity_months=24,
        discretionary=discretionary,
        residence_kind=residence_kind,
        **fields,
    )
    for language, title in [
        ("de", "Aufenthaltserlaubnis zum Studium"),
        ("en", "Residence permit for study"),
        ("ar", "تصريح إقامة للدراسة"),
    ]:
        AnliegenText.objects.create(authority=authority, anliegen=anliegen, language=language, title=title)
    for order, (key, de, en, ar) in enumerate(
        [
            ("passport", "Reisepass", "Passport", "جواز السفر"),
            ("enrolment", "Immatrikulation", "Enrolment", "شهادة القيد"),
        ]
    ):
        item = ChecklistItem.objects.create(
            authority=authority, anliegen=anliegen, key=key, order=order, document_type=key
        )
        for language, title in (("de", de), ("en", en), ("ar", ar)):
            ChecklistItemText.objects.create(authority=authority, item=item, language=language, title=title)
    return anliegen


def make_person(authority, family_name="Haddad", language="ar", email="rana@example.org", **extra):
    from willkommen.clients.models import Person

    return Person.objects.create(
        authority=authority,
        family_name=family_name,
        given_names="Rana",
        date_of_birth=dt.date(1998, 4, 2),
        nationalities=["SYR"],
        email=email,
        preferred_language=language,
        street="Hauptstraße 5",
        postal_code="80331",
        city="Alpha",
        **extra,
    )


@pytest.fixture
def anliegen(authority):
    return make_anliegen(authority)


@pytest.fixture
def complex_anliegen(authority):
    return make_anliegen(authority, "skilled", complexity="complex", legal_basis="§ 18b AufenthG")


@pytest.fixture
def discretionary_anliegen(authority):
    return make_anliegen(authority, "family", complexity="complex", discretionary=True, legal_basis="§ 30 AufenthG")


@pytest.fixture
def person(authority):
    return make_person(authority)


@pytest.fixture
def open_a_case(authority, team, person, anliegen):
    from willkommen.cases.services import open_case

    def _open(anl=None, who=None, t=team, **kw):
        case, _code = open_case(authority, person=who or person, anliegen=anl or anliegen, team=t, **kw)
        return case

    return _open


@pytest.fixture
def team_lead(authority, team):
    return make_staff(authority, "lena", role="team_lead", teams=[team])


@pytest.fixture
def second_caseworker(authority, team):
    return make_staff(authority, "carl", role="caseworker", teams=[team])


@pytest.fixture(autouse=True)
def outbox(monkeypatch):
    """Messages handed to the messaging room (its own tests cover delivery); a list of the call's kwargs."""
    sent = []

    def fake_send_to_client(authority, **kwargs):
        sent.append({"authority": authority, **kwargs})

    monkeypatch.setattr("willkommen.messaging.services.send_to_client", fake_send_to_client)
    return sent
