"""Commands on the catalogue."""

from django.db import transaction

from .models import Anliegen, AnliegenText, ChecklistItem, ChecklistItemText, Question, QuestionText

TEXT_FIELDS = {
    AnliegenText: ["language", "version", "status", "title", "summary"],
    QuestionText: ["language", "version", "status", "text", "help_text", "option_labels"],
    ChecklistItemText: ["language", "version", "status", "title", "explanation"],
}
ANLIEGEN_FIELDS = [
    "legal_basis",
    "fee_eur",
    "fee_reductions",
    "complexity",
    "target_days",
    "target_months",
    "interim_answer_days",
    "longest_validity_months",
    "longest_validity_note",
    "validity_caps",
    "not_beyond_sponsor",
    "validity_bound_to",
    "validity_bound_extra_months",
    "residence_kind",
    "discretionary",
    "way_in",
    "appointment_minutes",
    "order",
    "active",
]


def free_slug(authority, slug):
    """``slug`` if the authority has no Anliegen with it, else ``slug-2``, ``slug-3`` ... (within 60 chars)."""
    taken = set(Anliegen.objects.filter(authority=authority, slug__startswith=slug[:50]).values_list("slug", flat=True))
    if slug not in taken:
        return slug
    number = 2
    while True:
        candidate = f"{slug[: 60 - len(str(number)) - 1]}-{number}"
        if candidate not in taken:
            return candidate
        number += 1


def _copy_row(row, **overrides):
    fields = {f: getattr(row, f) for f in TEXT_FIELDS[type(row)]}
    return type(row)(**fields, **overrides)


@transaction.atomic
def copy_anliegen(source, target_authority):
    """Deep copy of ``source`` (any authority) with its questions, checklist items and all texts into
    ``target_authority``. The copy gets the same slug, or a free variant if taken, and remembers
    ``copied_from``. Returns the new Anliegen."""
    copy = Anliegen.objects.create(
        authority=target_authority,
        slug=free_slug(target_authority, source.slug),
        copied_from=source,
        **{f: getattr(source, f) for f in ANLIEGEN_FIELDS},
    )
    AnliegenText.objects.bulk_create(
        _copy_row(t, authority=target_authority, anliegen=copy) for t in source.texts.all()
    )
    question_texts = []
    for question in source.questions.prefetch_related("texts"):
        new_question = Question.objects.create(
            authority=target_authority,
            anliegen=copy,
            key=question.key,
            kind=question.kind,
            options=question.options,
            order=question.order,
        )
        question_texts += [
            _copy_row(t, authority=target_authority, question=new_question) for t in question.texts.all()
        ]
    QuestionText.objects.bulk_create(question_texts)
    item_texts = []
    for item in source.checklist_items.prefetch_related("texts"):
        new_item = ChecklistItem.objects.create(
            authority=target_authority,
            anliegen=copy,
            key=item.key,
            document_type=item.document_type,
            condition=item.condition,
            required=item.required,
            order=item.order,
        )
        item_texts += [_copy_row(t, authority=target_authority, item=new_item) for t in item.texts.all()]
    ChecklistItemText.objects.bulk_create(item_texts)
    return copy
