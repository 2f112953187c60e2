"""ServicePoint: walk-in tickets, their calling, and documents handed in at the desk.

Every ticket keeps its times (issued, called, served, finished), counter, staff and outcome:
the visit figures in the reports room are computed from these rows alone.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from willkommen.tenancy.models import TenantModel


def new_key():
    return secrets.token_urlsafe(24)


class Station(TenantModel):
    """The ServicePoint of one location: the secret keys of its kiosk tablet and its call display."""

    location = models.OneToOneField("tenancy.Location", on_delete=models.CASCADE, related_name="servicepoint")
    kiosk_key = models.CharField(max_length=64, unique=True, default=new_key, editable=False)
    display_key = models.CharField(max_length=64, unique=True, default=new_key, editable=False)

    class Meta:
        verbose_name = _("ServicePoint station")
        verbose_name_plural = _("ServicePoint stations")
        indexes = [models.Index(fields=["authority", "location"])]

    def __str__(self):
        return str(self.location)


class Category(models.TextChoices):
    QUICK_INFO = "quick_info", _("Quick information")
    DROP_OFF = "drop_off", _("Hand in documents")
    FORMS = "forms", _("Pick up forms")
    BOOKING = "booking", _("Book an appointment")
    CHECK_IN = "check_in", _("I have an appointment")


# The letter in front of the number on the ticket and the display.
CATEGORY_LETTERS = {
    Category.QUICK_INFO: "A",
    Category.DROP_OFF: "B",
    Category.FORMS: "C",
    Category.BOOKING: "D",
    Category.CHECK_IN: "T",
}
WALK_IN_CATEGORIES = [c for c in Category.values if c != Category.CHECK_IN]


class Priority(models.TextChoices):
    APPOINTMENT = "appointment", _("appointment")
    URGENT = "urgent", _("urgent")
    WALK_IN = "walk_in", _("walk-in")


class Status(models.TextChoices):
    WAITING = "waiting", _("waiting")
    CALLED = "called", _("called")
    SERVING = "serving", _("being served")
    DONE = "done", _("done")
    NO_SHOW = "no_show", _("did not come")
    CANCELLED = "cancelled", _("cancelled")


PRESENT_STATUSES = (Status.WAITING, Status.CALLED)


class Outcome(models.TextChoices):
    SOLVED = "solved", _("solved on the spot")
    DOCUMENTS_RECEIVED = "documents_received", _("documents received")
    FORMS_HANDED_OUT = "forms_handed_out", _("forms handed out")
    APPOINTMENT_BOOKED = "appointment_booked", _("appointment booked")
    APPOINTMENT_SERVED = "appointment_served", _("appointment served")
    REFERRED = "referred", _("referred to a caseworker")
    NO_SHOW = "no_show", _("did not come")


class DayCounter(TenantModel):
    """The last ticket number issued at a location on a day; locked while a ticket is issued."""

    location = models.ForeignKey("tenancy.Location", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["authority", "location", "day"], name="servicepoint_daycounter_unique")
        ]


class Ticket(TenantModel):
    location = models.ForeignKey("tenancy.Location", on_delete=models.PROTECT, related_name="tickets")
    day = models.DateField(_("day"))
    number = models.PositiveIntegerField(_("number"))
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    priority = models.CharField(_("priority"), max_length=12, choices=Priority.choices, default=Priority.WALK_IN)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    language = models.CharField(_("language"), max_length=8, default="de")
    appointment_at = models.DateTimeField(_("appointment time"), null=True, blank=True)
    booking_reference = models.CharField(_("booking reference"), max_length=20, blank=True)
    issued_at = models.DateTimeField(_("issued"))
    queued_at = models.DateTimeField(help_text="Place in the queue; moves to the end when a no-show goes back.")
    called_at = models.DateTimeField(_("called"), null=True, blank=True)
    served_at = models.DateTimeField(_("served"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    counter = models.CharField(_("counter"), max_length=30, blank=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    recalls = models.PositiveSmallIntegerField(default=0)
    # The case opened at the counter for this ticket ("Open case" on the desk page, ``case_intake``).
    case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Optional mobile number for the SMS when the turn is near (normalised, +4915...). Kept only
    # while the ticket is open: blanked when it is finished and by the nightly job.
    phone = models.CharField(_("mobile number for SMS"), max_length=16, blank=True)
    sms_near_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the 'your turn is near' SMS was claimed (set once per ticket; also set, without an SMS, "
        "when the ticket was already near as the number was given).",
    )

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["day", "number"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "location", "day", "number"], name="ticket_number_per_day"),
        ]
        indexes = [
            models.Index(fields=["authority", "location", "day", "status"]),
            models.Index(fields=["authority", "day"]),
        ]

    def __str__(self):
        return self.code

    @property
    def code(self):
        return f"{CATEGORY_LETTERS.get(self.category, 'X')}{self.number:03d}"


class DropOff(TenantModel):
    """Documents a client handed in at the desk: what was received, and the receipt."""

    person = models.ForeignKey("clients.Person", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="drop_offs")
    items = models.JSONField(default=list, help_text="[{document_id, title, document_type}] as received.")
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(auto_now_add=True)
    receipt_emailed_to = models.EmailField(blank=True)

    class Meta:
        verbose_name = _("document drop-off")
        verbose_name_plural = _("document drop-offs")
        indexes = [models.Index(fields=["authority", "person"])]
