"""§ 81 AufenthG as one pure function: which rule keeps a client's stay lawful while the application runs.

No database, no request, no clock: the caller passes what the residence history says (``clients``
selectors ``latest_title``) and the day the application arrived. ``cases/selectors.fiction_paragraph``
does that for a case; the receipt, the client's status page and the certificate form all go through it.

- § 81 (4) sentence 1 – ``"81_4_1"``: the extension of a residence title (or another title) is applied
  for while the current title is still valid; the old title continues to apply until the decision.
  Timely means arrival on or before the last day of validity. A validity is not a deadline: a title
  that ends on a Saturday is not extended to Monday (§ 31 (3) VwVfG does not apply), while an online
  application that arrives on that Saturday is timely.
- § 81 (4) sentence 3 – ``"81_4_3"``: applied for after the title expired; the office may order that
  the old title continues, to avoid undue hardship (the certificate is then issued on that order).
- § 81 (4) sentence 2 – ``""``: no continued residence for a Schengen visa (§ 6 (1) No. 1).
- § 81 (3) sentence 1 – ``"81_3_1"``: lawful stay without a title (e.g. visa-free entry) and the
  application arrives while that stay is lawful: the stay counts as permitted.
- § 81 (3) sentence 2 – ``"81_3_2"``: the same, applied for late (after the lawful stay ended): the
  deportation counts as suspended from the application until the decision.
- ``""`` otherwise: the Anliegen does not apply for a residence title (a Duldung, a new card, a
  formal obligation), a title without end (settlement permit), a Duldung or Gestattung (not a lawful
  stay under § 81 (3)), or nothing on record.
"""

from __future__ import annotations

from datetime import date

TITLE = "title"  # any residence title other than a Schengen visa (national visa, residence permit, Blue Card)
SCHENGEN_VISA = "schengen"
NONE = ""

P81_3_1 = "81_3_1"
P81_3_2 = "81_3_2"
P81_4_1 = "81_4_1"
P81_4_3 = "81_4_3"
RULES = (P81_3_1, P81_3_2, P81_4_1, P81_4_3)


def fiction_rule(
    *,
    arrival: date,
    title_kind: str = NONE,
    title_expires: date | None = None,
    lawful_without_title: bool = False,
    lawful_stay_until: date | None = None,
    applies_for_title: bool = True,
) -> str:
    """The § 81 rule for an application that arrived on ``arrival`` (see the module's docstring).

    ``title_kind``: ``TITLE``, ``SCHENGEN_VISA`` or ``NONE`` (no title: none held, or a Duldung,
    Gestattung or freedom of movement); ``title_expires``: the last day of the title's validity (None:
    unlimited). ``lawful_without_title``: the stay is lawful without a title (e.g. visa-free);
    ``lawful_stay_until``: the last day of that lawful stay, if known. ``applies_for_title``: the
    Anliegen applies for a residence title at all.
    """
    if not applies_for_title:
        return NONE
    if title_kind == SCHENGEN_VISA:
        return NONE
    if title_kind == TITLE:
        if title_expires is None:  # an unlimited title needs no continued residence
            return NONE
        return P81_4_1 if arrival <= title_expires else P81_4_3
    if lawful_stay_until is not None:
        return P81_3_1 if arrival <= lawful_stay_until else P81_3_2
    if lawful_without_title:
        return P81_3_1
    return NONE
