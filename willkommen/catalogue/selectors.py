from django.db.models import Prefetch

from .models import Anliegen, AnliegenText, ChecklistItem, ChecklistItemText, Question, QuestionText
from .texts import pick


def anliegen_list(authority, *, active_only=True):
    qs = Anliegen.objects.filter(authority=authority)
    if active_only:
        qs = qs.filter(active=True)
    return qs.prefetch_related(Prefetch("texts", queryset=AnliegenText.objects.filter(status="public")))


def get_anliegen(authority, slug):
    """The active Anliegen of this authority with its questions, items and texts, or Anliegen.DoesNotExist."""
    return (
        Anliegen.objects.filter(authority=authority, active=True, slug=slug)
        .prefetch_related(
            Prefetch("texts", queryset=AnliegenText.objects.filter(status="public")),
            Prefetch(
                "questions",
                queryset=Question.objects.order_by("order", "id").prefetch_related(
                    Prefetch("texts", queryset=QuestionText.objects.filter(status="public"))
                ),
            ),
            Prefetch(
                "checklist_items",
                queryset=ChecklistItem.objects.order_by("order", "id").prefetch_related(
                    Prefetch("texts", queryset=ChecklistItemText.objects.filter(status="public"))
                ),
            ),
        )
        .get()
    )


def title(anliegen, language):
    text = pick(anliegen.texts.all(), language)
    return text.title if text else anliegen.slug


def summary(anliegen, language):
    text = pick(anliegen.texts.all(), language)
    return text.summary if text else ""


def validity_until(anliegen, legal_basis, start, sponsor_until=None, bound_end=None):
    """The last day a title of ``anliegen`` on ``legal_basis`` may be valid when it starts on ``start``:
    the catalogue's cap for that legal basis (calendar months); for family reunification not beyond the
    sponsor's title (``sponsor_until``); for a title bound to a course or contract not beyond its end
    (``bound_end``) plus the Anliegen's extra months. None: no cap (see ``validity.py``)."""
    from .validity import bound_until, longest_until

    sponsor = sponsor_until if anliegen.not_beyond_sponsor else None
    bound = bound_until(bound_end, anliegen.validity_bound_extra_months) if anliegen.validity_bound_to else None
    return longest_until(start, legal_basis, anliegen.validity_caps, anliegen.longest_validity_months, sponsor, bound)


def grants_residence(anliegen):
    """The residence kind a grant of ``anliegen`` writes into the history ('' when none)."""
    return anliegen.residence_kind or ""
