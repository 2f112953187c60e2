"""Loads the demo catalogue (demo_data.py) into an authority.

Idempotent: rows are matched by their natural keys (slug; Anliegen + question key; Anliegen + item key;
row + language + version 1), missing rows are created and differing ones updated, in bulk, so a
second load changes nothing and creates nothing.
"""

from decimal import Decimal

from django.db import transaction

from . import demo_data
from .models import Anliegen, AnliegenText, ChecklistItem, ChecklistItemText, Question, QuestionText


def item_keys(items):
    """(item key, document key, condition, required) per item; a document used twice gets a suffix."""
    seen = {}
    rows = []
    for entry in items:
        doc_key, condition = entry[0], entry[1]
        required = entry[2] if len(entry) > 2 else True
        seen[doc_key] = seen.get(doc_key, 0) + 1
        key = doc_key if seen[doc_key] == 1 else f"{doc_key}-{seen[doc_key]}"
        rows.append((key, doc_key, condition, required))
    return rows


def _sync(model, authority, existing, wanted, key_fields):
    """Create the ``wanted`` rows ({natural key tuple: field dict}) that are missing from ``existing``
    ({natural key tuple: row}), update those whose fields differ. Returns {natural key: row}."""
    to_create, to_update, changed_fields = [], [], set()
    result = dict(existing)
    for key, fields in wanted.items():
        row = existing.get(key)
        if row is None:
            row = model(authority=authority, **dict(zip(key_fields, key, strict=True)), **fields)
            to_create.append(row)
            result[key] = row
            continue
        diff = [name for name, value in fields.items() if getattr(row, name) != value]
        if diff:
            for name in diff:
                setattr(row, name, fields[name])
            changed_fields.update(diff)
            to_update.append(row)
    if to_create:
        model.objects.bulk_create(to_create)
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed_fields))
    if any(row.pk is None for row in to_create):  # pragma: no cover (SQLite >= 3.35 and PostgreSQL return keys)
        raise RuntimeError("The database did not return primary keys for bulk inserts.")
    return result


def _anliegen_fields(data, order):
    complex_ = data["complexity"] == "complex"
    return {
        "legal_basis": data["legal_basis"],
        "fee_eur": Decimal(data["fee_eur"]),
        "fee_reductions": data["fee_reductions"],
        "complexity": data["complexity"],
        "target_days": 90 if complex_ else 14,
        "target_months": 3 if complex_ else None,  # "3 months" are calendar months, not 90 days
        "interim_answer_days": 14 if complex_ else None,
        "longest_validity_months": data["longest_validity_months"],
        "longest_validity_note": data["longest_validity_note"],
        "validity_caps": data.get("validity_caps", {}),
        "not_beyond_sponsor": data.get("not_beyond_sponsor", False),
        "validity_bound_to": data.get("validity_bound_to", ""),
        "validity_bound_extra_months": data.get("validity_bound_extra_months", 0),
        "residence_kind": data.get("residence_kind", ""),
        "discretionary": data["discretionary"],
        "way_in": data["way_in"],
        "appointment_minutes": data["appointment_minutes"],
        "active": data.get("active", True),
        "order": order,
    }


@transaction.atomic
def load(authority):
    specs = {data["slug"]: (order * 10, data) for order, data in enumerate(demo_data.ANLIEGEN, start=1)}
    anliegen = _sync(
        Anliegen,
        authority,
        {(a.slug,): a for a in Anliegen.objects.filter(authority=authority, slug__in=specs)},
        {(slug,): _anliegen_fields(data, order) for slug, (order, data) in specs.items()},
        ["slug"],
    )
    anliegen = {key[0]: row for key, row in anliegen.items()}
    by_id = {a.pk: a for a in anliegen.values()}
    _load_anliegen_texts(authority, specs, anliegen, by_id)
    _load_questions(authority, specs, anliegen, by_id)
    _load_checklist(authority, specs, anliegen, by_id)
    return anliegen


def _load_anliegen_texts(authority, specs, anliegen, by_id):
    wanted = {}
    for slug, (_order, data) in specs.items():
        for lang in demo_data.LANGUAGES:
            wanted[(anliegen[slug], lang, 1)] = {
                "title": data["title"][lang],
                "summary": data["summary"][lang],
                "status": "public",
            }
    existing = {
        (by_id[t.anliegen_id], t.language, t.version): t
        for t in AnliegenText.objects.filter(authority=authority, anliegen__in=by_id, version=1)
    }
    _sync(AnliegenText, authority, existing, wanted, ["anliegen", "language", "version"])


def _load_questions(authority, specs, anliegen, by_id):
    """The questions of each Anliegen, then their texts in every language."""
    wanted = {}
    for slug, (_order, data) in specs.items():
        for q_order, key in enumerate(data["questions"], start=1):
            spec = demo_data.QUESTIONS[key]
            wanted[(anliegen[slug], key)] = {
                "kind": spec.get("kind", demo_data.YES_NO),
                "options": spec.get("options", []),
                "order": q_order,
            }
    existing = {
        (by_id[q.anliegen_id], q.key): q for q in Question.objects.filter(authority=authority, anliegen__in=by_id)
    }
    questions = _sync(Question, authority, existing, wanted, ["anliegen", "key"])
    wanted = {}
    for (a, key), question in questions.items():
        if (a, key) not in wanted and a.slug in specs and key in specs[a.slug][1]["questions"]:
            spec = demo_data.QUESTIONS[key]
            labels = spec.get("labels", {})
            for lang in demo_data.LANGUAGES:
                wanted[(question, lang, 1)] = {
                    "text": spec["text"][lang],
                    "help_text": spec.get("help", {}).get(lang, ""),
                    "option_labels": {opt: labels[opt][lang] for opt in labels},
                    "status": "public",
                }
    q_by_id = {q.pk: q for q in questions.values()}
    existing = {
        (q_by_id[t.question_id], t.language, t.version): t
        for t in QuestionText.objects.filter(authority=authority, question__in=q_by_id, version=1)
    }
    _sync(QuestionText, authority, existing, wanted, ["question", "language", "version"])


def _load_checklist(authority, specs, anliegen, by_id):
    """The checklist items of each Anliegen, then their texts in every language."""
    wanted, documents = {}, {}
    for slug, (_order, data) in specs.items():
        for i_order, (key, doc_key, condition, required) in enumerate(item_keys(data["items"]), start=1):
            document_type, _titles, _explanations = demo_data.DOCUMENTS[doc_key]
            wanted[(anliegen[slug], key)] = {
                "document_type": document_type,
                "condition": condition,
                "required": required,
                "order": i_order,
            }
            documents[(slug, key)] = doc_key
    existing = {
        (by_id[i.anliegen_id], i.key): i for i in ChecklistItem.objects.filter(authority=authority, anliegen__in=by_id)
    }
    items = _sync(ChecklistItem, authority, existing, wanted, ["anliegen", "key"])
    wanted = {}
    for (a, key), item in items.items():
        doc_key = documents.get((a.slug, key))
        if doc_key is None:
            continue
        _type, titles, _explanations = demo_data.DOCUMENTS[doc_key]
        for lang in demo_data.LANGUAGES:
            wanted[(item, lang, 1)] = {
                "title": titles[lang],
                "explanation": demo_data.explanation(doc_key, lang),
                "status": "public",
            }
    i_by_id = {i.pk: i for i in items.values()}
    existing = {
        (i_by_id[t.item_id], t.language, t.version): t
        for t in ChecklistItemText.objects.filter(authority=authority, item__in=i_by_id, version=1)
    }
    _sync(ChecklistItemText, authority, existing, wanted, ["item", "language", "version"])
