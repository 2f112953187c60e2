"""The template store: shipped texts complete in eight languages, explicit fallbacks, versions, placeholders."""

import re

import pytest
from django.conf import settings

from willkommen.messaging import placeholders, template_texts, texts
from willkommen.messaging.models import MessageTemplate

LANGUAGES = [code for code, _ in settings.LANGUAGES]


def test_every_text_is_shipped_in_eight_languages_with_its_placeholders():
    assert len(LANGUAGES) == 8 and set(LANGUAGES) == set(template_texts.LANGUAGES)
    keys = {d.key for d in template_texts.DEFINITIONS}
    for language in LANGUAGES:
        shipped = template_texts.shipped_language(language)
        assert set(shipped) == keys, f"{language}: {set(shipped) ^ keys}"
        for definition in template_texts.DEFINITIONS:
            subject, body = shipped[definition.key]
            assert texts.problems_of(definition.key, subject, body) == [], f"{definition.key}/{language}"
            if not definition.subject:
                assert subject == "", f"{definition.key}/{language} has a subject nobody shows"


def test_german_texts_address_the_client_formally():
    informal = re.compile(r"\b(du|dich|dir|dein\w*|euch|euer)\b", re.IGNORECASE)
    for key, (subject, body) in template_texts.shipped_language("de").items():
        assert not informal.search(f"{subject} {body}"), key


def test_translations_are_not_copies_of_the_english_text():
    english = template_texts.shipped_language("en")
    for language in ("ar", "fa", "tr", "uk", "ru", "fr"):
        for key, (_subject, body) in template_texts.shipped_language(language).items():
            assert body != english[key][1], f"{key}/{language} is still English"


@pytest.mark.django_db
def test_shipped_texts_are_in_force_without_rows_and_the_check_finds_broken_versions(authority):
    assert texts.problems(authority) == []
    MessageTemplate.objects.create(  # bypassing save_version, as a broken import would
        authority=authority, key="receipt", language="tr", version=1, subject="Alındı", body="Merhaba {nmae}"
    )
    found = texts.problems(authority)
    assert len(found) == 2 and all(p.startswith("receipt/tr: ") for p in found)
    assert "{nmae}" in found[0] and "{access_code}" in found[1]


@pytest.mark.django_db
def test_saving_refuses_unknown_or_missing_placeholders_and_keeps_every_version(authority, caseworker):
    with pytest.raises(texts.TemplateError) as error:
        texts.save_version(authority, "reminder", "de", subject="Termin", body="Am {datum} um {time}", user=caseworker)
    assert len(error.value.errors) == 2  # {datum} unknown; {date} and {place} missing
    first = texts.save_version(
        authority, "reminder", "de", subject="Termin", body="{date} {time}, {place}", user=caseworker
    )
    second = texts.save_version(
        authority, "reminder", "de", subject="Termin", body="Neu: {date} {time}, {place}", user=caseworker
    )
    assert (first.version, second.version) == (1, 2) and second.changed_by == "clara"
    assert texts.current(authority, "reminder", "de").body.startswith("Neu:")
    MessageTemplate.objects.filter(pk=second.pk).update(is_active=False)
    assert texts.current(authority, "reminder", "de").version == 1
    assert texts.current(authority, "reminder", "en").shipped


@pytest.mark.django_db
def test_fallback_is_the_client_language_then_german_with_a_translation_note(authority, monkeypatch):
    values = {"date": "15.03.2027", "time": "09:30", "place": "Marktplatz 1", "reference": "T-1"}
    rendered = texts.render(authority, "reminder", "uk", values)
    assert rendered.language == "uk" and not rendered.fallback and "Нагадуємо" in rendered.body

    real = template_texts.shipped_language
    without = {k: v for k, v in real("uk").items() if k != "reminder"}  # Ukrainian lacks this text
    monkeypatch.setattr(template_texts, "shipped_language", lambda lang: without if lang == "uk" else real(lang))
    rendered = texts.render(authority, "reminder", "uk", values)
    assert rendered.language == "de" and rendered.fallback
    note, german = rendered.body.split("\n\n", 1)
    assert note == "Це повідомлення ще не доступне вашою мовою. Нижче — текст німецькою."
    assert "erinnern Sie" in german and "15.03.2027" in german

    rendered = texts.render(authority, "reminder", "ku", values)  # a language we do not ship at all
    assert rendered.language == "de" and rendered.body.startswith("Diese Nachricht liegt in Ihrer Sprache")


@pytest.mark.django_db
def test_messages_with_legal_weight_carry_the_german_text_below(authority):
    values = {
        "case_number": "ABH-2027-000042",
        "name": "Rana Haddad",
        "anliegen": "Studium",
        "link": "https://x.example/",
    }
    rendered = texts.render(authority, "decision_notice", "ar", values)
    translation, german = rendered.body.split(texts.GERMAN_BELOW_HEADING)
    assert "ABH-2027-000042" in rendered.subject and "صدر قرار" in translation
    assert "Entscheidung" not in translation and "über Ihren Antrag" in german
    assert texts.GERMAN_BELOW_HEADING not in texts.render(authority, "decision_notice", "de", values).body
    assert texts.GERMAN_BELOW_HEADING not in texts.render(authority, "reminder", "ar", values).body


def test_empty_lines_and_paragraphs_are_left_out_and_lists_become_items():
    template = "Hallo {name},\n\nGrund: {reason}\nAm {date}\n\nBitte mitbringen:\n{checklist}\n\nEnde"
    optional = ("reason", "checklist")
    filled = placeholders.text(template, {"name": "A", "date": "1.2.", "checklist": []}, "de", optional)
    assert filled == "Hallo A,\n\nAm 1.2.\n\nEnde"
    filled = placeholders.text(template, {"checklist": ["Pass", "Foto"], "reason": "x"}, "de", optional)
    assert filled == "Hallo ,\n\nGrund: x\nAm\n\nBitte mitbringen:\n- Pass\n- Foto\n\nEnde"  # required stay
    assert (
        placeholders.text("Dokumente: {checklist}.", {"checklist": ["Pass", "Foto"]}, "de") == "Dokumente: Pass, Foto."
    )
    assert placeholders.text("{title}", {"title": lambda language: f"T-{language}"}, "ar") == "T-ar"


def test_html_isolates_values_and_escapes_everything():
    values = {"name": "<x>", "date": "1.2.", "items": ["a&b", "جواز السفر"]}
    out = placeholders.html("<b>{name}</b> bis {date}:\n{items}", values, "ar")
    assert out == (
        '<p>&lt;b&gt;<bdi dir="ltr">&lt;x&gt;</bdi>&lt;/b&gt; bis <bdi dir="ltr">1.2.</bdi>:</p>'
        '<ul><li><bdi dir="ltr">a&amp;b</bdi></li><li><bdi dir="rtl">جواز السفر</bdi></li></ul>'
    )


@pytest.mark.django_db
def test_demo_data_is_idempotent(authority):
    from willkommen.messaging import demo
    from willkommen.messaging.models import Interpreter, Message

    from .conftest import make_person

    make_person(authority)
    demo.load(authority)
    demo.load(authority)
    assert texts.problems(authority) == []
    assert MessageTemplate.objects.filter(authority=authority).count() == 2  # the changed status message, de + en
    assert "Nachrichten" in texts.current(authority, "status_message", "de").body
    assert Interpreter.objects.filter(authority=authority).count() == 4
    assert Message.objects.filter(authority=authority).count() == 2
