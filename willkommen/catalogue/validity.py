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
from datetime import date

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


def longest_until(
    start: date,
    legal_basis: str,
    caps: dict | None,
    default: int | None,
    sponsor_until: date | None = None,
    bound: date | None = None,
) -> date | None:
    """The last day a validity from ``start`` may reach: ``start`` + the cap (calendar months), and not
    beyond ``sponsor_until`` (the sponsor's title) nor ``bound`` (the course or contract end with its extra
    months, see :func:`bound_until`) when given. None: no cap."""
    months = cap_months(legal_basis, caps, default)
    limits = (start + relativedelta(months=months) if months else None, sponsor_until, bound)
    candidates = [d for d in limits if d]
    return min(candidates) if candidates else None
