import pytest
from django.conf import settings

from willkommen.messaging import services, template_texts
from willkommen.messaging.models import MessageTemplate, TemplateKey

LANGUAGES = [code for code, _ in settings.LANGUAGES]


def test_eight_templates_in_eight_languages_are_shipped_with_all_placeholders():
    assert set(template_texts.TEXTS) == set(TemplateKey.values) == set(template_texts.PLACEHOLDERS)
    assert len(LANGUAGES) == 8
    for key in TemplateKey.values:
        for language in LANGUAGES:
            assert language in template_texts.TEXTS[key], f"{key} lacks {language}"
            subject, body = template_texts.TEXTS[key][language]
            assert services.missing_placeholders(subject, body, key) == [], f"{key}/{language}"
    for table in (template_texts.ACKNOWLEDGEMENT, template_texts.PORTAL_NOTICE):
        assert set(table) == set(LANGUAGES)


@pytest.mark.django_db
def test_seeded_templates_are_complete_and_the_check_finds_gaps(authority):
    assert services.seed_templates(authority) == 64
    assert services.seed_templates(authority) == 0  # idempotent
    assert services.template_problems(authority) == []

    MessageTemplate.objects.filter(authority=authority, key="reminder", language="fa").delete()
    row = MessageTemplate.objects.get(authority=authority, key="receipt", language="tr")
    row.body = row.body.replace("{case_number}", "")
    row.subject = row.subject.replace("{case_number}", "")
    row.save()
    assert services.template_problems(authority) == ["reminder/fa: missing", "receipt/tr: lacks {case_number}"]


@pytest.mark.django_db
def test_render_falls_back_to_english_then_german_and_adds_german_where_legally_needed(authority):
    services.seed_templates(authority)
    context = {**template_texts.SAMPLE_CONTEXT}
    subject, body, used = services.render_template(authority, "reminder", "uk", context)
    assert used == "uk" and "Нагадуємо" in body and "15.03.2027" in body and "Deutsch" not in body

    MessageTemplate.objects.filter(authority=authority, key="reminder", language="uk").delete()
    _, body, used = services.render_template(authority, "reminder", "uk", context)
    assert used == "en" and "reminder" in body
    MessageTemplate.objects.filter(authority=authority, key="reminder", language="en").update(is_active=False)
    _, body, used = services.render_template(authority, "reminder", "uk", context)
    assert used == "de" and "erinnern" in body

    _, body, used = services.render_template(authority, "decision_notice", "ar", context)
    assert used == "ar"
    translation, german = body.split("Deutsch (maßgeblich):")
    assert "ABH-2027-000042" in translation and "Entscheidung" in german


@pytest.mark.django_db
def test_newest_active_version_wins(authority):
    services.seed_templates(authority)
    MessageTemplate.objects.create(
        authority=authority,
        key="reminder",
        language="de",
        version=2,
        subject="Neu {name}",
        body="V2 {date} {time} {place} {name}",
    )
    subject, body, _ = services.render_template(authority, "reminder", "de", {"name": "A", "date": "1.1."})
    assert subject == "Neu A" and body.startswith("V2 1.1.")


@pytest.mark.django_db
def test_demo_data_is_idempotent(authority):
    from willkommen.messaging import demo
    from willkommen.messaging.models import Interpreter, Message

    from .conftest import make_person

    make_person(authority)
    demo.load(authority)
    demo.load(authority)
    assert services.template_problems(authority) == []
    assert MessageTemplate.objects.filter(authority=authority).count() == 64
    assert Interpreter.objects.filter(authority=authority).count() == 4
    assert Message.objects.filter(authority=authority).count() == 2
