"""Validity caps per legal basis as catalogue data (pure): § 25b at most 2 years, § 25a 3 years, the
Anliegen's own cap for other bases, family reunification not beyond the sponsor's title."""

from datetime import date

from willkommen.catalogue.validity import cap_months, last_day, longest_until, paragraphs

CAPS = {"25a": 36, "25b": 24}


def test_the_paragraph_is_read_from_the_legal_basis():
    assert paragraphs("§ 25b Abs. 1 AufenthG") == ["25b", "1"]
    assert paragraphs("§§ 25a, 25b AufenthG")[:2] == ["25a", "25b"]
    assert paragraphs("§ 16b AufenthG") == ["16b"]
    assert paragraphs("§ 25 Abs. 2 AufenthG")[0] == "25"
    assert paragraphs("") == []


def test_caps_per_legal_basis_and_the_default():
    assert cap_months("§ 25b AufenthG", CAPS, 36) == 24
    assert cap_months("§ 25b Abs. 1 Satz 1 AufenthG", CAPS, 36) == 24
    assert cap_months("§ 25a AufenthG", CAPS, 36) == 36
    assert cap_months("§ 25 Abs. 5 AufenthG", CAPS, 6) == 6  # 25 is not 25a
    assert cap_months("§ 16b AufenthG", {}, 24) == 24
    assert cap_months("§ 9 AufenthG", {}, None) is None  # settlement permit: no cap


def test_longest_until_counts_calendar_months_from_the_first_day_of_validity():
    # the first day counts: two years from 31 January 2026 end on 30 January 2028, not on 31 January
    assert longest_until(date(2026, 1, 31), "§ 25b AufenthG", CAPS, 36) == date(2028, 1, 30)
    assert longest_until(date(2026, 1, 31), "§ 25a AufenthG", CAPS, 36) == date(2029, 1, 30)
    # six months from 31 August: the day before 31 February does not exist – the last day of February
    assert longest_until(date(2026, 8, 31), "§ 16b", {"16b": 6}, None) == date(2027, 2, 28)
    assert longest_until(date(2027, 8, 31), "§ 16b", {"16b": 6}, None) == date(2028, 2, 29)  # leap year
    assert longest_until(date(2027, 9, 1), "§ 16b", {"16b": 6}, None) == date(2028, 2, 29)


def test_the_last_day_of_a_validity_of_calendar_months():
    assert last_day(date(2026, 4, 1), 48) == date(2030, 3, 31)
    assert last_day(date(2026, 3, 1), 24) == date(2028, 2, 29)  # the day before 1 March of a leap year
    assert last_day(date(2026, 3, 1), 12) == date(2027, 2, 28)
    assert last_day(date(2026, 3, 31), 11) == date(2027, 2, 28)  # 31 February missing: end of February
    assert last_day(date(2026, 5, 31), 1) == date(2026, 6, 30)
    assert last_day(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert last_day(date(2026, 6, 15), 18) == date(2027, 12, 14)


def test_family_reunification_is_capped_by_the_sponsor():
    sponsor = date(2027, 6, 30)
    assert longest_until(date(2026, 3, 1), "§ 30 AufenthG", {}, 36, sponsor) == sponsor
    assert longest_until(date(2026, 3, 1), "§ 30 AufenthG", {}, 12, sponsor) == date(2027, 2, 28)
    assert longest_until(date(2026, 3, 1), "§ 30 AufenthG", {}, None, sponsor) == sponsor
    assert longest_until(date(2026, 3, 1), "§ 30 AufenthG", {}, None) is None


def test_a_title_bound_to_a_course_or_contract_ends_with_it_at_the_latest():
    from willkommen.catalogue.validity import bound_until

    start = date(2026, 4, 1)
    # study (§ 16b, 24 months): the course ends first – the course's end; the day after the cap – the cap
    assert longest_until(start, "§ 16b AufenthG", {}, 24, bound=bound_until(date(2027, 9, 30))) == date(2027, 9, 30)
    assert longest_until(start, "§ 16b AufenthG", {}, 24, bound=bound_until(date(2028, 3, 31))) == date(2028, 3, 31)
    assert longest_until(start, "§ 16b AufenthG", {}, 24, bound=bound_until(date(2028, 4, 1))) == date(2028, 3, 31)
    # EU Blue Card: the contract plus three calendar months, at most four years
    assert bound_until(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert longest_until(start, "§ 18g AufenthG", {}, 48, bound=bound_until(date(2027, 11, 30), 3)) == date(2028, 2, 29)
    assert longest_until(start, "§ 18g AufenthG", {}, 48, bound=bound_until(date(2029, 12, 30), 3)) == date(2030, 3, 30)
    assert longest_until(start, "§ 18g AufenthG", {}, 48, bound=bound_until(date(2029, 12, 31), 3)) == date(2030, 3, 31)
    assert longest_until(start, "§ 18g AufenthG", {}, 48, bound=bound_until(date(2030, 1, 1), 3)) == date(2030, 3, 31)
    assert bound_until(None, 3) is None and longest_until(start, "§ 18b", {}, 48, bound=None) == date(2030, 3, 31)
