"""API serializers of the project: DRF's serializers with the text rules of ``core.text``.

Rooms write ``from willkommen.core import serializers`` and use ``serializers.Serializer``,
``serializers.ModelSerializer``, ``serializers.CharField``... as with ``rest_framework.serializers``
(everything else is DRF's, re-exported). Every writable character field, also inside a list or
dict field, refuses line breaks, control characters and bidi controls; a field marked multi-line
(``style=MULTI_LINE``, which ModelSerializer gives model TextFields) keeps line breaks and tabs.
A refused value is a 400 with the field's error in the request's language; nothing is changed.
"""

from rest_framework import serializers as drf
from rest_framework.serializers import *  # noqa: F403 (this module stands in for rest_framework.serializers)

from .text import validate_multi_line, validate_one_line

MULTI_LINE = {"base_template": "textarea.html"}


def apply_text_rules(field):
    if getattr(field, "read_only", False) or isinstance(field, drf.BaseSerializer):
        return
    if isinstance(field, drf.ListField | drf.DictField) and getattr(field, "child", None) is not None:
        apply_text_rules(field.child)
    if not isinstance(field, drf.CharField):
        return
    multi = (field.style or {}).get("base_template") == MULTI_LINE["base_template"]
    rule = validate_multi_line if multi else validate_one_line
    if rule not in field.validators:
        field.validators = [*field.validators, rule]


class TextRulesSerializerMixin:
    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            apply_text_rules(field)
        return fields


class Serializer(TextRulesSerializerMixin, drf.Serializer):
    pass


class ModelSerializer(TextRulesSerializerMixin, drf.ModelSerializer):
    pass
