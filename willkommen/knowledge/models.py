"""Shared knowledge of an authority: forms for clients to download, news for the portal, country notes
for staff. Texts for clients are rows per language (like the catalogue's texts); German is the fallback.
No model points at a person: the room holds no personal data."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from willkommen.cases.models import Outcome
from willkommen.tenancy.models import TenantModel

FALLBACK_LANGUAGE = "de"


def language_choices():
    return settings.LANGUAGES


class PublicForm(TenantModel):
    """An official form (PDF) clients can download from the portal."""

    file = models.FileField(pgettext_lazy("computer file", "file"), max_length=300)
    file_name = models.CharField(_("file name"), max_length=120)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField(max_length=64)
    anliegen = models.ForeignKey(
        "catalogue.Anliegen",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Anliegen"),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    active = models.BooleanField(_("shown on the portal"), default=True)
    # The create form's one-time key: a second submit of the same page (a double click) finds the first.
    submission = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("form")
        verbose_name_plural = _("forms")
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["authority", "active", "position"])]
        constraints = [models.UniqueConstraint(fields=["authority", "submission"], name="knowledge_form_submission")]

    def __str__(self):
        return self.file_name


class PublicFormText(TenantModel):
    form = models.ForeignKey(PublicForm, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=8, choices=language_choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("purpose"), blank=True)

    class Meta:
        verbose_name = _("form text")
        verbose_name_plural = _("form texts")
        constraints = [models.UniqueConstraint(fields=["form", "language"], name="knowledge_form_text_language")]
        indexes = [models.Index(fields=["authority", "form", "language"])]

    def __str__(self):
        return self.title


class NewsKind(models.TextChoices):
    CLOSURE = "closure", _("Closure")
    LAW = "law", _("Change in the law")
    SERVICE = "service", _("New service")
    NOTICE = "notice", _("Announcement")


class NewsItem(TenantModel):
    """A news item or announcement, visible on the portal and in the feeds from ``visible_from`` until
    ``visible_until`` (both days included; no end: until removed)."""

    kind = models.CharField(_("kind"), max_length=10, choices=NewsKind.choices, default=NewsKind.NOTICE)
    visible_from = models.DateField(_("visible from"))
    visible_until = models.DateField(_("visible until"), null=True, blank=True)
    submission = models.UUIDField(null=True, blank=True, editable=False)  # as PublicForm.submission
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
        ordering = ["-visible_from", "-pk"]
        indexes = [models.Index(fields=["authority", "visible_from", "visible_until"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visible_until__isnull=True) | models.Q(visible_until__gte=models.F("visible_from")),
                name="knowledge_news_range",
            ),
            models.UniqueConstraint(fields=["authority", "submission"], name="knowledge_news_submission"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.visible_from}"


class NewsText(TenantModel):
    item = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=8, choices=language_choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("news text")
        verbose_name_plural = _("news texts")
        constraints = [models.UniqueConstraint(fields=["item", "language"], name="knowledge_news_text_language")]
        indexes = [models.Index(fields=["authority", "item", "language"])]

    def __str__(self):
        return self.title


class CountryNote(TenantModel):
    """What staff know about a country of origin: passports, embassies, cooperation, bans on deportation.
    One note per country and authority; ``as_of`` dates the knowledge, ``sources`` names where it comes from."""

    country = models.CharField(_("country (ISO 3166 alpha-3)"), max_length=3)
    passports = models.TextField(_("how passports are procured"), blank=True)
    embassies = models.TextField(_("embassies and consulates"), blank=True)
    cooperation = models.TextField(_("cooperation that can reasonably be asked"), blank=True)
    deportation_bans = models.TextField(_("known bans on deportation"), blank=True)
    sources = models.TextField(_("sources"))
    as_of = models.DateField(_("as of"))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("country note")
        verbose_name_plural = _("country notes")
        ordering = ["country"]
        constraints = [models.UniqueConstraint(fields=["authority", "country"], name="knowledge_country_note_country")]

    def __str__(self):
        return self.country


# --- work instructions and text blocks (versioned), sharing across authorities ------------------------


class Shareable(TenantModel):
    """Published to the other authorities on the platform, or adopted from one: ``source`` is the original
    (another authority's object, the one cross-authority reference of the room), ``source_version`` the
    version adopted; the copy belongs to its adopter and is changed there."""

    published = models.BooleanField(_("published to other authorities"), default=False)
    source_version = models.PositiveIntegerField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True


class Versioned(Shareable):
    version = models.PositiveIntegerField(default=1, editable=False)
    needs_review = models.BooleanField(_("needs review"), default=False)
    review_reason = models.CharField(_("why a review is needed"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class WorkInstruction(Versioned):
    """The office's instruction for an Anliegen and a legal basis; every change is a new version."""

    anliegen = models.ForeignKey(
        "catalogue.Anliegen",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Anliegen"),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=120)
    title = models.CharField(_("title"), max_length=200)
    source = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="adoptions")

    class Meta:
        verbose_name = _("work instruction")
        verbose_name_plural = _("work instructions")
        ordering = ["legal_basis", "title"]
        indexes = [models.Index(fields=["authority", "legal_basis"]), models.Index(fields=["published"])]

    def __str__(self):
        return self.title


class InstructionVersion(TenantModel):
    instruction = models.ForeignKey(WorkInstruction, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    checks = models.TextField(_("what to check"))
    documents = models.TextField(_("typical documents"), blank=True)
    pitfalls = models.TextField(_("pitfalls"), blank=True)
    legal_links = models.TextField(_("links to the legal text"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["instruction", "number"], name="knowledge_instruction_version_number")
        ]
        indexes = [models.Index(fields=["authority", "instruction", "number"])]

    def links(self):
        return [line.strip() for line in self.legal_links.splitlines() if line.strip()]


class BlockKind(models.TextChoices):
    REASONING = "reasoning", _("Reasoning")
    CONDITIONS = "conditions", _("Conditions")
    PLAIN = "plain_explanation", _("Plain-language explanation")


class TextBlock(Versioned):
    """A reusable piece of a decision for a legal basis and outcome; every change is a new version."""

    legal_basis = models.CharField(_("legal basis"), max_length=120)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    kind = models.CharField(_("part of the decision"), max_length=20, choices=BlockKind.choices)
    title = models.CharField(_("title"), max_length=200)
    source = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="adoptions")

    class Meta:
        verbose_name = _("text block")
        verbose_name_plural = _("text blocks")
        ordering = ["legal_basis", "outcome", "kind", "title"]
        indexes = [models.Index(fields=["authority", "legal_basis", "outcome"]), models.Index(fields=["published"])]

    def __str__(self):
        return self.title


class TextBlockVersion(TenantModel):
    block = models.ForeignKey(TextBlock, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["block", "number"], name="knowledge_block_version_number")]
        indexes = [models.Index(fields=["authority", "block", "number"])]


class DecisionBlock(TenantModel):
    """Which block versions a decision draft was written with (the figures count outcomes per block)."""

    decision = models.ForeignKey("cases.Decision", on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(TextBlockVersion, on_delete=models.PROTECT, related_name="uses")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["decision", "version"], name="knowledge_decision_block")]
        indexes = [models.Index(fields=["authority", "version"])]


class CountryNoteShare(models.Model):
    """Sharing of a country note (kept apart so the note's table stays as it is): published, or adopted
    from ``source`` as it was at ``source_updated_at``."""

    note = models.OneToOneField(CountryNote, on_delete=models.CASCADE, related_name="share")
    published = models.BooleanField(default=False)
    source = models.ForeignKey(CountryNote, on_delete=models.SET_NULL, null=True, blank=True, related_name="adoptions")
    source_updated_at = models.DateTimeField(null=True, blank=True)


# --- staff learning ---------------------------------------------------------------------------------


class TrainingRecord(TenantModel):
    """A course a staff member took; a mandatory course with ``renew_months`` is due again that many
    months after ``completed_on`` (the reminder on the training page and beside the desk)."""

    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    course = models.CharField(_("course"), max_length=200)
    completed_on = models.DateField(_("completed on"))
    mandatory = models.BooleanField(_("mandatory"), default=False)
    intercultural = models.BooleanField(_("intercultural competence"), default=False)
    renew_months = models.PositiveSmallIntegerField(_("renew after months"), null=True, blank=True)
    due_on = models.DateField(_("due again on"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["due_on", "-completed_on"]
        indexes = [models.Index(fields=["authority", "mandatory", "due_on"])]

    def __str__(self):
        return self.course


class InductionItem(TenantModel):
    """One item of the authority's induction checklist for new staff: for the roles in ``roles`` (empty:
    every role), in ``position`` order, optionally pointing at a work instruction to read."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    instruction = models.ForeignKey(
        WorkInstruction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("work instruction"),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    roles = models.JSONField(_("for roles"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("induction item")
        verbose_name_plural = _("induction items")
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["authority", "position"])]

    def __str__(self):
        return self.title

    def applies_to(self, role):
        return not self.roles or role in self.roles


class InductionMark(TenantModel):
    """An induction item done by a staff member: who confirmed it and when (one per item and staff)."""

    item = models.ForeignKey(InductionItem, on_delete=models.CASCADE, related_name="marks")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "staff"], name="knowledge_induction_mark")]
        indexes = [models.Index(fields=["authority", "staff"])]


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("due within 30 days")
    OVERDUE = "overdue", _("overdue")


class TrainingReminder(TenantModel):
    """A reminder e-mail sent for a training record (one per record and kind: the job is idempotent)."""

    record = models.ForeignKey(TrainingRecord, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["record", "kind"], name="knowledge_training_reminder")]
        indexes = [models.Index(fields=["authority", "record"])]
