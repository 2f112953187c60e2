"""The pure evaluator of the ex officio rights check: facts + a date -> per rule ``likely``, ``unlikely`` or
``needs_data``, with the criteria met, unmet and missing and the rule version used.

No database, no Django: the rules come in as :class:`Rule` values (the rows of ``RuleVersion`` turned
into plain data by ``selectors.rules()``), the facts as :class:`Facts` (from the person's file by
``facts.py`` or from a JSON record by ``rights_screen``). A fact that is ``None`` was never entered: it
is missing, never assumed. docs/rights.md explains every criterion in plain words.
"""

import datetime as dt
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta

LIKELY = "likely"
UNLIKELY = "unlikely"
NEEDS_DATA = "needs_data"
RESULT_ORDER = {LIKELY: 0, NEEDS_DATA: 1, UNLIKELY: 2}

STATUSES = ("duldung", "gestattung", "permit_104c", "permit", "none")
LIVELIHOODS = ("work_mainly", "work_partly", "benefits", "none")
EXEMPTIONS = ("illness", "student", "trainee", "single_parent", "carer")
CEFR = ("A1", "A2", "B1", "B2", "C1", "C2")


@dataclass(frozen=True)
class Rule:
    key: str
    version: str
    legal_basis: str
    valid_from: dt.date | None
    valid_to: dt.date | None  # last day an application can match (§ 104c: 2025-12-31)
    params: dict = field(default_factory=dict)

    def in_force(self, on):
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_to is None or on <= self.valid_to)


@dataclass
class Facts:
    born: dt.date | None = None
    status: str | None = None
    status_since: dt.date | None = None
    stay_since: dt.date | None = None
    gaps: list | None = None  # [(from, to), ...]; [] = no gap; None = not known
    school_years_de: int | None = None
    recognised_qualification: bool | None = None
    german_level: str | None = None
    livelihood: str | None = None
    exemptions: list | None = None
    minor_child_in_household: bool | None = None
    children_attend_school: bool | None = None
    sentence_months: int | None = None
    fine_daily_rates: int | None = None
    identity_deception: bool | None = None


@dataclass
class Outcome:
    key: str
    result: str
    met: list
    unmet: list
    missing: list
    version: str

    def as_dict(self):
        return {
            "result": self.result,
            "met": self.met,
            "unmet": self.unmet,
            "missing": self.missing,
            "version": self.version,
        }


# --- dates ----------------------------------------------------------------------------------------------


def add_months(day, months):
    """Calendar months (31 Jan + 1 month = 28/29 Feb; 29 Feb + 1 year = 28 Feb)."""
    return day + relativedelta(months=months)


def age_reached(born, years, on):
    """Whether someone born on ``born`` has had their ``years``-th birthday by ``on`` (inclusive)."""
    return add_months(born, 12 * years) <= on


def uninterrupted_since(stay_since, gaps, on, harmless_months=3):
    """The day from which the stay ran without a harmful gap up to ``on`` (None: no stay yet by ``on``).

    A gap ``[from, to]`` is harmless when ``to`` is at most ``harmless_months`` calendar months after
    ``from`` (1 Jan to 1 Apr: harmless; to 2 Apr: the stay starts again on 2 Apr)."""
    if stay_since is None or stay_since > on:
        return None
    start = stay_since
    for gap_from, gap_to in sorted(gaps):
        if gap_from > on:
            break
        if gap_to > add_months(gap_from, harmless_months):
            start = max(start, min(gap_to, on))
    return start


def full_years(start, on):
    if start is None or start > on:
        return 0
    return relativedelta(on, start).years


# --- criteria -------------------------------------------------------------------------------------------


class _Check:
    def __init__(self):
        self.met, self.unmet, self.missing = [], [], []

    def add(self, name, value):
        """``value``: True met, False unmet, None missing."""
        {True: self.met, False: self.unmet, None: self.missing}[value].append(name)


def _status_in(facts, allowed):
    return None if facts.status is None else facts.status in allowed


def _stay_years(facts, on, harmless_months):
    if facts.stay_since is None or facts.gaps is None:
        return None
    return full_years(uninterrupted_since(facts.stay_since, facts.gaps, on, harmless_months), on)


def _at_least_cefr(level, minimum):
    if level is None:
        return None
    level = str(level).upper()
    return level in CEFR and CEFR.index(level) >= CEFR.index(minimum)


def _any_false(*values):
    """``and`` over facts where one unmet decides and otherwise a missing one leaves it open."""
    if any(v is False for v in values):
        return False
    if any(v is None for v in values):
        return None
    return True


def _any_true(*values):
    """``or`` over facts: one met decides; otherwise a missing one leaves it open."""
    if any(v is True for v in values):
        return True
    if any(v is None for v in values):
        return None
    return False


def _not(value):
    return None if value is None else not value


def _no_conviction(facts, max_fine):
    """No prison sentence and at most ``max_fine`` daily rates."""
    sentence = None if facts.sentence_months is None else facts.sentence_months == 0
    fine = None if facts.fine_daily_rates is None else facts.fine_daily_rates <= max_fine
    return _any_false(sentence, fine)


def _duldung_months(facts, on, months, permit_counts=True):
    if permit_counts and facts.status == "permit_104c":
        return True
    if facts.status is None:
        return None
    if facts.status != "duldung":
        return False
    if facts.status_since is None:
        return None
    return add_months(facts.status_since, months) <= on


def _rule_25a(facts, on, p, c):
    c.add("status_duldung_or_104c", _status_in(facts, ("duldung", "permit_104c")))
    c.add("duldung_12_months", _duldung_months(facts, on, p.get("min_duldung_months", 12)))
    born = facts.born
    c.add("under_27_at_application", None if born is None else not age_reached(born, p.get("max_age", 27), on))
    c.add("at_least_14_at_decision", None if born is None else age_reached(born, p.get("min_age", 14), on))
    years = _stay_years(facts, on, p.get("harmless_gap_months", 3))
    c.add("stay_3_years", None if years is None else years >= p.get("min_stay_years", 3))
    school = None if facts.school_years_de is None else facts.school_years_de >= p.get("min_school_years", 3)
    c.add("schooling_or_qualification", _any_true(school, facts.recognised_qualification))
    c.add("no_identity_deception", _not(facts.identity_deception))


def _livelihood_25b(facts):
    if facts.livelihood == "work_mainly":
        return True
    exempt = None if facts.exemptions is None else bool(set(facts.exemptions) & set(EXEMPTIONS))
    # families with minors whose work income is topped up by benefits
    top_up = None
    if facts.livelihood is not None:
        top_up = False if facts.livelihood != "work_partly" else facts.minor_child_in_household
    return _any_true(exempt, top_up, None if facts.livelihood is None else False)


def _rule_25b(facts, on, p, c):
    c.add("status_duldung_or_104c", _status_in(facts, ("duldung", "permit_104c")))
    years = _stay_years(facts, on, p.get("harmless_gap_months", 3))
    if years is None:
        stay = None
    elif years >= p.get("min_stay_years", 6):
        stay = True
    elif years >= p.get("min_stay_years_with_child", 4):
        stay = facts.minor_child_in_household
    else:
        stay = False
    c.add("stay_6_years_or_4_with_child", stay)
    c.add("livelihood_from_work_or_exempt", _livelihood_25b(facts))
    c.add("german_a2", _at_least_cefr(facts.german_level, p.get("min_german", "A2")))
    if facts.minor_child_in_household is False:
        school = True
    elif facts.minor_child_in_household is None:
        school = None
    else:
        school = facts.children_attend_school
    c.add("children_attend_school", school)
    c.add("no_obstruction_of_removal", _not(facts.identity_deception))
    c.add(
        "no_serious_expulsion_interest",
        None if facts.sentence_months is None else facts.sentence_months < p.get("refusal_sentence_months", 6),
    )


def _rule_104c(facts, on, p, c):
    c.add("status_duldung", _status_in(facts, ("duldung",)))
    cutoff = dt.date.fromisoformat(p.get("cutoff", "2022-10-31"))
    years = _stay_years(facts, cutoff, p.get("harmless_gap_months", 3))
    c.add("stay_5_years_on_cutoff", None if years is None else years >= p.get("min_stay_years", 5))
    c.add("no_offence_beyond_small_fines", _no_conviction(facts, p.get("max_fine_daily_rates", 50)))


def _rule_60d(facts, on, p, c):
    c.add("status_duldung", _status_in(facts, ("duldung",)))
    c.add("duldung_12_months", _duldung_months(facts, on, p.get("min_duldung_months", 12), permit_counts=False))
    entered_by = dt.date.fromisoformat(p.get("entered_by", "2022-12-31"))
    c.add("entered_by_cutoff", None if facts.stay_since is None else facts.stay_since <= entered_by)
    c.add("livelihood_from_work", None if facts.livelihood is None else facts.livelihood == "work_mainly")
    c.add("german_a2", _at_least_cefr(facts.german_level, p.get("min_german", "A2")))
    c.add("identity_clarified", _not(facts.identity_deception))
    c.add("no_offence_beyond_small_fines", _no_conviction(facts, p.get("max_fine_daily_rates", 50)))


def _rule_19d(facts, on, p, c):
    c.add("status_duldung", _status_in(facts, ("duldung",)))
    c.add("recognised_qualification", facts.recognised_qualification)
    c.add("german_b1", _at_least_cefr(facts.german_level, p.get("min_german", "B1")))
    c.add("no_identity_deception", _not(facts.identity_deception))
    c.add("no_offence_beyond_small_fines", _no_conviction(facts, p.get("max_fine_daily_rates", 50)))


CRITERIA = {"25a": _rule_25a, "25b": _rule_25b, "104c": _rule_104c, "60d": _rule_60d, "19d": _rule_19d}
RULE_KEYS = tuple(CRITERIA)


def version_for(versions, on):
    """The version of one rule in force on ``on``; else the newest one that began by then (a closed rule
    such as § 104c after 2025-12-31), else the earliest. None for no versions."""
    versions = sorted(versions, key=lambda r: (r.valid_from or dt.date.min, r.version))
    if not versions:
        return None
    in_force = [r for r in versions if r.in_force(on)]
    if in_force:
        return in_force[-1]
    began = [r for r in versions if r.valid_from is None or r.valid_from <= on]
    return began[-1] if began else versions[0]


def evaluate_rule(rule, facts, on):
    check = _Check()
    check.add("applications_open", rule.in_force(on))
    CRITERIA[rule.key](facts, on, rule.params, check)
    if check.unmet:
        result = UNLIKELY
    elif check.missing:
        result = NEEDS_DATA
    else:
        result = LIKELY
    return Outcome(rule.key, result, check.met, check.unmet, check.missing, rule.version)


def evaluate(facts, on, rules):
    """``rules``: every version of every rule (``Rule`` values). Returns ``{key: Outcome}`` in rule order."""
    outcomes = {}
    for key in RULE_KEYS:
        rule = version_for([r for r in rules if r.key == key], on)
        if rule is not None:
            outcomes[key] = evaluate_rule(rule, facts, on)
    return outcomes


def best(outcomes):
    """The most promising result over all rules (likely > needs_data > unlikely)."""
    results = [o.result for o in outcomes.values()]
    return min(results, key=RESULT_ORDER.get) if results else UNLIKELY


# --- facts records (rights_screen, docs/rights.md) -------------------------------------------------------


class FactsError(ValueError):
    pass


def _date(value, name):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError) as error:
        raise FactsError(f"{name}: not a date (YYYY-MM-DD): {value!r}") from error


def _int(value, name):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise FactsError(f"{name}: not a whole number >= 0: {value!r}")
    return value


def _bool(value, name):
    if value is None or isinstance(value, bool):
        return value
    raise FactsError(f"{name}: not true/false: {value!r}")


def _choice(value, name, choices):
    if value is None:
        return None
    if value not in choices:
        raise FactsError(f"{name}: one of {', '.join(choices)}, not {value!r}")
    return value


def facts_from_record(record):
    """A JSON facts record (docs/rights.md) as :class:`Facts`; absent or null fields are missing facts.
    Raises :class:`FactsError` on a malformed value."""
    if not isinstance(record, dict):
        raise FactsError("a record must be a JSON object")
    gaps = record.get("gaps")
    if gaps is not None:
        if not isinstance(gaps, list) or any(not isinstance(g, list | tuple) or len(g) != 2 for g in gaps):
            raise FactsError("gaps: a list of [from, to] date pairs")
        gaps = [(_date(a, "gaps"), _date(b, "gaps")) for a, b in gaps]
        if any(a is None or b is None or a > b for a, b in gaps):
            raise FactsError("gaps: each gap needs from <= to")
    exemptions = record.get("exemptions")
    if exemptions is not None:
        if not isinstance(exemptions, list):
            raise FactsError("exemptions: a list")
        exemptions = [_choice(e, "exemptions", EXEMPTIONS) for e in exemptions]
    level = record.get("german_level")
    if level is not None:
        level = _choice(str(level).upper(), "german_level", CEFR)
    return Facts(
        born=_date(record.get("born"), "born"),
        status=_choice(record.get("status"), "status", STATUSES),
        status_since=_date(record.get("status_since"), "status_since"),
        stay_since=_date(record.get("stay_since"), "stay_since"),
        gaps=gaps,
        school_years_de=_int(record.get("school_years_de"), "school_years_de"),
        recognised_qualification=_bool(record.get("recognised_qualification"), "recognised_qualification"),
        german_level=level,
        livelihood=_choice(record.get("livelihood"), "livelihood", LIVELIHOODS),
        exemptions=exemptions,
        minor_child_in_household=_bool(record.get("minor_child_in_household"), "minor_child_in_household"),
        children_attend_school=_bool(record.get("children_attend_school"), "children_attend_school"),
        sentence_months=_int(record.get("sentence_months"), "sentence_months"),
        fine_daily_rates=_int(record.get("fine_daily_rates"), "fine_daily_rates"),
        identity_deception=_bool(record.get("identity_deception"), "identity_deception"),
    )
