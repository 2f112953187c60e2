"""§ 81 AufenthG as a pure function: its boundaries (expiry day, the day after, weekends), Schengen visas,
no title, a lawful stay without a title, and Anliegen that apply for no title. No database."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from willkommen.cases.fiction import NONE, SCHENGEN_VISA, TITLE, fiction_rule

EXPIRY = date(2026, 3, 11)  # a Wednesday


def test_application_on_the_expiry_day_is_timely():
    assert fiction_rule(arrival=EXPIRY, title_kind=TITLE, title_expires=EXPIRY) == "81_4_1"


def test_application_before_the_expiry_is_timely():
    assert fiction_rule(arrival=EXPIRY - timedelta(days=60), title_kind=TITLE, title_expires=EXPIRY) == "81_4_1"


def test_application_the_day_after_the_expiry_is_late():
    assert fiction_rule(arrival=EXPIRY + timedelta(days=1), title_kind=TITLE, title_expires=EXPIRY) == "81_4_3"


def test_a_title_that_ends_on_a_saturday_is_not_extended_to_monday():
    saturday = date(2026, 3, 14)
    assert saturday.weekday() == 5
    # an online application arriving on the Saturday (or the Friday before) is timely ...
    assert fiction_rule(arrival=saturday, title_kind=TITLE, title_expires=saturday) == "81_4_1"
    assert fiction_rule(arrival=saturday - timedelta(days=1), title_kind=TITLE, title_expires=saturday) == "81_4_1"
    # ... on Sunday or Monday it is late: a validity is not a deadline that moves off the weekend
    assert fiction_rule(arrival=saturday + timedelta(days=1), title_kind=TITLE, title_expires=saturday) == "81_4_3"
    assert fiction_rule(arrival=saturday + timedelta(days=2), title_kind=TITLE, title_expires=saturday) == "81_4_3"


def test_a_title_that_ends_on_a_sunday_applied_for_on_the_sunday_is_timely():
    sunday = date(2026, 3, 15)
    assert fiction_rule(arrival=sunday, title_kind=TITLE, title_expires=sunday) == "81_4_1"
    assert fiction_rule(arrival=sunday + timedelta(days=1), title_kind=TITLE, title_expires=sunday) == "81_4_3"


def test_a_schengen_visa_never_continues():
    for arrival in (EXPIRY - timedelta(days=5), EXPIRY, EXPIRY + timedelta(days=1)):
        assert fiction_rule(arrival=arrival, title_kind=SCHENGEN_VISA, title_expires=EXPIRY) == ""
    # not even where the stay would otherwise be lawful without a title
    assert fiction_rule(arrival=EXPIRY, title_kind=SCHENGEN_VISA, title_expires=EXPIRY, lawful_without_title=True) == ""


def test_no_title_and_no_lawful_stay_gives_nothing():
    assert fiction_rule(arrival=EXPIRY) == ""
    assert fiction_rule(arrival=EXPIRY, title_kind=NONE, title_expires=EXPIRY) == ""


def test_an_unlimited_title_needs_no_continued_residence():
    assert fiction_rule(arrival=EXPIRY, title_kind=TITLE, title_expires=None) == ""


def test_lawful_stay_without_a_title():
    assert fiction_rule(arrival=EXPIRY, lawful_without_title=True) == "81_3_1"
    assert fiction_rule(arrival=EXPIRY, lawful_stay_until=EXPIRY) == "81_3_1"  # the last lawful day
    assert fiction_rule(arrival=EXPIRY + timedelta(days=1), lawful_stay_until=EXPIRY) == "81_3_2"


def test_sentence_3_applies_only_without_a_title():
    # a title on record decides, even if a lawful stay without a title is also said
    assert fiction_rule(arrival=EXPIRY, title_kind=TITLE, title_expires=EXPIRY, lawful_without_title=True) == "81_4_1"


def test_an_anliegen_that_applies_for_no_title_gives_nothing():
    assert (
        fiction_rule(arrival=EXPIRY, title_kind=TITLE, title_expires=EXPIRY, applies_for_title=False) == ""
    )  # e.g. a Duldung renewal, a formal obligation, a new card
    assert fiction_rule(arrival=EXPIRY, lawful_without_title=True, applies_for_title=False) == ""


@given(
    expires=st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
    offset=st.integers(min_value=-400, max_value=400),
)
def test_timely_exactly_up_to_and_including_the_last_day_of_validity(expires, offset):
    arrival = expires + timedelta(days=offset)
    expected = "81_4_1" if offset <= 0 else "81_4_3"
    assert fiction_rule(arrival=arrival, title_kind=TITLE, title_expires=expires) == expected
