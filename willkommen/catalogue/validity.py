"""The longest validity of a title as data: per Anliegen and per legal basis, pure (no database).

An Anliegen may cover several legal bases with different caps (``§§ 25a, 25b AufenthG``: § 25a up to
3 years, § 25b up to 2 years). Its ``validity_caps`` maps the paragraph (``"25b"``) to months; a
legal basis the mapping does not name falls back to ``longest_validity_months``. Family reunification
(``not_beyond_sponsor``) ends at the latest when the sponsor's title ends; a study, training or
employment title (``validity_bound_to``: course or contract) at the latest when the course or the contract
ends, plus ``validity_bound_extra_months`` (EU Blue Card: the contract plus three months).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

_PARAGRAPH = re.compile(r"(\d+\s*[a-z]?)\b", re.IGNORECASE)


def paragraphs(legal_basis: str) -> list[str]:
    """The paragraphs a legal basis names, normalised: ``"§ 25b Abs. 1 AufenthG"`` → ``["25b", "1"]``;
    the first is the paragraph, the rest are sub-units (the caller uses the first)."""
    text = (legal_basis or "").replace("§", " ")
    return [m.replace(" ", "").lower() for m in _PARAGRAPH.findall(text)]


def cap_months(legal_basis: str, caps: dict | None, default: int | None) -> int | None:
    """Months of the longest validity for ``legal_basis``: the entry of ``caps`` for its paragraph, else
    ``default`` (None: no cap from the catalogue, e.g. a settlement permit)."""
    found = paragraphs(legal_basis)
    caps = {str(k).replace(" ", "").lower(): v for k, v in (caps or {}).items()}
    if found and found[0] in caps and caps[found[0]]:
        return int(caps[found[0]])
    return default


def bound_until(end: date | None, extra_months: int = 0) -> date | None:
    """The last day a title bound to a course or contract ending on ``end`` may reach: ``end`` plus
    ``extra_months`` calendar months (the Blue Card's three), or None when no end is known."""
    if end is None:
        return None
    return end + relativedelta(months=extra_months) if extra_months else end


def last_day(start: date, months: int) -> date:
    """The last day of a validity of ``months`` calendar months that begins on ``start`` (``start`` is its
    first day): the day before the day of the same number ``months`` later, or the last day of that month
    when it has no such day (§ 31 (1) VwVfG with §§ 187 (2), 188 (2), (3) BGB). Two years from 31 January
    2026 end on 30 January 2028; two years from 1 March 2026 on 29 February 2028; eleven months from
    31 March 2026 on 28 February 2027."""
    same_day = start + relativedelta(months=months)  # a shorter month: its last day
    return same_day if same_day.day != start.day else same_day - timedelta(days=1)


def longest_until(
    start: date,
    legal_basis: str,
    caps: dict | None,
    default: int | None,
    sponsor_until: date | None = None,
    bound: date | None = None,
) -> date | None:
    """The last day a validity from ``start`` may reach: the cap in calendar months (:func:`last_day`: a
    2-year title from 31 January 2026 ends on 30 January 2028), and not beyond ``sponsor_until`` (the sponsor's title) nor ``bound`` (the course or contract end with its extra
    months, see :func:`bound_until`) when given. None: no cap."""
    months = cap_months(legal_basis, caps, default)
    limits = (last_day(start, months) if months else None, sponsor_until, bound)
    candidates = [d for d in limits if d]
    return min(candidates) if candidates else None
