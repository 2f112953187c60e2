"""core/choices.py: the faster get_<field>_display answers exactly what Django's would, in every language."""

from functools import partialmethod

import pytest
from django.apps import apps
from django.db.models import Model
from django.utils import translation

from willkommen.cases.models import Case
from willkommen.core import choices

FIELDS = [
    (model, field)
    for model in apps.get_models(include_auto_created=True)
    for field in model._meta.local_fields
    if field.choices and not callable(getattr(field, "_choices", None))
]


def test_there_are_fields_with_choices_to_check():
    assert len(FIELDS) > 50


@pytest.mark.parametrize("language", ["de", "ar", "en"])
def test_every_choice_field_displays_as_django_displays_it(language):
    with translation.override(language):
        for model, field in FIELDS:
            method = getattr(model, f"get_{field.name}_display")
            assert not isinstance(method, partialmethod), (model, field.name)
            values = [value for value, _label in field.flatchoices] + ["not-a-choice", None]
            for value in values:
                instance = model()
                setattr(instance, field.attname, value)
                expected = Model._get_FIELD_display(instance, field)
                assert method(instance) == expected, (model.__name__, field.name, value, language)


def test_the_label_follows_the_language_of_the_moment():
    case = Case(status="received")
    with translation.override("de"):
        german = case.get_status_display()
    with translation.override("ar"):
        arabic = case.get_status_display()
    assert german == "eingegangen"
    assert arabic != german and arabic


def test_a_model_method_of_its_own_is_left_alone(monkeypatch):
    def own(self):
        return "own"

    monkeypatch.setattr(Case, "get_status_display", own)
    choices.install()
    assert Case(status="received").get_status_display() == "own"


def test_the_labels_are_built_once_per_field(monkeypatch):
    field = Case._meta.get_field("status")
    display = choices._display(field)
    built = []
    original = type(field).flatchoices

    class Counting(type(field)):
        @property
        def flatchoices(self):
            built.append(1)
            return original.fget(self)

    monkeypatch.setattr(field, "__class__", Counting)
    for status in ("received", "in_review", "received"):
        display(Case(status=status))
    assert len(built) == 1
