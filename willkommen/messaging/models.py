"""Messages to and from clients: one conversation per person, channels, templates per language,
group notices and interpreters.

Every message (portal, e-mail, SMS, messenger, letter, phone note) is one ``Message`` row linked
to the person (and to a case where it belongs). Outgoing messages carry a delivery status and a
history of ``DeliveryAttempt`` rows; failed sends are retried with backoff by a periodic job.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from willkommen.tenancy.models import TenantModel


class Direction(models.TextChoices):
    IN = "in", _("from the client")
    OUT = "out", _("to the client")


class Channel(models.TextChoices):
    PORTAL = "portal", _("Portal")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    MESSENGER = "messenger", _("Messenger")
    LETTER = "letter", _("Letter by post")
    PHONE_NOTE = "phone_note", _("Phone note")


class Status(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENDING = "sending", _("being sent")
    RETRYING = "retrying", _("failed, will be retried")
    SENT = "sent", _("sent")
    PRINT_QUEUED = "print_queued", _("in the print queue")
    PRINTED = "printed", _("printed")
    FAILED = "failed", _("failed")
    RECEIVED = "received", _("received")
    UNASSIGNED = "unassigned", _("not yet assigned")
    NOTED = "noted", _("noted")


class Message(TenantModel):
    person = models.ForeignKey(
        "clients.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="messages"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="messages")
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"), blank=True)
    language = models.CharField(_("language"), max_length=8, default="de")
    template_key = models.CharField(_("template"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=254, blank=True, help_text=_("E-mail, phone number or sender"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    provider_id = models.CharField(max_length=120, blank=True)
    idempotency_key = models.CharField(max_length=120, blank=True)
    external_id = models.CharField(_("Message-ID"), max_length=250, blank=True)
    fallback_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="fallbacks", editable=False
    )
    notice = models.ForeignKey(
        "GroupNotice", on_delete=models.SET_NULL, null=True, blank=True, related_name="messages", editable=False
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    flags = models.JSONField(_("remarks"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    read_at = models.DateTimeField(pgettext_lazy("message state", "read"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["authority", "person", "created_at"]),
            models.Index(fields=["authority", "status", "next_attempt_at"]),
            models.Index(fields=["authority", "case"]),
            models.Index(fields=["authority", "notice"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="message_idempotency_per_authority",
            ),
            # An incoming SMS (Twilio MessageSid) or Signal message (timestamp and source) is taken once.
            models.UniqueConstraint(
                fields=["authority", "channel", "external_id"],
                condition=models.Q(direction="in", channel__in=["sms", "messenger"]) & ~models.Q(external_id=""),
                name="incoming_phone_message_once",
            ),
        ]

    def __str__(self):
        return f"{self.get_direction_display()} {self.get_channel_display()}: {self.subject}"

    @property
    def is_outgoing(self):
        return self.direction == Direction.OUT


class DeliveryAttempt(TenantModel):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="delivery_attempts")
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    ok = models.BooleanField(_("successful"), default=False)
    permanent = models.BooleanField(_("permanent failure"), default=False)
    error = models.CharField(_("error"), max_length=500, blank=True)
    provider_id = models.CharField(max_length=120, blank=True)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["authority", "message"])]


class Attachment(TenantModel):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    # The attachment's address in URLs: opaque, so that ids cannot be counted through (the visibility
    # policy is what protects; this is the second line).
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file_name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(_("content type"), max_length=80)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    storage_name = models.CharField(max_length=300)
    document_id = models.PositiveBigIntegerField(_("document in the e-file"), null=True, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["authority", "message"])]

    def __str__(self):
        return self.file_name


class MessageTemplate(TenantModel):
    """One version of an automatic text in one language, as an administrator changed it. The newest
    active version is used; without any, the shipped text (``template_texts``, ``texts.current``)."""

    key = models.CharField(_("template"), max_length=40)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    version = models.PositiveIntegerField(_("version"), default=1)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Placeholders in curly braces, e.g. {name}, {date}."))
    is_active = models.BooleanField(_("active"), default=True)
    changed_by = models.CharField(_("changed by"), max_length=150, blank=True, editable=False)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["key", "language", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "key", "language", "version"], name="template_version")
        ]
        indexes = [models.Index(fields=["authority", "key", "language", "is_active"])]

    def __str__(self):
        return f"{self.key} [{self.language}] v{self.version}"


class GroupNotice(TenantModel):
    """A notice to a group of clients, sent in each recipient's language."""

    class Group(models.TextChoices):
        IN_PROGRESS = "in_progress", _("All clients with an Anliegen in progress")
        TEAM = "team", _("All clients of a team")
        ALL = "all", _("All clients with contact details")
        ACCOMMODATION = "accommodation", _("All residents of an accommodation")

    group = models.CharField(_("group"), max_length=20, choices=Group.choices)
    team = models.ForeignKey("tenancy.Team", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("team"))
    accommodation = models.ForeignKey(
        "accommodation.Accommodation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accommodation"),
    )
    texts = models.JSONField(_("texts per language"), default=dict)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("group notice")
        verbose_name_plural = _("group notices")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["authority", "created_at"])]

    def __str__(self):
        return (self.texts.get("de") or {}).get("subject", "")


class Interpreter(TenantModel):
    name = models.CharField(pgettext_lazy("name of a person", "name"), max_length=150)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    languages = models.JSONField(_("languages"), default=list, help_text=_('Language codes, e.g. ["ar", "ku"].'))
    availability = models.CharField(_("availability"), max_length=300, blank=True)
    hourly_rate = models.DecimalField(_("hourly rate (EUR)"), max_digits=7, decimal_places=2)
    qualified = models.BooleanField(_("qualified (sworn or certified)"), default=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("interpreter")
        verbose_name_plural = _("interpreters")
        ordering = ["name"]
        indexes = [models.Index(fields=["authority", "active"])]

    def __str__(self):
        return self.name


class InterpreterBooking(TenantModel):
    interpreter = models.ForeignKey(Interpreter, on_delete=models.PROTECT, related_name="bookings")
    language = models.CharField(_("language"), max_length=20)
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=60)
    appointment_id = models.PositiveBigIntegerField(_("appointment"), null=True, blank=True)
    case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    person = models.ForeignKey("clients.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    cost = models.DecimalField(_("cost (EUR)"), max_digits=9, decimal_places=2)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    notified_at = models.DateTimeField(_("interpreter informed"), null=True, blank=True)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("interpreter booking")
        verbose_name_plural = _("interpreter bookings")
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["authority", "starts_at"]),
            models.Index(fields=["authority", "interpreter", "starts_at"]),
        ]


class ConfirmedNumber(TenantModel):
    """A phone number a person confirmed with a code sent to it (SMS or Signal). Incoming SMS and Signal
    messages are matched to a person only through a confirmed number, and only when the number is
    confirmed for exactly one person of the authority (``phone_numbers.person_for_number``)."""

    class AddedBy(models.TextChoices):
        CLIENT = "client", _("the client in the portal")
        DESK = "desk", _("staff at the desk")

    person = models.ForeignKey("clients.Person", on_delete=models.CASCADE, related_name="confirmed_numbers")
    number = models.CharField(_("phone number"), max_length=20)
    channel = models.CharField(_("code sent by"), max_length=12, choices=Channel.choices, default=Channel.SMS)
    added_by = models.CharField(_("added by"), max_length=8, choices=AddedBy.choices, default=AddedBy.CLIENT)
    code_hash = models.CharField(max_length=64, blank=True, editable=False)
    code_sent_at = models.DateTimeField(_("code sent"), null=True, blank=True)
    code_expires_at = models.DateTimeField(_("code valid until"), null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(_("wrong codes entered"), default=0)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("confirmed phone number")
        verbose_name_plural = _("confirmed phone numbers")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "person", "number"], name="confirmed_number_per_person")
        ]
        indexes = [models.Index(fields=["authority", "number", "confirmed_at"])]

    def __str__(self):
        return self.number
