"""A small catalogue entry for tests (the full demo catalogue is in demo_data.py)."""

from .models import Anliegen, AnliegenText, ChecklistItem, ChecklistItemText, Question, QuestionText


def make_anliegen(
    authority, slug="study", *, discretionary=False, way_in="both", complexity="simple", residence_kind="title"
):
    anliegen = Anliegen.objects.create(
        authority=authority,
        slug=slug,
        legal_basis="§ 16b AufenthG",
        fee_eur="100.00",
        fee_reductions=[{"when": {"minor": True}, "fee_eur": "50.00", "note": "minors pay half"}],
        complexity=complexity,
        target_days=14 if complexity == "simple" else 90,
        interim_answer_days=None if complexity == "simple" else 14,
        longest_validity_months=24,
        discretionary=discretionary,
        way_in=way_in,
        residence_kind=residence_kind,  # a grant is a residence title (history entry; § 81 applies)
    )
    titles = [
        ("de", "Aufenthaltserlaubnis zum Studium"),
        ("en", "Residence permit for study"),
        ("ar", "تصريح إقامة للدراسة"),
    ]
    for language, title in titles:
        AnliegenText.objects.create(
            authority=authority, anliegen=anliegen, language=language, title=title, summary=f"{title} – summary"
        )
    for order, (key, de, en) in enumerate(
        [
            ("married", "Sind Sie verheiratet?", "Are you married?"),
            ("blocked_account", "Haben Sie ein Sperrkonto?", "Do you have a blocked account?"),
            ("minor", "Sind Sie unter 18?", "Are you under 18?"),
        ]
    ):
        q = Question.objects.create(authority=authority, anliegen=anliegen, key=key, order=order)
        QuestionText.objects.create(authority=authority, question=q, language="de", text=de)
        QuestionText.objects.create(authority=authority, question=q, language="en", text=en)
    items = [
        ("passport", {}, "Reisepass", "Passport"),
        ("photo", {}, "Biometrisches Foto", "Biometric photo"),
        ("marriage_certificate", {"married": True}, "Heiratsurkunde", "Marriage certificate"),
        ("blocked_account_proof", {"blocked_account": True}, "Nachweis Sperrkonto", "Proof of blocked account"),
        ("scholarship", {"blocked_account": False}, "Stipendiennachweis", "Proof of scholarship"),
        ("parents_consent", {"minor": True}, "Zustimmung der Eltern", "Parents' consent"),
    ]
    for order, (key, condition, de, en) in enumerate(items):
        item = ChecklistItem.objects.create(
            authority=authority, anliegen=anliegen, key=key, condition=condition, order=order, document_type=key
        )
        ChecklistItemText.objects.create(authority=authority, item=item, language="de", title=de)
        ChecklistItemText.objects.create(authority=authority, item=item, language="en", title=en)
    return anliegen
