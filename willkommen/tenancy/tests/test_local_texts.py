"""Texts an authority enters for clients, per language: German on the row, the other languages in rows per
language; where a language has none the page shows German marked (lang="de", dir="ltr", "(in German)")."""

import pytest
from django.template import Context, Template
from django.utils import translation

from willkommen.catalogue.checklist import fee
from willkommen.catalogue.testing import make_anliegen
from willkommen.tenancy.models import AuthorityText, TeamText

HOME = Template('{% load willkommen %}{{ authority|local:"phone_hours"|local_lines }}|{{ team|local:"name" }}')


def render(language, **context):
    with translation.override(language):
        return HOME.render(Context(context))


@pytest.mark.django_db
def test_the_clients_language_else_german_marked(authority, team):
    authority.phone_hours = "Mo–Fr 9–12\nDi 14–16"
    authority.save()
    team.name = "Studium"
    team.save()
    AuthorityText.objects.create(authority=authority, language="ar", phone_hours="الاثنين–الجمعة 9–12")
    TeamText.objects.create(authority=authority, team=team, language="uk", name="Навчання")

    arabic = render("ar", authority=authority, team=team)
    assert arabic.startswith("الاثنين–الجمعة 9–12|")  # the Arabic row, not marked
    assert '<span lang="de" dir="ltr">Studium</span>' in arabic and "(بالألمانية)" in arabic

    ukrainian = render("uk", authority=authority, team=team)
    assert '<span lang="de" dir="ltr">Mo–Fr 9–12<br>Di 14–16</span>' in ukrainian
    assert ukrainian.endswith("|Навчання")

    german = render("de", authority=authority, team=team)
    assert german == "Mo–Fr 9–12<br>Di 14–16|Studium"  # German needs no mark


@pytest.mark.django_db
def test_an_empty_row_falls_back_and_markup_is_escaped(authority):
    authority.consultation_hours = "<b>Di</b> 8–11"
    authority.save()
    AuthorityText.objects.create(authority=authority, language="fr", consultation_hours="  ")
    value = authority.local_text("consultation_hours", "fr")
    assert (str(value), value.language) == ("<b>Di</b> 8–11", "de")
    with translation.override("fr"):
        html = Template("{{ v }}").render(Context({"v": value}))
    assert html.startswith('<span lang="de" dir="ltr">&lt;b&gt;Di&lt;/b&gt; 8–11</span>') and "(en allemand)" in html
    with pytest.raises(ValueError):
        authority.local_text("name", "fr")


@pytest.mark.django_db
def test_fee_notes_per_language(authority):
    anliegen = make_anliegen(authority)
    anliegen.fee_reductions = [
        {
            "when": {"minor": True},
            "fee_eur": "50.00",
            "note": "Minderjährige zahlen die Hälfte",
            "notes": {"ar": "القاصرون يدفعون النصف"},
        }
    ]
    anliegen.save()
    amount, note = fee(anliegen, {"minor": True}, "ar")
    assert (str(amount), str(note), note.language) == ("50.00", "القاصرون يدفعون النصف", "ar")
    _amount, note = fee(anliegen, {"minor": True}, "tr")
    assert (str(note), note.language) == ("Minderjährige zahlen die Hälfte", "de")
    _amount, note = fee(anliegen, {"minor": False}, "tr")
    assert str(note) == ""
