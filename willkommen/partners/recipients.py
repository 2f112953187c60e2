"""The recipient types of requests to other authorities and what the authority sets per type.

Each type ships a question (translatable, gettext), whether the processing clock stops while such a
request is open and the usual answer period; the authority changes any of them on the desk page
"Request types" (a :class:`~.models.RequestType` row per type). The question is a template: the
placeholders below are filled from the case when a request is written, and the caseworker may edit
the text before sending.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import RecipientType, RequestType

PLACEHOLDERS = {
    "name": _("the client's name"),
    "date_of_birth": _("the client's date of birth"),
    "case_number": _("the case number"),
    "anliegen": _("the Anliegen"),
    "authority": _("the name of our authority"),
}

DEFAULT_QUESTIONS = {
    RecipientType.EMPLOYMENT_AGENCY: _(
        "We ask for your consent under § 39 AufenthG to the employment of {name}, born {date_of_birth}, "
        "for the application {anliegen}. The declaration of employment is enclosed.\n\nOur reference: {case_number}"
    ),
    RecipientType.SOCIAL_BENEFITS: _(
        "Does {name}, born {date_of_birth}, receive benefits under SGB II or SGB XII? If so, since when "
        "and for how many persons?\n\nOur reference: {case_number}"
    ),
    RecipientType.BAMF: _(
        "Please tell us the state of the asylum procedure of {name}, born {date_of_birth}, and any decision "
        "with its date.\n\nOur reference: {case_number}"
    ),
    RecipientType.REGISTRY_OFFICE: _(
        "Please confirm the civil status entries (birth, marriage, parenthood) you hold for {name}, "
        "born {date_of_birth}.\n\nOur reference: {case_number}"
    ),
    RecipientType.POLICE: _(
        "Are there findings about {name}, born {date_of_birth}, that matter for a decision on residence "
        "(§ 5 and § 54 AufenthG)?\n\nOur reference: {case_number}"
    ),
    RecipientType.FOREIGNERS_AUTHORITY: _(
        "Please send us what your file holds on {name}, born {date_of_birth}: residence titles, pending "
        "proceedings and decisions.\n\nOur reference: {case_number}"
    ),
}

# (clock stops, answer period in days). The Federal Employment Agency's consent counts as given after two
# weeks (§ 36 (2) BeschV); the processing waits for it. A benefits or police check runs beside the work.
DEFAULTS = {
    RecipientType.EMPLOYMENT_AGENCY: (True, 14),
    RecipientType.SOCIAL_BENEFITS: (False, 21),
    RecipientType.BAMF: (True, 28),
    RecipientType.REGISTRY_OFFICE: (True, 28),
    RecipientType.POLICE: (False, 21),
    RecipientType.FOREIGNERS_AUTHORITY: (True, 28),
}


@dataclass(frozen=True)
class TypeSettings:
    recipient_type: str
    question: str  # the template (placeholders not yet filled)
    stops_clock: bool
    due_days: int
    customised: bool

    @property
    def label(self):
        return RecipientType(self.recipient_type).label


def settings_for(authority, recipient_type):
    """The authority's settings for ``recipient_type``, else the shipped ones (question in the active language)."""
    row = RequestType.objects.filter(authority=authority, recipient_type=recipient_type).first()
    stops, days = DEFAULTS[RecipientType(recipient_type)]
    if row is None:
        return TypeSettings(recipient_type, str(DEFAULT_QUESTIONS[recipient_type]), stops, days, False)
    return TypeSettings(
        recipient_type, row.question or str(DEFAULT_QUESTIONS[recipient_type]), row.stops_clock, row.due_days, True
    )


def all_settings(authority):
    return [settings_for(authority, value) for value in RecipientType.values]


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(template, values):
    """The question with its placeholders filled; an unknown placeholder (or a stray brace) stays as it is."""
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), template)
