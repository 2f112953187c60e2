"""Facts come from the file: status and stay from the residence history, the rest recorded by the
caseworker with source and date; a fact never entered is missing."""

import datetime as dt

import pytest

from willkommen.audit.models import AuditEntry
from willkommen.clients import services as clients_services
from willkommen.clients.testing import make_client
from willkommen.rights import evaluator, facts, services
from willkommen.rights.models import Fact

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 3, 1)


def history(person, *entries):
    for kind, start, end, *basis in entries:
        clients_services.record_residence(
            person, kind=kind, valid_from=start, valid_to=end, legal_basis=basis[0] if basis else ""
        )


def test_successive_duldungen_are_one_status_and_a_long_gap_is_recorded(authority):
    person = make_client(authority, date_of_birth=dt.date(2004, 5, 10))
    history(
        person,
        ("gestattung", dt.date(2016, 6, 1), dt.date(2017, 12, 31)),
        ("duldung", dt.date(2018, 1, 1), dt.date(2018, 6, 30)),
        ("duldung", dt.date(2018, 7, 1), dt.date(2019, 1, 31)),
        ("duldung", dt.date(2019, 6, 1), dt.date(2026, 6, 30)),  # 4 months without a paper before
    )
    found, sources = facts.facts_of(person, ON)
    assert found.status == "duldung"
    assert found.status_since == dt.date(2019, 6, 1)
    assert found.stay_since == dt.date(2016, 6, 1)
    assert found.gaps == [(dt.date(2019, 1, 31), dt.date(2019, 6, 1))]
    assert found.born == dt.date(2004, 5, 10)
    assert found.german_level is None and sources == {}  # never entered: missing


def test_a_104c_title_is_its_own_status_and_an_empty_history_is_none(authority):
    holder = make_client(authority, email="h@example.org")
    history(holder, ("title", dt.date(2024, 6, 1), dt.date(2025, 11, 30), "§ 104c AufenthG"))
    assert facts.facts_of(holder, dt.date(2025, 1, 1))[0].status == "permit_104c"
    assert facts.facts_of(holder, ON)[0].status == "none"  # ran out
    nobody = make_client(authority, email="n@example.org")
    found = facts.facts_of(nobody, ON)[0]
    assert (found.status, found.stay_since, found.gaps) == ("none", None, [])


def test_recorded_facts_the_newest_by_its_date_counts_with_its_source(authority, caseworker):
    person = make_client(authority)
    services.record_fact(
        authority,
        caseworker,
        person,
        kind="german_level",
        value="A1",
        source="document",
        established_on=dt.date(2024, 1, 1),
    )
    newer = services.record_fact(
        authority,
        caseworker,
        person,
        kind="german_level",
        value="b1",
        source="document",
        established_on=dt.date(2025, 1, 1),
    )
    found, sources = facts.facts_of(person, ON)
    assert found.german_level == "B1"
    assert sources["german_level"]["fact"] == newer.pk
    assert facts.facts_of(person, dt.date(2024, 6, 1))[0].german_level == "A1"
    assert AuditEntry.objects.filter(person_id=person.pk, purpose="rights.fact").count() == 2


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("german_level", "D1"),
        ("school_years_de", "many"),
        ("identity_deception", "no"),
        ("exemptions", ["rich"]),
        ("nope", 1),
    ],
)
def test_a_value_that_does_not_fit_is_refused_and_nothing_is_written(authority, caseworker, kind, value):
    person = make_client(authority)
    with pytest.raises(services.RightsError):
        services.record_fact(
            authority, caseworker, person, kind=kind, value=value, source="staff", established_on=dt.date(2025, 1, 1)
        )
    assert not Fact.objects.exists()


def test_a_future_date_is_refused(authority, caseworker):
    person = make_client(authority)
    with pytest.raises(services.RightsError):
        services.record_fact(
            authority,
            caseworker,
            person,
            kind="german_level",
            value="A2",
            source="staff",
            established_on=dt.date(2999, 1, 1),
        )
    assert not Fact.objects.exists()


def test_as_record_round_trips_through_the_record_format(authority):
    person = make_client(authority)
    history(person, ("duldung", dt.date(2018, 1, 1), None))
    found = facts.facts_of(person, ON)[0]
    assert evaluator.facts_from_record(facts.as_record(found)) == found
