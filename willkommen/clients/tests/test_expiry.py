"""Expiries become dated entries of the residence history: once, only without a follow-up."""

import datetime as dt

import pytest

from willkommen.clients.expiry import record_expiries
from willkommen.clients.models import Person, ResidenceEntry
from willkommen.clients.services import record_residence

ON = dt.date(2026, 6, 15)


@pytest.fixture
def person(authority):
    return Person.objects.create(authority=authority, family_name="Haddad", date_of_birth="1990-01-01")


def _expired(person):
    return list(ResidenceEntry.objects.filter(person=person, kind="expired").values_list("valid_from", "note"))


def test_a_title_that_ran_out_without_follow_up_gets_one_expired_entry(person):
    record_residence(
        person,
        kind="title",
        legal_basis="§ 16b AufenthG",
        valid_from=dt.date(2024, 6, 1),
        valid_to=dt.date(2026, 6, 10),
    )
    assert record_expiries(ON) == 1
    assert _expired(person) == [(dt.date(2026, 6, 11), "Aufenthaltstitel")]
    assert record_expiries(ON) == 0 and record_expiries(ON + dt.timedelta(days=1)) == 0  # once
    assert ResidenceEntry.objects.get(kind="expired").source == "expiry"


def test_nothing_is_written_while_it_runs_or_when_something_follows(person, authority):
    record_residence(person, kind="title", valid_from=dt.date(2024, 6, 1), valid_to=ON)  # still valid on ON
    assert record_expiries(ON) == 0
    other = Person.objects.create(authority=authority, family_name="Other", date_of_birth="1990-01-01")
    record_residence(other, kind="title", valid_from=dt.date(2024, 6, 1), valid_to=dt.date(2026, 6, 1))
    record_residence(other, kind="fiction", valid_from=dt.date(2026, 5, 20), valid_to=dt.date(2026, 9, 1))
    refused = Person.objects.create(authority=authority, family_name="Refused", date_of_birth="1990-01-01")
    record_residence(refused, kind="duldung", valid_from=dt.date(2026, 1, 1), valid_to=dt.date(2026, 6, 1))
    record_residence(refused, kind="refused", valid_from=dt.date(2026, 5, 1))
    assert record_expiries(ON) == 0
    # when the certificate runs out too, the certificate's end is the entry
    assert record_expiries(dt.date(2026, 9, 5)) == 1 and _expired(other) == [
        (dt.date(2026, 9, 2), "Fiktionsbescheinigung")
    ]


def test_old_expiries_beyond_the_lookback_are_left_alone(person):
    record_residence(person, kind="visa", valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2020, 3, 31))
    assert record_expiries(ON) == 0
    assert record_expiries(ON, lookback_days=3650) == 1
