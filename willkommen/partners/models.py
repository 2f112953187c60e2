"""Requests to other authorities (issue 18 item 4): the authority's settings per recipient type and the
requests themselves, each on a case. Partner organisations and consents (items 1–3) will join this room."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from willkommen.tenancy.models import Authority, TenantModel


class RecipientType(models.TextChoices):
    EMPLOYMENT_AGENCY = "employment_agency", _("Federal Employment Agency (consent under § 39 AufenthG)")
    SOCIAL_BENEFITS = "social_benefits", _("Jobcenter or social welfare office")
    BAMF = "bamf", _("Federal Office for Migration and Refugees (BAMF)")
    REGISTRY_OFFICE = "registry_office", _("Registry office")
    POLICE = "police", _("Police")
    FOREIGNERS_AUTHORITY = "foreigners_authority", _("Another foreigners' authority")


class RequestType(TenantModel):
    """The authority's settings for one recipient type: the question it starts from, whether the processing
    clock stops while such a request is open, and the usual answer period. Without a row the shipped
    defaults apply (``recipients.py``)."""

    recipient_type = models.CharField(_("recipient type"), max_length=30, choices=RecipientType.choices)
    question = models.TextField(_("question template"), blank=True)
    stops_clock = models.BooleanField(_("the processing clock stops while the request is open"))
    due_days = models.PositiveSmallIntegerField(_("answer expected within (days)"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["authority", "recipient_type"], name="partners_request_type_unique")
        ]


class RequestStatus(models.TextChoices):
    OPEN = "open", _("open")
    ANSWERED = "answered", _("answered")


class AuthorityRequest(TenantModel):
    """A question of this authority (``authority``) to another one about a case. When the recipient is an
    authority on the platform (``to_authority``) the request arrives in that authority's desk and its
    staff answer there; otherwise a connector sends it (e-mail, letter) and the caseworker records the
    answer."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="authority_requests")
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    recipient_type = models.CharField(_("recipient type"), max_length=30, choices=RecipientType.choices)
    recipient_name = models.CharField(_("recipient"), max_length=200)
    recipient_email = models.EmailField(_("recipient's e-mail address"), blank=True)
    recipient_address = models.TextField(_("recipient's postal address"), blank=True)
    to_authority = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incoming_requests",
        verbose_name=_("authority on the platform"),
    )
    connector = models.CharField(_("sent by"), max_length=30)
    question = models.TextField(_("question"))
    stops_clock = models.BooleanField(_("clock stopped"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    sent_on = models.DateField(_("sent on"))
    due_on = models.DateField(_("answer due on"))
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    dispatched_at = models.DateTimeField(_("handed to the connector at"), null=True, blank=True)
    dispatch_detail = models.CharField(_("connector's note"), max_length=300, blank=True)
    payload = models.JSONField(_("message as sent"), default=dict, blank=True)
    reminded_on = models.DateField(_("reminder sent on"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_by_label = models.CharField(_("answered by"), max_length=300, blank=True)
    documents = models.ManyToManyField("efile.Document", blank=True, related_name="+", verbose_name=_("documents"))

    @property
    def connector_label(self):
        """How it was sent, in the reader's language (the connector's label); an unknown name as it is."""
        from .connectors import REGISTRY

        connector = REGISTRY.get(self.connector)
        return str(connector.label) if connector is not None else self.connector

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["authority", "status", "due_on"], name="partners_req_open_due"),
            models.Index(fields=["authority", "case"], name="partners_req_case"),
            models.Index(fields=["to_authority", "status", "due_on"], name="partners_req_incoming"),
        ]

    def __str__(self):
        return self.reference or f"#{self.pk}"

    @property
    def person_id(self):
        """The person the request is about (for the audit log's reads)."""
        return self.case.person_id

    @property
    def is_overdue(self):
        from django.utils import timezone

        return self.status == RequestStatus.OPEN and self.due_on < timezone.localdate()

    @property
    def is_open(self):
        return self.status == RequestStatus.OPEN


# --- partner organisations and the client's consent (issue 18 items 1–2) ----------------------------------


class OrganisationKind(models.TextChoices):
    COUNSELLING = "counselling", _("migration counselling")
    VOLUNTEERS = "volunteers", _("volunteer initiative")
    REFUGEE_COUNCIL = "refugee_council", _("refugee council")
    COURSE_PROVIDER = "course_provider", _("language-course provider")
    EMPLOYER = "employer", _("employer")
    LEGAL_AID = "legal_aid", _("legal aid")


class PartnerOrganisation(TenantModel):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["authority", "name"], name="partners_org_unique_name")]

    def __str__(self):
        return self.name


class PartnerAccount(TenantModel):
    """A staff user of role ``partner`` belongs to one organisation (signs in with password and second factor)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_account")
    organisation = models.ForeignKey(PartnerOrganisation, on_delete=models.CASCADE, related_name="accounts")


class Scope(models.TextChoices):
    CASE_STATUS = "case_status", _("see the state of cases")
    LETTERS = "letters", _("see letters")
    UPLOAD = "upload", _("upload documents")
    NOTICE_COPIES = "notice_copies", _("receive copies of notices")
    APPOINTMENTS = "appointments", _("book appointments on the client's behalf")


class ConsentSource(models.TextChoices):
    PORTAL = "portal", _("given in the portal")
    SIGNED_FORM = "signed_form", _("signed form, scanned into the e-file")


class Consent(TenantModel):
    """A client's consent that one organisation may act for them: within ``scopes``, from ``valid_from``
    to ``valid_until`` (inclusive), for ``purpose``, until revoked by either side."""

    person = models.ForeignKey("clients.Person", on_delete=models.CASCADE, related_name="partner_consents")
    organisation = models.ForeignKey(PartnerOrganisation, on_delete=models.CASCADE, related_name="consents")
    # The scopes as ",case_status,letters," so that SQL can filter by one (``scopes__contains=",letters,"``)
    # on SQLite and PostgreSQL alike.
    scopes = models.CharField(_("scope"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=300)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    source = models.CharField(_("given"), max_length=20, choices=ConsentSource.choices)
    document = models.ForeignKey(
        "efile.Document", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("form")
    )
    given_at = models.DateTimeField(_("given at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by_label = models.CharField(_("revoked by"), max_length=300, blank=True)

    class Meta:
        ordering = ["-given_at", "-id"]
        indexes = [
            models.Index(fields=["authority", "organisation", "valid_until"], name="partners_consent_org"),
            models.Index(fields=["authority", "person"], name="partners_consent_person"),
        ]

    @property
    def scope_list(self):
        return [s for s in self.scopes.split(",") if s]

    def get_scopes_display(self):
        return [Scope(s).label for s in self.scope_list if s in Scope.values]

    @staticmethod
    def encode_scopes(scopes):
        return "," + ",".join(s for s in Scope.values if s in set(scopes)) + ","


# --- the rest of the partner portal (issue 18 item 3) --------------------------------------------------------


class PartnerDelivery(TenantModel):
    """A document a partner organisation put into the client's e-file: the caseworker sees it on the case
    (and the person) as "received from <organisation>". ``document_request`` is the open request for
    documents it answered, if any; ``case`` the case it is filed under, if any."""

    document = models.OneToOneField("efile.Document", on_delete=models.CASCADE, related_name="+")
    document_request = models.ForeignKey(
        "cases.DocumentRequest", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    item = models.CharField(_("checklist item"), max_length=60)
    organisation = models.ForeignKey(PartnerOrganisation, on_delete=models.CASCADE, related_name="deliveries")
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    delivered_at = models.DateTimeField(_("received"))

    class Meta:
        ordering = ["delivered_at", "id"]
        indexes = [models.Index(fields=["authority", "case"], name="partners_delivery_case")]


class PartnerMessage(TenantModel):
    """One message of the thread between an organisation and the office about one client (never the client's
    own messages)."""

    person = models.ForeignKey("clients.Person", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(PartnerOrganisation, on_delete=models.CASCADE, related_name="messages")
    case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    from_partner = models.BooleanField(_("from the partner"))
    body = models.TextField(_("message"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    author_label = models.CharField(_("written by"), max_length=300)
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        ordering = ["sent_at", "id"]
        indexes = [models.Index(fields=["authority", "person", "organisation"], name="partners_msg_thread")]


class PartnerNotice(TenantModel):
    """A group notice of the office to all active organisations of one kind (e.g. a change in the law)."""

    kind = models.CharField(_("to organisations of the kind"), max_length=30, choices=OrganisationKind.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    sent_at = models.DateTimeField(_("sent at"))
    recipients = models.ManyToManyField(PartnerOrganisation, related_name="notices", verbose_name=_("recipients"))

    class Meta:
        ordering = ["-sent_at", "-id"]
