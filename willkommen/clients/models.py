"""The person every other room works with, shaped after the XAusländer information model.

Person (Person, Name, Geburt, Staatsangehörigkeit, Anschrift, Kontakt), former names and
aliases, and the residence history as dated entries (Aufenthaltsstatus: titles, Duldung,
Gestattung, entry).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from willkommen.tenancy.models import TenantModel


class Sex(models.TextChoices):
    FEMALE = "f", _("female")
    MALE = "m", _("male")
    DIVERSE = "d", _("diverse")
    UNKNOWN = "x", _("not stated")


class Channel(models.TextChoices):
    PORTAL = "portal", _("Portal (message in the portal)")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    MESSENGER = "messenger", _("Messenger")
    POST = "post", _("Letter by post")


class Person(TenantModel):
    family_name = models.CharField(_("family name"), max_length=150)
    given_names = models.CharField(_("given names"), max_length=150, blank=True)
    family_name_native = models.CharField(_("family name in original script"), max_length=150, blank=True)
    given_names_native = models.CharField(_("given names in original script"), max_length=150, blank=True)
    birth_name = models.CharField(_("name at birth"), max_length=150, blank=True)
    date_of_birth = models.DateField(_("date of birth"))
    place_of_birth = models.CharField(_("place of birth"), max_length=150, blank=True)
    country_of_birth = models.CharField(_("country of birth"), max_length=3, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    nationalities = models.JSONField(
        _("nationalities"), default=list, blank=True, help_text=_("ISO 3166 alpha-3 codes.")
    )
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=8, default="de")
    preferred_channel = models.CharField(
        _("preferred channel"), max_length=12, choices=Channel.choices, default=Channel.EMAIL
    )
    interpreter_needed = models.BooleanField(_("needs an interpreter"), default=False)
    interpreter_language = models.CharField(_("interpreter language"), max_length=50, blank=True)
    entry_date = models.DateField(_("date of entry into Germany"), null=True, blank=True)
    name_key = models.CharField(max_length=300, editable=False, db_index=False)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_from", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["family_name", "given_names"]
        indexes = [
            models.Index(fields=["authority", "date_of_birth"]),
            models.Index(fields=["authority", "family_name", "given_names"]),
            models.Index(fields=["authority", "email"]),
        ]

    def __str__(self):
        return f"{self.family_name}, {self.given_names}".strip(", ")

    @property
    def full_name(self):
        return f"{self.given_names} {self.family_name}".strip()

    def save(self, *args, **kwargs):
        from .duplicates import name_key

        self.name_key = name_key(self.family_name, self.given_names)
        super().save(*args, **kwargs)


class AliasKind(models.TextChoices):
    FORMER = "former", _("former name")
    ALIAS = "alias", _("alias")
    SPELLING = "spelling", _("other spelling")
    MERGED = "merged", _("name of a merged record")


class PersonAlias(TenantModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    kind = models.CharField(_("kind"), max_length=10, choices=AliasKind.choices, default=AliasKind.FORMER)
    family_name = models.CharField(_("family name"), max_length=150)
    given_names = models.CharField(_("given names"), max_length=150, blank=True)
    valid_until = models.DateField(_("used until"), null=True, blank=True)

    class Meta:
        verbose_name = _("other name")
        verbose_name_plural = _("other names")
        indexes = [models.Index(fields=["authority", "person"])]

    def __str__(self):
        return f"{self.family_name}, {self.given_names}"


class ResidenceKind(models.TextChoices):
    ENTRY = "entry", _("Entry")
    VISA = "visa", _("National visa")
    SCHENGEN = "schengen", _("Schengen visa (short stay)")
    TITLE = "title", _("Residence title")
    SETTLEMENT = "settlement", _("Settlement permit")
    FICTION = "fiction", _("Certificate of continued residence")
    DULDUNG = "duldung", _("Toleration (Duldung)")
    GESTATTUNG = "gestattung", _("Permission to remain (Gestattung)")
    EU = "eu", _("EU freedom of movement")
    REFUSED = "refused", _("Application refused")
    ENDED = "ended", _("Stay ended (title expired or revoked)")
    EXPIRED = "expired", _("Validity ended, no follow-up on record")


# Kinds that are a status document with a validity: the "title" the selectors and § 81 look at.
STATUS_KINDS = (
    ResidenceKind.VISA,
    ResidenceKind.SCHENGEN,
    ResidenceKind.TITLE,
    ResidenceKind.SETTLEMENT,
    ResidenceKind.DULDUNG,
    ResidenceKind.GESTATTUNG,
    ResidenceKind.EU,
    ResidenceKind.ENTRY,
)


class ResidenceSource(models.TextChoices):
    DECLARED = "declared", _("declared by the client")
    STAFF = "staff", _("recorded by staff")
    DECISION = "decision", _("decision")
    CERTIFICATE = "certificate", _("certificate")
    IMPORT = "import", _("taken over from another authority")
    EXPIRY = "expiry", _("end of the validity")


class ResidenceEntry(TenantModel):
    """One dated entry of the residence history (XAusländer: Aufenthaltsstatus)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="residence_entries")
    kind = models.CharField(_("kind"), max_length=12, choices=ResidenceKind.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=100, blank=True, help_text=_("e.g. § 16b AufenthG"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True, help_text=_("Empty when not known."))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    conditions = models.TextField(_("conditions (Nebenbestimmungen)"), blank=True)
    document_number = models.CharField(_("document number"), max_length=50, blank=True)
    issued_by = models.CharField(_("issued by"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(
        _("source"), max_length=12, choices=ResidenceSource.choices, default=ResidenceSource.STAFF
    )
    verified = models.BooleanField(_("confirmed by the authority"), default=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    verified_at = models.DateTimeField(_("confirmed"), null=True, blank=True, editable=False)
    # A reference to the case (a higher room: a string foreign key, no import) and to what wrote the entry
    # ("decision:12", "certificate:F0000001"), unique per authority so a repeated effect writes nothing twice.
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="residence_entries"
    )
    source_ref = models.CharField(max_length=80, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("residence entry")
        verbose_name_plural = _("residence history")
        ordering = ["person", "valid_from"]
        indexes = [
            models.Index(fields=["authority", "person", "valid_from"]),
            models.Index(fields=["authority", "kind", "valid_to"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_from__lte=models.F("valid_to")),
                name="residence_entry_order",
            ),
            models.UniqueConstraint(
                fields=["authority", "source_ref"],
                condition=~models.Q(source_ref=""),
                name="residence_entry_once_per_source",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.legal_basis} {self.valid_from or ''}–{self.valid_to or ''}"
