"""The booking request of the public API, read and checked without a serializer or form instance: the same
fields, rules and messages as the portal's :class:`~.forms.DetailsForm`, in a fraction of the time (Django's
form fields do the checking; nothing else is built). Returns field errors in DRF's shape."""

import datetime as dt
import json
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from willkommen.core.forms import apply_text_rules

from .errors import PASSPORT_NUMBER_INVALID
from .identity import Applicant, normalise_passport_number

# Messages of Django's and DRF's own fields (translated in their catalogs).
REQUIRED = forms.Field.default_error_messages["required"]
NOT_A_NUMBER = forms.IntegerField.default_error_messages["invalid"]
NOT_A_DATE = forms.DateField.default_error_messages["invalid"]
NOT_A_CHOICE = forms.ChoiceField.default_error_messages["invalid_choice"]
NOT_A_BOOLEAN = serializers.BooleanField.default_error_messages["invalid"]

TRUE = {True, "true", "True", "1", "on", "yes"}
FALSE = {False, "false", "False", "0", "off", "no", "", None}
MAX_ANSWERS = 40

_TEXT = {
    "family_name": forms.CharField(max_length=150),
    "given_names": forms.CharField(max_length=150, required=False),
    "email": forms.EmailField(max_length=254),
    "passport_number": forms.CharField(max_length=40, required=False),
    "phone": forms.CharField(max_length=50, required=False),
    "interpreter_language": forms.CharField(max_length=50, required=False),
    "anliegen": forms.SlugField(),
}
for _field in _TEXT.values():
    apply_text_rules(_field)  # one line, no control or bidi characters: the portal form's rules


@dataclass
class Request:
    slot_id: int | None = None
    anliegen: str = ""
    applicant: Applicant | None = None
    raw_answers: dict = field(default_factory=dict)
    altcha: str = ""
    errors: dict = field(default_factory=dict)


def body(request):
    """The request body as a dict (JSON, or a form), or None when it cannot be read."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            return None
        return data if isinstance(data, dict) else None
    return {key: request.POST.get(key) for key in request.POST}


def read(data, language_choices, default_language):
    """Check a booking request; ``errors`` is empty when it is complete and valid."""
    result = Request(altcha=str(data.get("altcha") or ""))
    values = {}
    for name, form_field in _TEXT.items():
        try:
            values[name] = form_field.clean(_text(data.get(name)))
        except ValidationError as exc:
            result.errors[name] = list(exc.messages)
    result.slot_id = _integer(data.get("slot"), "slot", result.errors)
    result.anliegen = values.pop("anliegen", "")
    birth = _birth(data.get("date_of_birth"), result.errors)
    language = _language(data.get("language"), language_choices, default_language, result.errors)
    interpreter = _boolean(data.get("interpreter_needed"), "interpreter_needed", result.errors)
    if interpreter and not values.get("interpreter_language"):
        result.errors["interpreter_language"] = [_("Please tell us which language the interpreter should speak.")]
    try:
        values["passport_number"] = normalise_passport_number(values.get("passport_number"))
    except ValueError:
        result.errors["passport_number"] = [str(PASSPORT_NUMBER_INVALID)]
    result.raw_answers = _answers(data.get("answers"), result.errors)
    if not result.errors:
        result.applicant = Applicant(
            date_of_birth=birth, language=language, interpreter_needed=interpreter, **values, answers={}
        )
    return result


def _text(value):
    return value if isinstance(value, str) or value is None else str(value)


def _integer(value, name, errors):
    if isinstance(value, bool) or value in (None, ""):
        errors[name] = [str(REQUIRED)]
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        errors[name] = [str(NOT_A_NUMBER)]
        return None


def _birth(value, errors):
    if not value:
        errors["date_of_birth"] = [str(REQUIRED)]
        return None
    try:
        birth = dt.date.fromisoformat(str(value))
    except ValueError:
        errors["date_of_birth"] = [str(NOT_A_DATE)]
        return None
    if birth > timezone.localdate():
        errors["date_of_birth"] = [_("The date of birth lies in the future.")]
    elif birth < dt.date(1900, 1, 1):
        errors["date_of_birth"] = [_("Please check the date of birth.")]
    return birth


def _language(value, choices, default, errors):
    if not value:
        value = default
    if value not in {code for code, _name in choices}:
        errors["language"] = [str(NOT_A_CHOICE) % {"value": value}]
    return value


def _boolean(value, name, errors):
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    errors[name] = [str(NOT_A_BOOLEAN)]
    return False


def _answers(value, errors):
    if value in (None, ""):
        return {}
    if (
        not isinstance(value, dict)
        or len(value) > MAX_ANSWERS
        or not all(isinstance(v, str | bool | int) and len(str(v)) <= 40 for v in value.values())
    ):
        errors["answers"] = [_("Some answers are not valid.")]
        return {}
    return {str(k): str(v) for k, v in value.items()}
