"""The rules as dated data: the seed migration's rows, read back as the evaluator's plain values."""

import datetime as dt

import pytest

from willkommen.rights import selectors
from willkommen.rights.models import RuleVersion

pytestmark = pytest.mark.django_db


def test_every_rule_is_seeded_with_texts_in_eight_languages():
    rows = {r.key: r for r in RuleVersion.objects.all()}
    assert set(rows) == {"25a", "25b", "104c", "60d", "19d"}
    for row in rows.values():
        assert set(row.explanation) == {"de", "en", "ar", "fa", "tr", "uk", "ru", "fr"}, row.key
        assert row.legal_basis.startswith("§") and row.source
    assert rows["104c"].valid_to == dt.date(2025, 12, 31)
    assert rows["25b"].params["min_stay_years_with_child"] == 4


def test_rules_come_out_as_plain_values_and_explanations_fall_back_to_german():
    rules = {r.key: r for r in selectors.rules()}
    assert rules["104c"].in_force(dt.date(2025, 12, 31)) and not rules["104c"].in_force(dt.date(2026, 1, 1))
    row = RuleVersion.objects.get(key="25a")
    assert "27" in selectors.explanation(row, "ar")
    row.explanation = {"de": "Nur Deutsch"}
    assert selectors.explanation(row, "fa") == "Nur Deutsch"
