"""The case (Vorgang). The workflow, deadlines, decisions and timeline grow here."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from willkommen.tenancy.models import TenantModel

from .workflow import Status


class CaseSource(models.TextChoices):
    ONLINE = "online", _("online application")
    DESK = "desk", _("entered at the desk")
    SERVICEPOINT = "servicepoint", _("handed in at the ServicePoint")
    LETTER = "letter", _("letter")
    COUNTER = "counter", _("at the counter")
    APPOINTMENT = "appointment", _("appointment")
    TRANSFER = "transfer", _("transferred from another authority")


class CaseNumberCounter(TenantModel):
    """Gap-free case numbers per authority and year: the counter row is locked and advanced inside the
    transaction that creates the case, so a rolled-back case gives its number back."""

    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["authority", "year"], name="case_counter_per_year")]


class Case(TenantModel):
    number = models.CharField(_("case number"), max_length=30)
    person = models.ForeignKey("clients.Person", on_delete=models.PROTECT, related_name="cases")
    anliegen = models.ForeignKey("catalogue.Anliegen", on_delete=models.PROTECT, related_name="cases")
    status = models.CharField(_("status"), max_length=30, choices=Status.choices, default=Status.RECEIVED)
    source = models.CharField(_("source"), max_length=20, choices=CaseSource.choices, default=CaseSource.DESK)
    team = models.ForeignKey("tenancy.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="cases")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    received_at = models.DateTimeField(_("received"))
    answers = models.JSONField(_("answers to the catalogue questions"), default=dict, blank=True)
    access_code_hash = models.CharField(max_length=128, editable=False)
    idempotency_key = models.CharField(max_length=80, blank=True, editable=False)
    # SHA-256 of the request that opened the case through the API with ``idempotency_key``: a retry with the
    # same key and another body is refused (cases/api_intake.py).
    idempotency_body_hash = models.CharField(max_length=64, blank=True, editable=False)
    # Workflow and deadlines (kept current by services; denormalised so the queue sorts in SQL).
    discretionary = models.BooleanField(_("discretionary (needs a second approver)"), default=False)
    stay_at_stake = models.BooleanField(_("benefits or legal stay at stake"), default=False)
    permit_expires_on = models.DateField(_("current permit expires on"), null=True, blank=True)
    due_on = models.DateField(_("decision due"), null=True, blank=True)
    interim_due_on = models.DateField(_("interim answer due"), null=True, blank=True)
    status_message_due_on = models.DateField(_("next status message due"), null=True, blank=True)
    clock_stopped_on = models.DateField(_("clock stopped since"), null=True, blank=True)
    paused_days = models.PositiveIntegerField(_("days the clock stood still"), default=0)
    last_client_message_at = models.DateTimeField(_("last message to the client"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    transferred_to = models.ForeignKey(
        "tenancy.Authority", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "number"], name="case_number_per_authority"),
            models.UniqueConstraint(
                fields=["authority", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="case_idempotency_per_authority",
            ),
        ]
        indexes = [
            models.Index(fields=["authority", "status", "received_at"]),
            models.Index(fields=["authority", "team", "status"]),
            models.Index(fields=["authority", "assignee", "status"]),
            models.Index(fields=["authority", "person"]),
            # The queue's filters and ordering, with the columns of its urgency included, so the ids of a page
            # are sorted from the index alone (see core/paging.py).
            models.Index(
                fields=["authority", "assignee", "status", "due_on"],
                include=["permit_expires_on", "stay_at_stake"],
                name="case_queue_assignee_incl",
            ),
            models.Index(
                fields=["authority", "team", "status", "due_on"],
                include=["permit_expires_on", "stay_at_stake"],
                name="case_queue_team_incl",
            ),
            models.Index(fields=["authority", "status", "status_message_due_on"], name="case_status_msg_due"),
        ]

    def __str__(self):
        return self.number

    @staticmethod
    def new_access_code():
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        return "".join(secrets.choice(alphabet) for _ in range(10))

    @property
    def is_final(self):
        from .workflow import FINAL

        return self.status in FINAL


class TimelineKind(models.TextChoices):
    RECEIVED = "received", _("received")
    TRANSITION = "transition", _("status change")
    NOTE = "note", _("note")
    DOCUMENT = "document", _("document")
    MESSAGE = "message", _("message to the client")
    LETTER = "letter", _("letter")
    DECISION = "decision", _("decision")
    ASSIGNMENT = "assignment", _("assignment")
    TRANSFER = "transfer", _("transfer")


def status_label(value):
    """A state in the reader's language (a value no longer in the workflow stays as it is)."""
    if not value:
        return ""
    try:
        return Status(value).label
    except ValueError:
        return value


class TimelineEntry(TenantModel):
    """One line of the case's history: every transition, note, document, message and letter."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField(pgettext_lazy("point in time", "at"))
    kind = models.CharField(_("kind"), max_length=12, choices=TimelineKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30, blank=True)
    text = models.TextField(_("text"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    @property
    def from_status_label(self):
        return status_label(self.from_status)

    @property
    def to_status_label(self):
        return status_label(self.to_status)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["authority", "case", "at"]),
            # The transitions that ended a case without a decision, which the casework figures join to every
            # case (cases/figures.py): a small index read in one pass instead of a lookup per case.
            models.Index(
                fields=["authority", "case"],
                include=["at"],
                condition=models.Q(kind="transition", to_status__in=["transferred", "withdrawn", "closed"]),
                name="case_timeline_ended",
            ),
        ]


class DocumentRequest(TenantModel):
    """Missing or insufficient documents the client was asked for; the clock stands still while it is open."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="document_requests")
    items = models.JSONField(_("checklist items"), default=list)
    note = models.TextField(_("note to the client"), blank=True)
    deadline = models.DateField(_("deadline"))
    requested_at = models.DateTimeField(_("requested"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    fulfilled_at = models.DateTimeField(_("documents arrived"), null=True, blank=True)

    class Meta:
        verbose_name = _("request for documents")
        verbose_name_plural = _("requests for documents")
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["authority", "case", "fulfilled_at"])]


class Outcome(models.TextChoices):
    GRANT = "grant", _("grant")
    PARTIAL = "partial", _("partial grant")
    REFUSE = "refuse", _("refusal")


class DecisionState(models.TextChoices):
    DRAFT = "draft", _("draft")
    AWAITING = "awaiting", _("awaiting approval")
    RETURNED = "returned", _("returned with comments")
    FINAL = "final", _("final")
    WITHDRAWN = "withdrawn", _("replaced")


class Decision(TenantModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=120)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    shorter_validity_reason = models.TextField(_("reason for a shorter validity"), blank=True)
    sponsor_title_expires_on = models.DateField(
        _("sponsor's residence title expires on"),
        null=True,
        blank=True,
        help_text=_("Family reunification: the validity ends at the latest with the sponsor's title."),
    )
    bound_end_on = models.DateField(
        _("course or contract ends on"),
        null=True,
        blank=True,
        help_text=_("Study, training or employment: the validity ends at the latest with the course or contract."),
    )
    conditions = models.TextField(_("conditions (Nebenbestimmungen)"), blank=True)
    reasoning = models.TextField(_("reasoning"))
    plain_explanation = models.TextField(_("plain-language explanation"), blank=True)
    ends_stay = models.BooleanField(_("measure ends the stay"), default=False)
    needs_approval = models.BooleanField(default=False)
    approval_reasons = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=10, choices=DecisionState.choices, default=DecisionState.DRAFT)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drafted_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(_("comments of the approver"), blank=True)
    # Four eyes: a draft returned with comments is kept; the draft that replaces it points at it, so the
    # approver sees what changed (``decisions.changes``).
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    revises = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="revisions", editable=False
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-drafted_at", "-id"]
        indexes = [models.Index(fields=["authority", "case", "state"])]
        constraints = [
            # The drafter can never approve their own decision, whatever path the write takes.
            models.CheckConstraint(
                condition=models.Q(approved_by__isnull=True) | ~models.Q(approved_by=models.F("drafted_by")),
                name="decision_four_eyes",
            )
        ]

    @property
    def carries_remedies(self):
        return self.outcome in (Outcome.REFUSE, Outcome.PARTIAL) or self.ends_stay


class LegalChange(TenantModel):
    """A change in the law for a legal basis: decisions on it need a second approver for a while."""

    legal_basis = models.CharField(_("legal basis"), max_length=120)
    changed_on = models.DateField(_("changed on"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("change in the law")
        verbose_name_plural = _("changes in the law")
        indexes = [models.Index(fields=["authority", "legal_basis", "changed_on"])]


class AutoMessageKind(models.TextChoices):
    INTERIM = "interim", _("interim answer")
    STATUS = "status", _("status message")


class AutoMessage(TenantModel):
    """An automatic transparency message; unique per case, kind and due date so a job retried never sends twice."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="auto_messages")
    kind = models.CharField(max_length=10, choices=AutoMessageKind.choices)
    due_on = models.DateField()
    sent_at = models.DateTimeField()
    language = models.CharField(max_length=8)
    channel = models.CharField(max_length=12)

    class Meta:
        indexes = [models.Index(fields=["authority", "case"])]
        constraints = [models.UniqueConstraint(fields=["case", "kind", "due_on"], name="auto_message_once")]
