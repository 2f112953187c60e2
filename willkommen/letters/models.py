"""Letters and certificates produced as PDFs, and the certificate of continued residence (Fiktionsbescheinigung)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from willkommen.tenancy.models import TenantModel


class LetterKind(models.TextChoices):
    RECEIPT = "receipt", _("receipt")
    REQUEST_DOCUMENTS = "request_documents", _("request for documents")
    INTERIM_ANSWER = "interim_answer", _("interim answer")
    STATUS_MESSAGE = "status_message", _("status message")
    INVITATION = "invitation", _("invitation")
    DECISION = "decision", _("decision notice")
    FIKTION = "fiktion", _("certificate of continued residence")
    NOTICE = "notice", _("notice")


class Letter(TenantModel):
    """A generated PDF: stored, kept in the e-file when available, and sent or printed."""

    person = models.ForeignKey("clients.Person", on_delete=models.CASCADE, related_name="letters")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="letters")
    kind = models.CharField(_("kind"), max_length=20, choices=LetterKind.choices)
    languages = models.CharField(_("languages"), max_length=20, help_text=_("e.g. de or de+ar"))
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(upload_to="letters/%Y/%m/")
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    efile_document_id = models.BigIntegerField(null=True, blank=True)
    for_post = models.BooleanField(_("to be printed and posted"), default=False)
    visible_to_client = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["authority", "case", "kind"]),
            models.Index(fields=["authority", "person"]),
        ]

    def __str__(self):
        return self.title


class FiktionParagraph(models.TextChoices):
    P81_3_1 = "81_3_1", _("§ 81 (3) sentence 1 AufenthG: the stay counts as permitted")
    P81_3_2 = "81_3_2", _("§ 81 (3) sentence 2 AufenthG: the deportation is suspended")
    P81_4_1 = "81_4_1", _("§ 81 (4) sentence 1 AufenthG: the previous residence title continues to apply")
    P81_4_3 = (
        "81_4_3",
        _("§ 81 (4) sentence 3 AufenthG: the office orders that the previous residence title continues to apply"),
    )


class SerialCounter(TenantModel):
    """Gap-free serial numbers (F + 7 digits) for certificates, advanced under a row lock."""

    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["authority"], name="fiktion_serial_counter")]


class Fiktionsbescheinigung(TenantModel):
    serial = models.CharField(_("serial number"), max_length=8)
    person = models.ForeignKey("clients.Person", on_delete=models.PROTECT, related_name="fiktion_certificates")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="fiktion_certificates")
    family_name = models.CharField(_("surname"), max_length=150)
    given_names = models.CharField(_("given names"), max_length=150, blank=True)
    date_of_birth = models.DateField(_("date of birth"))
    nationality = models.CharField(_("nationality"), max_length=100)
    paragraph = models.CharField(_("applicable rule"), max_length=8, choices=FiktionParagraph.choices)
    valid_until = models.DateField(_("valid until"))
    id_document_type = models.CharField(_("identity document"), max_length=60)
    id_document_number = models.CharField(_("document number"), max_length=50)
    id_document_issuer = models.CharField(_("issued by"), max_length=150)
    id_document_issued_on = models.DateField(_("issued on"))
    conditions = models.TextField(_("conditions (Nebenbestimmungen)"), blank=True)
    office = models.CharField(_("issuing office"), max_length=200)
    place = models.CharField(_("place"), max_length=100)
    issued_on = models.DateField(_("date"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    extensions = models.JSONField(_("extensions"), default=list, blank=True)

    class Meta:
        verbose_name = _("certificate of continued residence")
        verbose_name_plural = _("certificates of continued residence")
        ordering = ["-issued_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["authority", "serial"], name="fiktion_serial_unique")]
        indexes = [models.Index(fields=["authority", "case"])]

    MAX_EXTENSIONS = 2

    def __str__(self):
        return self.serial

    @property
    def current_valid_until(self):
        if self.extensions:
            from datetime import date

            return date.fromisoformat(self.extensions[-1]["valid_until"])
        return self.valid_until
