"""The personalised checklist: the catalogue's items filtered by the client's answers.

Pure functions over already loaded rows, so pages, API, PDFs and other rooms (booking,
applications) compute the same list.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .texts import pick

YES = {"yes", "true", "1", "on", True}
NO = {"no", "false", "0", "off", False}
MAX_ANSWER_LENGTH = 40


class InvalidAnswers(ValueError):
    def __init__(self, errors):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass
class ChecklistEntry:
    key: str
    title: str
    explanation: str
    required: bool
    document_type: str


@dataclass
class Checklist:
    anliegen_slug: str
    language: str
    answers: dict
    entries: list = field(default_factory=list)


def parse_answers(questions, raw):
    """Validate raw answers (a dict of str) against the questions; unknown keys or values are refused.

    Returns {key: bool or option}. Unanswered questions are absent (their items do not apply)."""
    by_key = {q.key: q for q in questions}
    errors = []
    answers = {}
    for key, value in raw.items():
        if key not in by_key:
            errors.append(_("Unknown question: %(key)s") % {"key": str(key)[:MAX_ANSWER_LENGTH]})
            continue
        if value in (None, ""):
            continue
        if isinstance(value, str) and len(value) > MAX_ANSWER_LENGTH:
            errors.append(_("The answer to “%(key)s” is too long.") % {"key": key})
            continue
        question = by_key[key]
        if question.kind == "yes_no":
            normalised = value.lower() if isinstance(value, str) else value
            if normalised in YES:
                answers[key] = True
            elif normalised in NO:
                answers[key] = False
            else:
                errors.append(_("The answer to “%(key)s” must be yes or no.") % {"key": key})
        else:
            if value not in (question.options or []):
                errors.append(_("The answer to “%(key)s” is not one of the options.") % {"key": key})
            else:
                answers[key] = value
    if errors:
        raise InvalidAnswers(errors)
    return answers


def applies(condition, answers):
    for key, expected in (condition or {}).items():
        if key not in answers:
            return False
        accepted = expected if isinstance(expected, list) else [expected]
        if answers[key] not in accepted:
            return False
    return True


def build(anliegen, answers, language):
    """The checklist for these (already parsed) answers, texts in ``language`` with fallback."""
    checklist = Checklist(anliegen_slug=anliegen.slug, language=language, answers=answers)
    for item in anliegen.checklist_items.all():
        if not applies(item.condition, answers):
            continue
        checklist.entries.append(entry(item, language))
    return checklist


def entry(item, language):
    """One checklist item as an entry, its texts in ``language`` with fallback."""
    text = pick(item.texts.all(), language)
    return ChecklistEntry(
        key=item.key,
        title=text.title if text else item.key,
        explanation=text.explanation if text else "",
        required=item.required,
        document_type=item.document_type,
    )


def question_rows(anliegen, language, answers=None):
    """Questions with their texts in ``language``, for forms."""
    rows = []
    for question in anliegen.questions.all():
        text = pick(question.texts.all(), language)
        labels = text.option_labels if text else {}
        rows.append(
            {
                "key": question.key,
                "kind": question.kind,
                "text": text.text if text else question.key,
                "help_text": text.help_text if text else "",
                "options": [(opt, labels.get(opt, opt)) for opt in question.options or []],
                "answer": (answers or {}).get(question.key),
            }
        )
    return rows


def fee(anliegen, answers, language=None):
    """The fee that applies to these answers and its note: the first matching reduction, else the full fee.
    The note is German in ``note`` and in other languages in ``notes`` ({language: text}); it comes back
    as a ``Localized`` in ``language`` (default: the active one), else German (core/localized.py)."""
    from decimal import Decimal

    from django.utils import translation

    from willkommen.core.localized import Localized, pick_from_dict

    language = language or translation.get_language()
    for reduction in anliegen.fee_reductions or []:
        if applies(reduction.get("when", {}), answers):
            note = pick_from_dict(reduction.get("note", ""), reduction.get("notes"), language)
            return Decimal(str(reduction.get("fee_eur", anliegen.fee_eur))), note
    return anliegen.fee_eur, Localized("")


def answer_summary(anliegen, language, answers):
    """The answered questions as ``[{"key", "text", "answer"}]`` in ``language``, for "your answers" lists
    (answers given once are shown, not asked again)."""
    summary = []
    for row in question_rows(anliegen, language, answers):
        value = row["answer"]
        if value is None:
            continue
        if row["kind"] == "yes_no":
            label = _("Yes") if value is True else _("No")
        else:
            label = dict(row["options"]).get(value, value)
        summary.append({"key": row["key"], "text": row["text"], "answer": label})
    return summary


def answers_query(answers):
    """The answers as a query string (``married=yes&purpose=first``), as the checklist's form sends them."""
    from django.utils.http import urlencode

    return urlencode(
        {k: ("yes" if v is True else "no" if v is False else v) for k, v in sorted((answers or {}).items())}
    )
