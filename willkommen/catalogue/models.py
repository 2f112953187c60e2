"""The catalogue of Anliegen (application types) per authority, with conditional checklists.

Texts live in their own rows per language, versioned with a status (draft, review,
public), like Integreat's translations; the portal shows the newest public version
and falls back to English, then German.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from willkommen.clients.models import ResidenceKind
from willkommen.tenancy.models import TenantModel


class Complexity(models.TextChoices):
    SIMPLE = "simple", _("simple (14-day target)")
    COMPLEX = "complex", _("complex (3-month target, interim answer in 14 days)")


class WayIn(models.TextChoices):
    APPOINTMENT = "appointment", _("appointment")
    ONLINE = "online", _("online application")
    BOTH = "both", _("online application or appointment")


class TextStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    REVIEW = "review", _("in review")
    PUBLIC = "public", _("public")


class ValidityBound(models.TextChoices):
    """What the validity of a title may not outlast (domain.md: study not beyond the course, employment
    not beyond the contract)."""

    NONE = "", _("nothing")
    COURSE = "course", _("the end of the course (study, training)")
    CONTRACT = "contract", _("the end of the employment contract")


def language_choices():
    return settings.LANGUAGES


class Anliegen(TenantModel):
    slug = models.SlugField(_("short name"), max_length=60)
    legal_basis = models.CharField(_("legal basis"), max_length=120)
    fee_eur = models.DecimalField(_("fee (EUR)"), max_digits=7, decimal_places=2)
    fee_reductions = models.JSONField(
        _("fee reductions"),
        default=list,
        blank=True,
        help_text=_(
            'e.g. [{"when": {"minor": true}, "fee_eur": "50.00", "note": "Minderjährige zahlen die Hälfte", '
            '"notes": {"en": "minors pay half", "ar": "…"}}]: the note in German, "notes" in other languages.'
        ),
    )
    complexity = models.CharField(_("complexity class"), max_length=10, choices=Complexity.choices)
    target_days = models.PositiveIntegerField(_("processing target (days)"), default=14)
    target_months = models.PositiveIntegerField(
        _("processing target (calendar months)"),
        null=True,
        blank=True,
        help_text=_("Where the rule says months; counted in calendar months and used instead of the days."),
    )
    interim_answer_days = models.PositiveIntegerField(_("interim answer due (days)"), null=True, blank=True)
    longest_validity_months = models.PositiveIntegerField(_("longest validity (months)"), null=True, blank=True)
    longest_validity_note = models.CharField(_("longest validity (note)"), max_length=200, blank=True)
    validity_caps = models.JSONField(
        _("longest validity per legal basis (months)"),
        default=dict,
        blank=True,
        help_text=_('e.g. {"25a": 36, "25b": 24}: the paragraph of the legal basis and its longest validity.'),
    )
    not_beyond_sponsor = models.BooleanField(
        _("not beyond the sponsor's title"),
        default=False,
        help_text=_("Family reunification: the validity ends at the latest when the family member's title does."),
    )
    validity_bound_to = models.CharField(
        _("validity bound to"),
        max_length=10,
        choices=ValidityBound.choices,
        blank=True,
        default="",
        help_text=_(
            "Study, training or employment titles: the validity ends at the latest when the course or the "
            "contract does (plus the months below); the decision form asks for that end."
        ),
    )
    validity_bound_extra_months = models.PositiveSmallIntegerField(
        _("months beyond the course or contract end"),
        default=0,
        help_text=_("e.g. 3 for the EU Blue Card (the contract plus three months)."),
    )
    residence_kind = models.CharField(
        _("residence status granted"),
        max_length=12,
        choices=ResidenceKind.choices,
        blank=True,
        help_text=_("What a grant writes into the residence history; empty when it grants no residence status."),
    )
    discretionary = models.BooleanField(_("decisions need a second approver"), default=False)
    way_in = models.CharField(_("way in"), max_length=12, choices=WayIn.choices, default=WayIn.BOTH)
    appointment_minutes = models.PositiveIntegerField(_("appointment duration (minutes)"), default=20)
    order = models.PositiveIntegerField(_("order"), default=100)
    active = models.BooleanField(_("active"), default=True)
    copied_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Anliegen")
        verbose_name_plural = _("Anliegen")
        ordering = ["authority", "order", "slug"]
        constraints = [models.UniqueConstraint(fields=["authority", "slug"], name="anliegen_slug_per_authority")]
        indexes = [models.Index(fields=["authority", "active", "order"])]

    def __str__(self):
        return f"{self.slug} ({self.legal_basis})"

    @property
    def allows_online(self):
        return self.way_in in (WayIn.ONLINE, WayIn.BOTH)

    @property
    def allows_appointment(self):
        return self.way_in in (WayIn.APPOINTMENT, WayIn.BOTH)


class QuestionKind(models.TextChoices):
    YES_NO = "yes_no", _("yes or no")
    CHOICE = "choice", _("one of several options")


class Question(TenantModel):
    """A question asked before the checklist; its answer switches checklist items on or off."""

    anliegen = models.ForeignKey(Anliegen, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(_("key"), max_length=40, help_text=_("e.g. married, children, employed, minor"))
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.YES_NO)
    options = models.JSONField(_("options"), default=list, blank=True, help_text=_("Option keys for choice questions."))
    order = models.PositiveIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["anliegen", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["anliegen", "key"], name="question_key_per_anliegen")]
        indexes = [models.Index(fields=["authority", "anliegen"])]

    def __str__(self):
        return self.key


class ChecklistItem(TenantModel):
    """A document or proof to bring. ``condition`` maps question keys to the answers that make it apply:
    ``{}`` always applies; ``{"married": true}``; ``{"purpose": ["first", "change"]}``. All keys must match."""

    anliegen = models.ForeignKey(Anliegen, on_delete=models.CASCADE, related_name="checklist_items")
    key = models.SlugField(_("key"), max_length=60)
    document_type = models.CharField(_("document type"), max_length=60, blank=True)
    condition = models.JSONField(_("condition"), default=dict, blank=True)
    required = models.BooleanField(_("required"), default=True)
    order = models.PositiveIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["anliegen", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["anliegen", "key"], name="checklist_key_per_anliegen")]
        indexes = [models.Index(fields=["authority", "anliegen"])]

    def __str__(self):
        return self.key


class TranslatedText(TenantModel):
    language = models.CharField(_("language"), max_length=8, choices=language_choices)
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=8, choices=TextStatus.choices, default=TextStatus.PUBLIC)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AnliegenText(TranslatedText):
    anliegen = models.ForeignKey(Anliegen, on_delete=models.CASCADE, related_name="texts")
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("Anliegen text")
        verbose_name_plural = _("Anliegen texts")
        constraints = [
            models.UniqueConstraint(fields=["anliegen", "language", "version"], name="anliegen_text_version")
        ]
        indexes = [models.Index(fields=["authority", "anliegen", "language"])]


class QuestionText(TranslatedText):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="texts")
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=500, blank=True)
    option_labels = models.JSONField(_("option labels"), default=dict, blank=True)

    class Meta:
        verbose_name = _("question text")
        verbose_name_plural = _("question texts")
        constraints = [
            models.UniqueConstraint(fields=["question", "language", "version"], name="question_text_version")
        ]
        indexes = [models.Index(fields=["authority", "question", "language"])]


class ChecklistItemText(TranslatedText):
    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="texts")
    title = models.CharField(_("title"), max_length=300)
    explanation = models.TextField(_("explanation"), blank=True)

    class Meta:
        verbose_name = _("checklist item text")
        verbose_name_plural = _("checklist item texts")
        constraints = [models.UniqueConstraint(fields=["item", "language", "version"], name="item_text_version")]
        indexes = [models.Index(fields=["authority", "item", "language"])]
