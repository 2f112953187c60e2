"""The pure evaluator: every rule, its boundaries as properties (hypothesis), § 104c closing on 2025-12-31.
No database: the rules are the seeded versions as plain values (``SEEDED``), checked against the migration
in test_rules.py."""

import datetime as dt
import importlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from willkommen.rights import evaluator as ev
from willkommen.rights.evaluator import Facts, add_months

_seed = importlib.import_module("willkommen.rights.migrations.0002_seed_rules")
SEEDED = [
    ev.Rule(r["key"], r["version"], r["legal_basis"], r["valid_from"], r["valid_to"], r["params"]) for r in _seed.RULES
]
ON = dt.date(2026, 3, 1)
days = st.dates(min_value=dt.date(1960, 1, 1), max_value=dt.date(2040, 12, 31))


def complete(**changes):
    """A tolerated young adult who meets every criterion of § 25a and § 25b on ``ON``."""
    values = {
        "born": dt.date(2004, 5, 10),
        "status": "duldung",
        "status_since": dt.date(2018, 1, 1),
        "stay_since": dt.date(2016, 6, 1),
        "gaps": [],
        "school_years_de": 5,
        "recognised_qualification": False,
        "german_level": "B1",
        "livelihood": "work_mainly",
        "exemptions": [],
        "minor_child_in_household": False,
        "children_attend_school": None,
        "sentence_months": 0,
        "fine_daily_rates": 0,
        "identity_deception": False,
    }
    values.update(changes)
    return Facts(**values)


def outcome(facts, key, on=ON):
    return ev.evaluate(facts, on, SEEDED)[key]


# --- every rule ---------------------------------------------------------------------------------------


def test_a_complete_record_is_likely_under_25a_25b_60d():
    results = ev.evaluate(complete(), ON, SEEDED)
    assert {k: o.result for k, o in results.items()} == {
        "25a": "likely",
        "25b": "likely",
        "104c": "unlikely",  # closed on 2025-12-31
        "60d": "likely",
        "19d": "unlikely",  # no recognised qualification
    }
    assert results["25a"].version == "2022-12-31"
    assert results["19d"].unmet == ["recognised_qualification"]
    assert "applications_open" in results["104c"].unmet


def test_a_fact_never_entered_is_missing_never_assumed():
    result = outcome(complete(german_level=None), "25b")
    assert result.result == "needs_data"
    assert result.missing == ["german_a2"]
    assert outcome(Facts(), "25a").result == "needs_data"
    assert set(outcome(Facts(), "25a").missing) >= {"status_duldung_or_104c", "stay_3_years", "no_identity_deception"}


def test_identity_deception_makes_every_rule_unlikely_that_names_it():
    facts = complete(identity_deception=True, recognised_qualification=True)
    for key in ("25a", "25b", "60d", "19d"):
        assert outcome(facts, key).result == "unlikely", key


def test_25a_schooling_or_a_recognised_qualification():
    assert outcome(complete(school_years_de=2, recognised_qualification=True), "25a").result == "likely"
    assert "schooling_or_qualification" in outcome(complete(school_years_de=2), "25a").unmet
    assert (
        "schooling_or_qualification"
        in outcome(complete(school_years_de=2, recognised_qualification=None), "25a").missing
    )


def test_25a_gestattung_does_not_qualify_but_counts_for_the_stay():
    assert "status_duldung_or_104c" in outcome(complete(status="gestattung"), "25a").unmet


def test_25b_livelihood_exemptions_and_top_up_families():
    base = {"livelihood": "benefits", "exemptions": []}
    assert "livelihood_from_work_or_exempt" in outcome(complete(**base), "25b").unmet
    for exemption in ev.EXEMPTIONS:
        assert outcome(complete(livelihood="benefits", exemptions=[exemption]), "25b").result == "likely", exemption
    top_up = complete(
        livelihood="work_partly", exemptions=[], minor_child_in_household=True, children_attend_school=True
    )
    assert outcome(top_up, "25b").result == "likely"
    assert "livelihood_from_work_or_exempt" in outcome(complete(livelihood="benefits", exemptions=None), "25b").missing


def test_25b_children_must_attend_school_and_a_long_sentence_refuses():
    child = complete(minor_child_in_household=True, children_attend_school=False)
    assert "children_attend_school" in outcome(child, "25b").unmet
    assert outcome(complete(sentence_months=5), "25b").result == "likely"
    assert "no_serious_expulsion_interest" in outcome(complete(sentence_months=6), "25b").unmet


def test_60d_needs_entry_before_2023_and_work():
    assert "entered_by_cutoff" in outcome(complete(stay_since=dt.date(2023, 1, 1)), "60d").unmet
    assert "livelihood_from_work" in outcome(complete(livelihood="work_partly"), "60d").unmet
    assert "no_offence_beyond_small_fines" in outcome(complete(fine_daily_rates=51), "60d").unmet


def test_19d_needs_b1_and_a_recognised_qualification():
    facts = complete(recognised_qualification=True)
    assert outcome(facts, "19d").result == "likely"
    assert "german_b1" in outcome(complete(recognised_qualification=True, german_level="A2"), "19d").unmet


# --- § 104c: dated -------------------------------------------------------------------------------------


def test_104c_matched_before_its_end_and_nothing_new_after():
    facts = complete()
    assert outcome(facts, "104c", dt.date(2025, 12, 31)).result == "likely"
    after = outcome(facts, "104c", dt.date(2026, 1, 1))
    assert after.result == "unlikely"
    assert after.unmet == ["applications_open"]
    assert after.version == "2022-12-31"  # the closed rule stays in the catalogue and in old checks


@given(on=st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2040, 12, 31)))
def test_104c_matches_no_one_after_2025_but_a_104c_holder_stays_a_25a_25b_candidate(on):
    holder = complete(status="permit_104c", status_since=dt.date(2024, 6, 1), born=on - dt.timedelta(days=365 * 20))
    results = ev.evaluate(holder, on, SEEDED)
    assert results["104c"].result == "unlikely"
    assert ev.evaluate(complete(), on, SEEDED)["104c"].result == "unlikely"
    assert results["25a"].result == "likely"
    assert results["25b"].result == "likely"


def test_104c_stay_is_counted_on_31_october_2022_and_fines_up_to_50_daily_rates():
    cutoff = dt.date(2022, 10, 31)
    on = dt.date(2025, 6, 1)
    assert outcome(complete(stay_since=dt.date(2017, 10, 31)), "104c", on).result == "likely"
    assert "stay_5_years_on_cutoff" in outcome(complete(stay_since=dt.date(2017, 11, 1)), "104c", on).unmet
    assert outcome(complete(fine_daily_rates=50), "104c", on).result == "likely"
    assert "no_offence_beyond_small_fines" in outcome(complete(fine_daily_rates=51), "104c", on).unmet
    assert "status_duldung" in outcome(complete(status="permit_104c"), "104c", on).unmet
    assert cutoff  # the date the law names


def test_a_new_version_of_a_rule_takes_over_from_its_valid_from():
    newer = ev.Rule("25b", "2027-01-01", "§ 25b AufenthG", dt.date(2027, 1, 1), None, {"min_stay_years": 5})
    old = next(r for r in SEEDED if r.key == "25b")
    closed = ev.Rule(old.key, old.version, old.legal_basis, old.valid_from, dt.date(2026, 12, 31), old.params)
    rules = [r for r in SEEDED if r.key != "25b"] + [closed, newer]
    five_years = complete(stay_since=dt.date(2021, 6, 1), status_since=dt.date(2021, 6, 1))
    assert ev.evaluate(five_years, dt.date(2026, 12, 31), rules)["25b"].result == "unlikely"
    later = ev.evaluate(five_years, dt.date(2027, 1, 1), rules)["25b"]
    assert (later.result, later.version) == ("likely", "2027-01-01")


# --- boundaries as properties --------------------------------------------------------------------------


@given(born=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2020, 12, 31)))
def test_25a_age_14_counts_from_the_14th_birthday(born):
    birthday = add_months(born, 14 * 12)
    assert "at_least_14_at_decision" in outcome(complete(born=born), "25a", birthday).met
    assert "at_least_14_at_decision" in outcome(complete(born=born), "25a", birthday - dt.timedelta(days=1)).unmet


@given(born=st.dates(min_value=dt.date(1980, 1, 1), max_value=dt.date(2010, 12, 31)))
def test_25a_must_apply_before_the_27th_birthday(born):
    birthday = add_months(born, 27 * 12)
    assert "under_27_at_application" in outcome(complete(born=born), "25a", birthday - dt.timedelta(days=1)).met
    assert "under_27_at_application" in outcome(complete(born=born), "25a", birthday).unmet


@given(since=st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2030, 12, 31)))
def test_25a_exactly_12_months_of_duldung(since):
    twelve = add_months(since, 12)
    facts = complete(status_since=since)
    assert "duldung_12_months" in outcome(facts, "25a", twelve).met
    assert "duldung_12_months" in outcome(facts, "25a", twelve - dt.timedelta(days=1)).unmet


@given(gap_from=st.dates(min_value=dt.date(2017, 1, 1), max_value=dt.date(2021, 12, 31)))
def test_a_gap_of_3_months_is_harmless_and_3_months_and_a_day_breaks_the_stay(gap_from):
    stay_since = dt.date(2016, 1, 1)
    three = add_months(gap_from, 3)
    on = dt.date(2026, 3, 1)
    harmless = complete(stay_since=stay_since, gaps=[[gap_from, three]])
    breaking = complete(stay_since=stay_since, gaps=[[gap_from, three + dt.timedelta(days=1)]])
    assert ev.uninterrupted_since(stay_since, harmless.gaps, on) == stay_since
    assert ev.uninterrupted_since(stay_since, breaking.gaps, on) == three + dt.timedelta(days=1)
    assert outcome(harmless, "25b", on).result == "likely"
    years_after = ev.full_years(three + dt.timedelta(days=1), on)
    assert ("stay_6_years_or_4_with_child" in outcome(breaking, "25b", on).met) == (years_after >= 6)


@given(start=st.dates(min_value=dt.date(2010, 1, 1), max_value=dt.date(2030, 12, 31)), child=st.booleans())
def test_25b_four_years_with_a_child_six_without(start, child):
    facts = complete(stay_since=start, status_since=start, minor_child_in_household=child, children_attend_school=True)
    four, six = add_months(start, 48), add_months(start, 72)

    def met(on):
        return "stay_6_years_or_4_with_child" in outcome(facts, "25b", on).met

    assert not met(four - dt.timedelta(days=1))
    assert met(four) == child
    assert met(six - dt.timedelta(days=1)) == child
    assert met(six)


@given(on=days, since=days)
def test_results_are_consistent_with_the_criteria(on, since):
    facts = complete(stay_since=since, status_since=since)
    for result in ev.evaluate(facts, on, SEEDED).values():
        assert result.result == ("unlikely" if result.unmet else "needs_data" if result.missing else "likely")
        assert not set(result.met) & set(result.unmet)


# --- the facts record ----------------------------------------------------------------------------------


def test_facts_record_absent_fields_are_missing():
    facts = ev.facts_from_record({"id": "x", "born": "2004-05-10", "gaps": [["2020-01-01", "2020-02-01"]]})
    assert facts.born == dt.date(2004, 5, 10)
    assert facts.gaps == [(dt.date(2020, 1, 1), dt.date(2020, 2, 1))]
    assert facts.german_level is None


@pytest.mark.parametrize(
    "record",
    [
        {"born": "10.05.2004"},
        {"status": "tolerated"},
        {"gaps": [["2020-02-01", "2020-01-01"]]},
        {"gaps": "none"},
        {"sentence_months": -1},
        {"identity_deception": "no"},
        {"exemptions": ["rich"]},
        {"german_level": "D1"},
        [],
    ],
)
def test_facts_record_rejects_malformed_values(record):
    with pytest.raises(ev.FactsError):
        ev.facts_from_record(record)
