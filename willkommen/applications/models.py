"""Online applications: a draft built from the catalogue, its uploads, and the submitted result.

A draft belongs to the browser session that started it and to the e-mail address given in
it (a magic link to that address resumes it). Submitting opens a case exactly once.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from willkommen.tenancy.models import TenantModel


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")


class Application(TenantModel):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    anliegen = models.ForeignKey("catalogue.Anliegen", on_delete=models.PROTECT, related_name="applications")
    language = models.CharField(_("language"), max_length=8, default="de")
    status = models.CharField(
        _("status"), max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    personal = models.JSONField(_("personal data"), default=dict, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    answers_given = models.BooleanField(default=False)
    email = models.EmailField(_("e-mail"), blank=True)
    consent_at = models.DateTimeField(_("information on data processing acknowledged"), null=True, blank=True)
    person = models.ForeignKey("clients.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    case = models.OneToOneField(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="online_application"
    )
    idempotency_key = models.CharField(max_length=80, blank=True)
    sealed_code = models.CharField(max_length=64, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    receipt_sent_at = models.DateTimeField(_("receipt sent"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("online application")
        verbose_name_plural = _("online applications")
        indexes = [
            models.Index(fields=["authority", "status", "updated_at"]),
            models.Index(fields=["authority", "email"]),
        ]

    def __str__(self):
        return f"{self.anliegen.slug} {self.public_id}"

    @property
    def is_draft(self):
        return self.status == ApplicationStatus.DRAFT


class ApplicationUpload(TenantModel):
    """A checked file uploaded into a draft; it becomes a document of the e-file on submit."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="uploads")
    checklist_key = models.CharField(max_length=60)
    document_type = models.CharField(max_length=60)
    storage_name = models.CharField(max_length=300)
    original_name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=50)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    scan_status = models.CharField(max_length=12)
    text = models.TextField(blank=True)
    document = models.ForeignKey("efile.Document", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("uploaded document")
        verbose_name_plural = _("uploaded documents")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["authority", "application", "checklist_key"])]
