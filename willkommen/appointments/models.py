"""Appointments: capacity per Anliegen and location, generated slots, bookings, invitations and
the fair allocation mode.

Capacity lives in rows that are locked when a place is taken: the :class:`Slot` (places per
channel) and the :class:`WaitingWindow` rows of its location (how many clients may be present
per 15-minute window). Every change of a booking locks slot first, then its windows in
start order, so two transactions never wait on each other in a cycle.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from willkommen.clients.models import ResidenceKind
from willkommen.tenancy.models import TenantModel


class Mode(models.TextChoices):
    FIRST_COME = "first_come", _("first come, first served")
    ALLOCATION = "allocation", _("fair allocation (request window)")


class Offer(TenantModel):
    """That a location serves an Anliegen by appointment, and with how many places per slot."""

    anliegen = models.ForeignKey("catalogue.Anliegen", on_delete=models.CASCADE, verbose_name=_("Anliegen"))
    location = models.ForeignKey("tenancy.Location", on_delete=models.CASCADE, verbose_name=_("location"))
    workstations = models.PositiveIntegerField(
        _("parallel places"), default=1, help_text=_("How many workstations serve this Anliegen at the same time.")
    )
    invitation_places = models.PositiveIntegerField(
        _("invitation-only places"), default=0, help_text=_("Per slot, kept for invitations and follow-ups.")
    )
    urgent_places = models.PositiveIntegerField(
        _("urgent reserve places"), default=0, help_text=_("Per slot, released to the public shortly before.")
    )
    reserve_release_hours = models.PositiveIntegerField(
        _("release reserve hours before"), default=24, help_text=_("Unused urgent places open to everyone then.")
    )
    mode = models.CharField(_("booking mode"), max_length=12, choices=Mode.choices, default=Mode.FIRST_COME)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("appointment offer")
        verbose_name_plural = _("appointment offers")
        constraints = [
            models.UniqueConstraint(fields=["authority", "anliegen", "location"], name="offer_unique"),
        ]
        indexes = [models.Index(fields=["authority", "location"])]

    @property
    def public_places(self):
        return max(0, self.workstations - self.invitation_places - self.urgent_places)


class Channel(models.TextChoices):
    PUBLIC = "public", _("public online")
    INVITATION = "invitation", _("invitation only")
    URGENT = "urgent", _("urgent reserve")


class Slot(TenantModel):
    """One appointment time for one Anliegen at one location, with its places per channel."""

    location = models.ForeignKey("tenancy.Location", on_delete=models.CASCADE, related_name="slots")
    anliegen = models.ForeignKey("catalogue.Anliegen", on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    public_places = models.PositiveIntegerField(default=0)
    invitation_places = models.PositiveIntegerField(default=0)
    urgent_places = models.PositiveIntegerField(default=0)
    public_taken = models.PositiveIntegerField(default=0)
    invitation_taken = models.PositiveIntegerField(default=0)
    urgent_taken = models.PositiveIntegerField(default=0)
    reserve_release_at = models.DateTimeField()
    withdrawn = models.BooleanField(default=False, help_text="No longer offered (closure, changed hours).")

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "location", "anliegen", "starts_at"], name="slot_unique"),
            models.CheckConstraint(condition=models.Q(public_taken__lte=models.F("public_places")), name="slot_public"),
            models.CheckConstraint(
                condition=models.Q(invitation_taken__lte=models.F("invitation_places")), name="slot_invitation"
            ),
            models.CheckConstraint(condition=models.Q(urgent_taken__lte=models.F("urgent_places")), name="slot_urgent"),
        ]
        indexes = [models.Index(fields=["authority", "anliegen", "starts_at"])]

    def __str__(self):
        return f"{self.starts_at:%Y-%m-%d %H:%M} {self.location}"

    def free(self, channel):
        places = getattr(self, f"{channel}_places")
        taken = getattr(self, f"{channel}_taken")
        return max(0, places - taken)


class FreeDay(TenantModel):
    """The free public places of one Anliegen at one location on one local day, kept up to date in the same
    transaction that books, cancels, moves or expires (see :mod:`willkommen.appointments.summary`).

    ``slots`` is the day's compact list, ready to be sent: ``[id,"HH:MM",free],`` for every slot with a free
    public place, in time order. The waiting-room cap and the time of day (slots already begun, the urgent
    reserve released shortly before) are applied when the summary is read."""

    anliegen = models.ForeignKey("catalogue.Anliegen", on_delete=models.CASCADE, related_name="+")
    location = models.ForeignKey("tenancy.Location", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    times = models.IntegerField(default=0, help_text="Slots with at least one free public place.")
    places = models.IntegerField(default=0, help_text="Free public places over those slots.")
    slots = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["authority", "anliegen", "location", "day"], name="free_day_unique"),
        ]
        indexes = [models.Index(fields=["authority", "anliegen", "day"], name="free_day_by_anliegen")]


class WaitingWindow(TenantModel):
    """How many clients are expected at a location in one 15-minute window (all channels together)."""

    location = models.ForeignKey("tenancy.Location", on_delete=models.CASCADE, related_name="waiting_windows")
    starts_at = models.DateTimeField()
    taken = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["authority", "location", "starts_at"], name="waiting_window_unique"),
        ]
        indexes = [
            models.Index(fields=["authority", "location", "starts_at"]),
            # Nearly full windows, for the free-places answers (see availability._tight_days).
            models.Index(fields=["authority", "location", "taken"], name="waiting_window_by_taken"),
        ]


class Status(models.TextChoices):
    HELD = "held", _("held, awaiting e-mail confirmation")
    CONFIRMED = "confirmed", _("confirmed")
    CHECKED_IN = "checked_in", _("checked in")
    ATTENDED = "attended", _("attended")
    NO_SHOW = "no_show", _("did not come")
    CANCELLED = "cancelled", _("cancelled")
    EXPIRED = "expired", _("expired (not confirmed)")


ACTIVE_STATUSES = (Status.HELD, Status.CONFIRMED)
# Statuses that occupy a place in a slot.
OCCUPYING_STATUSES = (Status.HELD, Status.CONFIRMED, Status.CHECKED_IN, Status.ATTENDED, Status.NO_SHOW)


class Booking(TenantModel):
    reference = models.CharField(_("booking reference"), max_length=20, unique=True)
    token_hash = models.CharField(max_length=64, editable=False)
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    anliegen = models.ForeignKey("catalogue.Anliegen", on_delete=models.PROTECT, verbose_name=_("Anliegen"))
    location = models.ForeignKey("tenancy.Location", on_delete=models.PROTECT, verbose_name=_("location"))
    starts_at = models.DateTimeField(_("starts"))
    channel = models.CharField(max_length=12, choices=Channel.choices, default=Channel.PUBLIC)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.HELD)
    family_name = models.CharField(_("family name"), max_length=150)
    given_names = models.CharField(_("given names"), max_length=150, blank=True)
    date_of_birth = models.DateField(_("date of birth"))
    email = models.EmailField(_("e-mail"))
    email_key = models.CharField(
        max_length=254,
        blank=True,
        editable=False,
        help_text="The e-mail address as compared for the per-e-mail limits.",
    )
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    language = models.CharField(_("language"), max_length=8, default="de")
    interpreter_needed = models.BooleanField(_("needs an interpreter"), default=False)
    interpreter_language = models.CharField(_("interpreter language"), max_length=50, blank=True)
    identity_key = models.CharField(max_length=64, editable=False)
    passport_key = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="Keyed hash (HMAC) of the normalised passport number, if the client gave one; never the number.",
    )
    answers = models.JSONField(default=dict, blank=True)
    person = models.ForeignKey("clients.Person", on_delete=models.SET_NULL, null=True, blank=True)
    case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True)
    follow_up_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True)
    invitation = models.ForeignKey("Invitation", on_delete=models.SET_NULL, null=True, blank=True)
    proof_of_work = models.BooleanField(default=False)
    booked_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(
        null=True, blank=True, help_text="When the confirmation request left; the hold's time runs from then."
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    portal_url = models.CharField(max_length=300, blank=True, help_text="Base of the links sent to the client.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["starts_at", "id"]
        constraints = [
            # At most one active booking per person and Anliegen.
            models.UniqueConstraint(
                fields=["authority", "anliegen", "identity_key"],
                condition=models.Q(status__in=["held", "confirmed"]),
                name="booking_one_active_per_person",
            ),
            # ... and per passport (same passport with another name or e-mail), when one was given.
            models.UniqueConstraint(
                fields=["authority", "anliegen", "passport_key"],
                condition=models.Q(status__in=["held", "confirmed"]) & ~models.Q(passport_key=""),
                name="booking_one_active_per_passport",
            ),
        ]
        indexes = [
            models.Index(fields=["authority", "location", "starts_at"]),
            models.Index(fields=["authority", "status", "hold_expires_at"]),
            models.Index(fields=["authority", "status", "starts_at"]),
            # Active bookings per e-mail address (the per-e-mail limit, counted in the booking's first read).
            models.Index(
                fields=["authority", "email_key"],
                condition=models.Q(status__in=["held", "confirmed"]),
                name="booking_active_by_email",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def ends_at(self):
        return self.slot.ends_at

    @property
    def is_active(self):
        return self.status in ACTIVE_STATUSES


class Invitation(TenantModel):
    """A Terminladung: the office invites a client, to a fixed slot or with a personal link."""

    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    anliegen = models.ForeignKey("catalogue.Anliegen", on_delete=models.CASCADE, verbose_name=_("Anliegen"))
    location = models.ForeignKey(
        "tenancy.Location", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("location")
    )
    family_name = models.CharField(_("family name"), max_length=150)
    given_names = models.CharField(_("given names"), max_length=150, blank=True)
    date_of_birth = models.DateField(_("date of birth"))
    email = models.EmailField(_("e-mail"), blank=True, help_text=_("Empty when the invitation goes by post or SMS."))
    language = models.CharField(_("language"), max_length=8, default="de")
    deadline = models.DateField(_("book by"))
    person = models.ForeignKey("clients.Person", on_delete=models.SET_NULL, null=True, blank=True)
    case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)
    # How it went out (the message's channel: email, sms, messenger, letter, portal) and, for invitations
    # sent in bulk from a list, the one-time key of that submit: a repeated submit invites nobody twice.
    channel = models.CharField(_("sent by"), max_length=12, blank=True)
    batch = models.CharField(max_length=64, blank=True, editable=False)

    @property
    def channel_label(self):
        from willkommen.messaging.selectors import channel_label

        return channel_label(self.channel)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["authority", "deadline"]), models.Index(fields=["authority", "person"])]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "batch", "person"], condition=~models.Q(batch=""), name="invitation_once_per_batch"
            )
        ]


class RenewalRule(TenantModel):
    """When to invite holders of a title to renew it (data per authority): titles of ``title_kind`` whose
    legal basis contains ``legal_basis_contains`` (empty: any) and that end within ``lead_weeks`` are invited
    to ``anliegen``; once more after ``follow_up_days`` if nothing happened; after as many days again the
    team sees them as "expires soon, not applied"."""

    anliegen = models.ForeignKey("catalogue.Anliegen", on_delete=models.CASCADE, verbose_name=_("Anliegen"))
    title_kind = models.CharField(_("titles of the kind"), max_length=12, choices=ResidenceKind.choices)
    legal_basis_contains = models.CharField(
        _("legal basis contains"), max_length=40, blank=True, help_text=_("e.g. 16b; empty: any legal basis.")
    )
    lead_weeks = models.PositiveIntegerField(_("invite weeks before the end"), default=12)
    follow_up_days = models.PositiveIntegerField(_("follow up after days"), default=21)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("renewal rule")
        verbose_name_plural = _("renewal rules")
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "anliegen", "title_kind", "legal_basis_contains"], name="renewal_rule_once"
            ),
            models.CheckConstraint(condition=models.Q(lead_weeks__gte=1), name="renewal_rule_lead_weeks"),
            models.CheckConstraint(condition=models.Q(follow_up_days__gte=1), name="renewal_rule_follow_up_days"),
        ]

    def __str__(self):
        return f"{self.anliegen.slug}: {self.title_kind} {self.legal_basis_contains}".strip()


class RenewalState(models.TextChoices):
    INVITED = "invited", _("invited")
    FOLLOWED_UP = "followed_up", _("reminded")
    UNANSWERED = "unanswered", _("expires soon, not applied")
    ANSWERED = "answered", _("applied or booked")


class Renewal(TenantModel):
    """One title's invitation to renew: at most one per residence entry (the unique constraint makes the
    nightly job idempotent), with its follow-up and its end (answered, or shown to the team)."""

    entry = models.ForeignKey("clients.ResidenceEntry", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("clients.Person", on_delete=models.CASCADE, related_name="+")
    rule = models.ForeignKey(RenewalRule, on_delete=models.SET_NULL, null=True, related_name="renewals")
    anliegen = models.ForeignKey("catalogue.Anliegen", on_delete=models.CASCADE, verbose_name=_("Anliegen"))
    expires_on = models.DateField(_("title valid until"))
    by_appointment = models.BooleanField(_("needs a visit"), default=False)
    invitation = models.ForeignKey(Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    state = models.CharField(_("state"), max_length=12, choices=RenewalState.choices, default=RenewalState.INVITED)
    channel = models.CharField(_("sent by"), max_length=12, blank=True)
    invited_on = models.DateField(_("invited on"))
    followed_up_on = models.DateField(_("reminded on"), null=True, blank=True)
    unanswered_on = models.DateField(_("listed for the team on"), null=True, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    opened_at = models.DateTimeField(_("link opened"), null=True, blank=True)

    @property
    def channel_label(self):
        from willkommen.messaging.selectors import channel_label

        return channel_label(self.channel)

    class Meta:
        verbose_name = _("renewal invitation")
        verbose_name_plural = _("renewal invitations")
        constraints = [models.UniqueConstraint(fields=["authority", "entry"], name="renewal_once_per_title")]
        indexes = [models.Index(fields=["authority", "state", "expires_on"])]


class AllocationRound(TenantModel):
    """A request window of the fair allocation mode and, once run, its recorded result."""

    anliegen = models.ForeignKey("catalogue.Anliegen", on_delete=models.CASCADE, verbose_name=_("Anliegen"))
    location = models.ForeignKey("tenancy.Location", on_delete=models.CASCADE, verbose_name=_("location"))
    opens_at = models.DateTimeField(_("requests from"))
    closes_at = models.DateTimeField(_("requests until"))
    seed = models.BigIntegerField(null=True, blank=True, help_text="Random seed used to break ties; recorded.")
    ran_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("allocation round")
        verbose_name_plural = _("allocation rounds")
        indexes = [models.Index(fields=["authority", "closes_at"])]


class AllocationRequest(TenantModel):
    round = models.ForeignKey(AllocationRound, on_delete=models.CASCADE, related_name="requests")
    family_name = models.CharField(_("family name"), max_length=150)
    given_names = models.CharField(_("given names"), max_length=150, blank=True)
    date_of_birth = models.DateField(_("date of birth"))
    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=8, default="de")
    identity_key = models.CharField(max_length=64, editable=False)
    earliest = models.DateField(_("earliest acceptable date"))
    latest = models.DateField(_("latest acceptable date"))
    permit_expires = models.DateField(_("current permit expires"), null=True, blank=True)
    waiting_since = models.DateTimeField(_("waiting since"))
    booking = models.OneToOneField(Booking, on_delete=models.SET_NULL, null=True, blank=True)
    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    informed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["authority", "round", "identity_key"], name="allocation_request_once"),
        ]
        indexes = [models.Index(fields=["authority", "round"])]


class BlockedAttempt(TenantModel):
    """A refused booking attempt, counted for the office's statistics (no personal data)."""

    reason = models.CharField(max_length=40)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["authority", "reason", "at"])]
