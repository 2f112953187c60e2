"""The case (Vorgang). The workflow, deadlines, decisions and timeline grow here."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from willkommen.tenancy.models import TenantModel


class CaseSource(models.TextChoices):
    ONLINE = "online", _("online application")
    DESK = "desk", _("entered at the desk")
    SERVICEPOINT = "servicepoint", _("handed in at the ServicePoint")
    LETTER = "letter", _("letter")
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
    status = models.CharField(_("status"), max_length=30, default="received")
    source = models.CharField(_("source"), max_length=20, choices=CaseSource.choices, default=CaseSource.DESK)
    team = models.ForeignKey("tenancy.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="cases")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    received_at = models.DateTimeField(_("received"))
    answers = models.JSONField(_("answers to the catalogue questions"), default=dict, blank=True)
    access_code_hash = models.CharField(max_length=128, editable=False)
    idempotency_key = models.CharField(max_length=80, blank=True, editable=False)
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
        ]

    def __str__(self):
        return self.number

    @staticmethod
    def new_access_code():
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        return "".join(secrets.choice(alphabet) for _ in range(10))
